import { instrumentAvailability } from '../../availability/service';
import type { Resolvers } from '../generated/resolvers-types';
import { parseId } from '../ids';
import { renderInstant } from '../rendered-instant';
import { must } from './shared';

export const availabilityResolvers: Resolvers = {
  Query: {
    availability: async (_p, { instrumentIds, from, to, minMinutes }, { viewer, clock, readsPrimary }) =>
      instrumentAvailability(
        viewer,
        { instrumentIds: instrumentIds.map((id) => parseId(id, 'instrumentIds')), from, to, minMinutes: minMinutes ?? undefined },
        { clock, replica: !(await readsPrimary()) },
      ),
  },
  InstrumentAvailability: {
    instrument: async (a, _args, { loaders }) => must(await loaders.instrument.load(a.instrumentId), 'instrument'),
    // Written out in the viewer's zone up front, straight from epoch milliseconds (see rendered-instant.ts).
    free: (a, _args, { timeZone }) => a.free.map((s) => ({ start: renderInstant(s.start, timeZone), end: renderInstant(s.end, timeZone) })),
    busy: (a, _args, { timeZone }) =>
      a.busy.map((s) => ({ start: renderInstant(s.start, timeZone), end: renderInstant(s.end, timeZone), kind: s.kind })),
  },
};
