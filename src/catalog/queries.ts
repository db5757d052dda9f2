// Reads of the public catalogue: institutions, labs, instruments. Keyset pages by id. A second's staleness is fine
// here, so the API reads them from a replica (`replica: true`) unless the viewer just wrote; the default is the primary.
import type { DateTime } from 'luxon';
import { Op, type WhereOptions } from 'sequelize';
import { checkFreeTimeRange, instrumentsWithFreeTime } from '../availability/service';
import { Institution, Instrument, Lab } from '../db/models';
import { findAllRows, type ReplicaRead } from '../db/raw';
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

export async function listInstitutions(page: IdPage, read: ReplicaRead = {}): Promise<InstitutionRow[]> {
  return findAllRows(Institution, {
    where: page.afterId ? { id: { [Op.gt]: page.afterId } } : {},
    order: [['id', 'ASC']],
    limit: page.size + 1,
  }, read);
}

export async function listLabs(filter: { countryCode?: string }, page: IdPage, read: ReplicaRead = {}): Promise<LabRow[]> {
  const where: WhereOptions<LabRow> = {};
  if (filter.countryCode) Object.assign(where, { countryCode: filter.countryCode.toUpperCase() });
  if (page.afterId) Object.assign(where, { id: { [Op.gt]: page.afterId } });
  return findAllRows(Lab, { where, order: [['id', 'ASC']], limit: page.size + 1 }, read);
}

/** Instrument where-clause for a search; the country filter goes through the lab. */
export async function instrumentWhere(search: InstrumentSearch, read: ReplicaRead = {}): Promise<WhereOptions<InstrumentRow> | null> {
  const and: WhereOptions<InstrumentRow>[] = [];
  let labIds = search.labIds;
  if (search.countryCode) {
    const labs = await findAllRows(Lab, { where: { countryCode: search.countryCode.toUpperCase() }, attributes: ['id'] }, read);
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

export async function searchInstruments(search: InstrumentSearch, page: IdPage, read: ReplicaRead = {}): Promise<InstrumentRow[]> {
  const where = await instrumentWhere(search, read);
  if (where === null) return [];
  return findAllRows(Instrument, {
    where: page.afterId ? { [Op.and]: [where, { id: { [Op.gt]: page.afterId } }] } : where,
    order: [['id', 'ASC']],
    limit: page.size + 1,
  }, read);
}

/** "Free for minMinutes somewhere in [from, to)", computed from the live schedule as of `now`. */
export interface FreeWindow {
  from: DateTime;
  to: DateTime;
  minMinutes?: number;
  now: DateTime;
}

/** Candidates read per round; their free time is computed in one batch (a fixed number of queries). */
const FREE_SCAN_BATCH = 100;
/** Candidates one page may examine; past that the page ends early and its cursor resumes the scan. */
export const FREE_SCAN_LIMIT = 1000;

export interface FreeSearchPage {
  /** Matches in id order: size + 1 of them when there is a next page. */
  rows: InstrumentRow[];
  /** Set when the scan stopped at FREE_SCAN_LIMIT with size or fewer matches: the next page starts after this id. */
  resumeAfterId?: number;
}

/**
 * searchInstruments narrowed to instruments free for minMinutes within the window. The SQL filter keeps only
 * AVAILABLE instruments whose bookings may last minMinutes; free time is then computed for each batch of
 * candidates at once, in id order, until the page is full.
 */
export async function searchInstrumentsFree(search: InstrumentSearch, window: FreeWindow, page: IdPage, read: ReplicaRead = {}): Promise<FreeSearchPage> {
  const range = checkFreeTimeRange(window.from, window.to, window.minMinutes, { from: 'filter.freeFrom', to: 'filter.freeTo', minMinutes: 'filter.minMinutes' });
  if (search.status && search.status !== 'AVAILABLE') return { rows: [] };
  const where = await instrumentWhere(search, read);
  if (where === null) return { rows: [] };
  const candidateWhere: WhereOptions<InstrumentRow>[] = [where, { status: 'AVAILABLE' }];
  if (window.minMinutes !== undefined) candidateWhere.push({ maxMinutes: { [Op.gte]: window.minMinutes } });

  const rows: InstrumentRow[] = [];
  let afterId = page.afterId ?? 0;
  let scanned = 0;
  for (;;) {
    const batchSize = Math.min(FREE_SCAN_BATCH, FREE_SCAN_LIMIT - scanned);
    const candidates = await findAllRows(Instrument, {
      where: { [Op.and]: [...candidateWhere, { id: { [Op.gt]: afterId } }] },
      order: [['id', 'ASC']],
      limit: batchSize,
    }, read);
    if (candidates.length === 0) return { rows };
    const free = await instrumentsWithFreeTime(candidates.map((c) => c.id), range, { now: window.now, minMinutes: window.minMinutes, replica: read.replica });
    for (const candidate of candidates) {
      if (!free.has(candidate.id)) continue;
      rows.push(candidate);
      if (rows.length > page.size) return { rows };
    }
    scanned += candidates.length;
    afterId = candidates[candidates.length - 1].id;
    if (candidates.length < batchSize) return { rows };
    if (scanned >= FREE_SCAN_LIMIT) return { rows, resumeAfterId: afterId };
  }
}
