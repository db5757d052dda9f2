import { listInstitutions, listLabs, searchInstruments, searchInstrumentsFree } from '../../catalog/queries';
import { badUserInput } from '../errors';
import type { Resolvers } from '../generated/resolvers-types';
import { parseId, parseOptionalId } from '../ids';
import { decodeCursor, encodeCursor, pageSize, toPage } from '../pagination';
import { clockTime, must, weekdayName } from './shared';

const afterId = (after: string | null | undefined) => decodeCursor<[number]>(after, ['number'])?.[0];
const byId = (row: { id: number }) => [row.id];

export const instrumentResolvers: Resolvers = {
  Query: {
    institutions: async (_p, { first, after }, { readsPrimary }) => {
      const size = pageSize(first, 50);
      return toPage(await listInstitutions({ size, afterId: afterId(after) }, { replica: !(await readsPrimary()) }), size, byId);
    },
    labs: async (_p, { country, first, after }, { readsPrimary }) => {
      const size = pageSize(first, 50);
      return toPage(await listLabs({ countryCode: country ?? undefined }, { size, afterId: afterId(after) }, { replica: !(await readsPrimary()) }), size, byId);
    },
    lab: (_p, { id }, { loaders }) => loaders.lab.load(parseId(id)),
    instruments: async (_p, { filter, first, after }, { clock, readsPrimary }) => {
      const size = pageSize(first);
      const search = {
        labId: parseOptionalId(filter?.labId, 'filter.labId'),
        category: filter?.category ?? undefined,
        countryCode: filter?.country ?? undefined,
        search: filter?.search ?? undefined,
        kind: filter?.kind ?? undefined,
        status: filter?.status ?? undefined,
      };
      const page = { size, afterId: afterId(after) };
      const { freeFrom, freeTo, minMinutes } = filter ?? {};
      const read = { replica: !(await readsPrimary()) };
      if (!freeFrom && !freeTo && minMinutes == null) return toPage(await searchInstruments(search, page, read), size, byId);
      if (!freeFrom || !freeTo) throw badUserInput('filter.freeFrom and filter.freeTo go together (and minMinutes needs both).', freeFrom ? 'filter.freeTo' : 'filter.freeFrom');
      const found = await searchInstrumentsFree(search, { from: freeFrom, to: freeTo, minMinutes: minMinutes ?? undefined, now: clock.now() }, page, read);
      const result = toPage(found.rows, size, byId);
      // The scan stopped early: the cursor resumes after the last candidate examined, not the last match.
      if (found.resumeAfterId !== undefined) result.pageInfo = { hasNextPage: true, endCursor: encodeCursor([found.resumeAfterId]) };
      return result;
    },
    instrument: (_p, { id }, { loaders }) => loaders.instrument.load(parseId(id)),
  },
  Institution: {},
  Lab: {
    institution: async (lab, _a, { loaders }) => must(await loaders.institution.load(lab.institutionId), 'institution'),
    observesPublicHolidays: (lab) => Boolean(lab.observesPublicHolidays),
    openingHours: (lab, _a, { loaders }) => loaders.labOpeningHours.load(lab.id),
    instruments: async (lab, { first, after }, { readsPrimary }) => {
      const size = pageSize(first);
      return toPage(await searchInstruments({ labId: lab.id }, { size, afterId: afterId(after) }, { replica: !(await readsPrimary()) }), size, byId);
    },
  },
  OpeningWindow: {
    weekday: (w) => weekdayName(w.weekday),
    start: (w) => clockTime(w.startMinute),
    end: (w) => clockTime(w.endMinute),
  },
  Instrument: {
    lab: async (instrument, _a, { loaders }) => must(await loaders.lab.load(instrument.labId), 'lab'),
    requiresApproval: (i) => Boolean(i.requiresApproval),
    requiresCheckIn: (i) => Boolean(i.requiresCheckIn),
    rules: (i) => i,
    openingHours: async (instrument, _a, { loaders }) => {
      const own = await loaders.instrumentOpeningHours.load(instrument.id);
      return own.length ? own : loaders.labOpeningHours.load(instrument.labId);
    },
  },
};
