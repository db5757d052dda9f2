import { instrumentAvailability } from '../../availability/service';
import type { Resolvers } from '../generated/resolvers-types';
import { parseId } from '../ids';
import { instantsIn } from '../zoned-instants';
import { must } from './shared';

export const availabilityResolvers: Resolvers = {
  Query: {
    availability: (_p, { instrumentIds, from, to, minMinutes }, { viewer, clock }) =>
      instrumentAvailability(
        viewer,
        { instrumentIds: instrumentIds.map((id) => parseId(id, 'instrumentIds')), from, to, minMinutes: minMinutes ?? undefined },
        { clock },
      ),
  },
  InstrumentAvailability: {
    instrument: async (a, _args, { loaders }) => must(await loaders.instrument.load(a.instrumentId), 'instrument'),
    // Built in the viewer's zone up front: the DateTime fields then render without another zone conversion.
    free: (a, _args, { timeZone }) => {
      const at = instantsIn(timeZone);
      return a.free.map((s) => ({ start: at(s.start), end: at(s.end) }));
    },
    busy: (a, _args, { timeZone }) => {
      const at = instantsIn(timeZone);
      return a.busy.map((s) => ({ start: at(s.start), end: at(s.end), kind: s.kind }));
    },
  },
};
