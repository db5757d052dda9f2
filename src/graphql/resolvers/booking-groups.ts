import { mayOnBookings, requireUser } from '../../access/policies';
import {
  cancelBookingGroup, findVisibleBookingGroup, groupStatus, requestBookingGroup, rescheduleBookingGroup, type BookingGroupResult,
} from '../../booking';
import type { GraphQLContext } from '../context';
import type { Resolvers } from '../generated/resolvers-types';
import { parseId } from '../ids';
import { userErrors } from '../user-errors';
import { must } from './shared';

const payload = (result: BookingGroupResult, ctx: GraphQLContext) => ({ group: result.group, errors: userErrors(result.errors, ctx) });

const deps = (ctx: GraphQLContext) => ({ clock: ctx.clock, viewerZone: ctx.timeZone });

export const bookingGroupResolvers: Resolvers = {
  Query: {
    bookingGroup: (_p, { id }, { viewer }) => findVisibleBookingGroup(requireUser(viewer), parseId(id)),
  },
  Mutation: {
    requestBookingGroup: async (_p, { input }, ctx) =>
      payload(await requestBookingGroup(ctx.viewer, {
        items: input.items.map((item, i) => ({ instrumentId: parseId(item.instrumentId, `items.${i}.instrumentId`), start: item.start, end: item.end })),
        purpose: input.purpose ?? undefined,
        idempotencyKey: input.idempotencyKey ?? undefined,
      }, deps(ctx)), ctx),
    cancelBookingGroup: async (_p, { input }, ctx) =>
      payload(await cancelBookingGroup(ctx.viewer, { groupId: parseId(input.id), note: input.note ?? undefined }, ctx.clock), ctx),
    rescheduleBookingGroup: async (_p, { input }, ctx) =>
      payload(await rescheduleBookingGroup(ctx.viewer, {
        groupId: parseId(input.id),
        shiftMinutes: input.shiftMinutes ?? undefined,
        parts: input.parts?.map((p, i) => ({ bookingId: parseId(p.bookingId, `parts.${i}.bookingId`), start: p.start, end: p.end })),
      }, deps(ctx)), ctx),
  },
  Booking: {
    group: async (b, _a, { loaders }) => {
      if (!b.groupId) return null;
      const [group, parts] = await Promise.all([loaders.bookingGroup.load(b.groupId), loaders.partsByGroup.load(b.groupId)]);
      return { ...must(group, 'booking group'), parts };
    },
  },
  BookingGroup: {
    status: (g) => groupStatus(g.parts.map((p) => p.status)),
    user: async (g, _a, { loaders }) => must(await loaders.user.load(g.userId), 'user'),
    partCount: (g) => g.parts.length,
    // The group is visible to whoever may see one part; each part in full only to whoever may see it (the same policy).
    parts: async (g, _a, { viewer, loaders }) => {
      const instruments = await Promise.all(g.parts.map((p) => loaders.instrument.load(p.instrumentId)));
      const targets = g.parts.map((booking, i) => ({ booking, labId: must(instruments[i], 'instrument').labId }));
      const visible = await mayOnBookings(requireUser(viewer), 'SEE', targets);
      return g.parts.filter((_p, i) => visible[i]);
    },
    start: (g) => new Date(Math.min(...g.parts.map((p) => p.startAt.getTime()))),
    end: (g) => new Date(Math.max(...g.parts.map((p) => p.endAt.getTime()))),
  },
};
