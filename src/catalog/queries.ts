// Reads of the public catalogue: institutions, labs, instruments. Keyset pages by id.
import { Op, type WhereOptions } from 'sequelize';
import { Institution, Instrument, Lab } from '../db/models';
import type { InstitutionRow, InstrumentRow, LabRow } from '../db/rows';
import type { InstrumentKind, InstrumentStatus } from '../db/models/instrument';

export interface IdPage {
  /** rows to return; one more is fetched to know whether there is a next page */
  size: number;
  afterId?: number;
}

export interface InstrumentSearch {
  labId?: number;
  labIds?: number[];
  category?: string;
  countryCode?: string;
  search?: string;
  kind?: InstrumentKind;
  status?: InstrumentStatus;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listInstitutions(page: IdPage): Promise<InstitutionRow[]> {
  return Institution.findAll({
    where: page.afterId ? { id: { [Op.gt]: page.afterId } } : {},
    order: [['id', 'ASC']],
    limit: page.size + 1,
    raw: true,
  });
}

export async function listLabs(filter: { countryCode?: string }, page: IdPage): Promise<LabRow[]> {
  const where: WhereOptions<LabRow> = {};
  if (filter.countryCode) Object.assign(where, { countryCode: filter.countryCode.toUpperCase() });
  if (page.afterId) Object.assign(where, { id: { [Op.gt]: page.afterId } });
  return Lab.findAll({ where, order: [['id', 'ASC']], limit: page.size + 1, raw: true });
}

/** Instrument where-clause for a search; the country filter goes through the lab. */
export async function instrumentWhere(search: InstrumentSearch): Promise<WhereOptions<InstrumentRow> | null> {
  const and: WhereOptions<InstrumentRow>[] = [];
  let labIds = search.labIds;
  if (search.countryCode) {
    const labs = await Lab.findAll({ where: { countryCode: search.countryCode.toUpperCase() }, attributes: ['id'], raw: true });
    const inCountry = labs.map((l) => l.id);
    labIds = labIds ? labIds.filter((id) => inCountry.includes(id)) : inCountry;
  }
  if (search.labId !== undefined) labIds = labIds ? labIds.filter((id) => id === search.labId) : [search.labId];
  if (labIds) {
    if (labIds.length === 0) return null;
    and.push({ labId: { [Op.in]: labIds } });
  }
  if (search.category) and.push({ category: search.category });
  if (search.kind) and.push({ kind: search.kind });
  if (search.status) and.push({ status: search.status });
  if (search.search) {
    const pattern = `%${escapeLike(search.search)}%`;
    and.push({ [Op.or]: [{ name: { [Op.like]: pattern } }, { category: { [Op.like]: pattern } }, { description: { [Op.like]: pattern } }] });
  }
  return { [Op.and]: and };
}

export async function searchInstruments(search: InstrumentSearch, page: IdPage): Promise<InstrumentRow[]> {
  const where = await instrumentWhere(search);
  if (where === null) return [];
  return Instrument.findAll({
    where: page.afterId ? { [Op.and]: [where, { id: { [Op.gt]: page.afterId } }] } : where,
    order: [['id', 'ASC']],
    limit: page.size + 1,
    raw: true,
  });
}
