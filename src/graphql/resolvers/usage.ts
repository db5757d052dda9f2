import { listUsageLogs, usageSummary } from '../../usage/queries';
import type { UsageLogRow } from '../../db/rows';
import type { Resolvers } from '../generated/resolvers-types';
import { parseId, parseOptionalId } from '../ids';
import { decodeCursor, pageSize, toPage } from '../pagination';
import { must } from './shared';

const position = (log: UsageLogRow) => [log.startAt.toISOString(), log.id];

export const usageResolvers: Resolvers = {
  Query: {
    usageLogs: async (_p, { filter, first, after }, { viewer, readsPrimary }) => {
      const size = pageSize(first);
      const rows = await listUsageLogs(viewer, {
        labId: parseOptionalId(filter?.labId, 'filter.labId'),
        instrumentId: parseOptionalId(filter?.instrumentId, 'filter.instrumentId'),
        institutionId: parseOptionalId(filter?.institutionId, 'filter.institutionId'),
        from: filter?.from ?? undefined,
        to: filter?.to ?? undefined,
      }, { size, after: decodeCursor<[string, number]>(after, ['string', 'number']) }, { replica: !(await readsPrimary()) });
      return toPage(rows, size, position);
    },
    usageSummary: async (_p, { labId, from, to, groupBy }, { viewer, readsPrimary }) =>
      usageSummary(viewer, { labId: parseId(labId, 'labId'), from, to, groupBy }, { replica: !(await readsPrimary()) }),
  },
  UsageLog: {
    booking: async (log, _a, { loaders }) => must(await loaders.booking.load(log.bookingId), 'booking'),
    instrument: async (log, _a, { loaders }) => must(await loaders.instrument.load(log.instrumentId), 'instrument'),
    lab: async (log, _a, { loaders }) => must(await loaders.lab.load(log.labId), 'lab'),
    user: async (log, _a, { loaders }) => must(await loaders.user.load(log.userId), 'user'),
    institution: async (log, _a, { loaders }) => must(await loaders.institution.load(log.institutionId), 'institution'),
    start: (log) => log.startAt,
    end: (log) => log.endAt,
  },
  UsageSummary: {
    lab: async (summary, _a, { loaders }) => must(await loaders.lab.load(summary.labId), 'lab'),
  },
  UsageSummaryRow: {
    instrument: (row, _a, { loaders }) => (row.instrumentId ? loaders.instrument.load(row.instrumentId) : null),
    institution: (row, _a, { loaders }) => (row.institutionId ? loaders.institution.load(row.institutionId) : null),
  },
};
