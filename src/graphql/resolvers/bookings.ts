import { requireUser } from '../../access/policies';
import {
  approveBooking, cancelBooking, checkIn, checkOut, findVisibleBooking, listBookings, listPendingApprovals, rejectBooking,
  requestBooking, rescheduleBooking, type BookingListFilter, type BookingResult,
} from '../../booking';
import type { BookingRow } from '../../db/rows';
import type { GraphQLContext } from '../context';
import type { BookingFilter, Resolvers } from '../generated/resolvers-types';
import { parseId, parseOptionalId } from '../ids';
import { decodeCursor, pageSize, toPage } from '../pagination';
import { bookingReference } from '../../notifications/booking-reference';
import { bookingCalendarFile } from '../../notifications/calendar';
import { userErrors } from '../user-errors';
import { must, visibleUser } from './shared';

function filterOf(filter: BookingFilter | null | undefined): BookingListFilter {
  return {
    instrumentId: parseOptionalId(filter?.instrumentId, 'filter.instrumentId'),
    labId: parseOptionalId(filter?.labId, 'filter.labId'),
    statuses: filter?.status ?? undefined,
    from: filter?.from ?? undefined,
    to: filter?.to ?? undefined,
  };
}

const bookingPage = (first: number | null | undefined, after: string | null | undefined) => ({
  size: pageSize(first),
  after: decodeCursor<[string, number]>(after, ['string', 'number']),
});
const position = (b: BookingRow) => [b.startAt.toISOString(), b.id];

/** Maps a domain result to the BookingPayload shape (messages rendered for the viewer, conflicts as TimeSpans). */
const payload = (result: BookingResult<BookingRow>, ctx: GraphQLContext) => ({ booking: result.booking, errors: userErrors(result.errors, ctx) });

const deps = (ctx: GraphQLContext) => ({ clock: ctx.clock, viewerZone: ctx.timeZone });

export const bookingResolvers: Resolvers = {
  Query: {
    bookings: async (_p, { filter, first, after }, { viewer }) => {
      const page = bookingPage(first, after);
      return toPage(await listBookings(requireUser(viewer), filterOf(filter), page), page.size, position);
    },
    myBookings: async (_p, { filter, first, after }, { viewer }) => {
      const page = bookingPage(first, after);
      return toPage(await listBookings(requireUser(viewer), { ...filterOf(filter), mine: true }, page), page.size, position);
    },
    pendingApprovals: async (_p, { labId, first, after }, { viewer }) => {
      const page = bookingPage(first, after);
      return toPage(await listPendingApprovals(requireUser(viewer), parseId(labId, 'labId'), page), page.size, position);
    },
    booking: (_p, { id }, { viewer }) => findVisibleBooking(requireUser(viewer), parseId(id)),
  },
  Mutation: {
    requestBooking: async (_p, { input }, ctx) =>
      payload(await requestBooking(ctx.viewer, {
        instrumentId: parseId(input.instrumentId, 'instrumentId'),
        start: input.start,
        end: input.end,
        purpose: input.purpose ?? undefined,
        idempotencyKey: input.idempotencyKey ?? undefined,
      }, deps(ctx)), ctx),
    approveBooking: async (_p, { input }, ctx) =>
      payload(await approveBooking(ctx.viewer, { bookingId: parseId(input.id), note: input.note ?? undefined, expectedVersion: input.version ?? undefined }, ctx.clock), ctx),
    rejectBooking: async (_p, { input }, ctx) =>
      payload(await rejectBooking(ctx.viewer, { bookingId: parseId(input.id), note: input.note ?? undefined, expectedVersion: input.version ?? undefined }, ctx.clock), ctx),
    cancelBooking: async (_p, { input }, ctx) =>
      payload(await cancelBooking(ctx.viewer, { bookingId: parseId(input.id), note: input.note ?? undefined, expectedVersion: input.version ?? undefined }, ctx.clock), ctx),
    rescheduleBooking: async (_p, { input }, ctx) =>
      payload(await rescheduleBooking(ctx.viewer, { bookingId: parseId(input.id), start: input.start, end: input.end, expectedVersion: input.version ?? undefined }, deps(ctx)), ctx),
    checkIn: async (_p, { bookingId }, ctx) => payload(await checkIn(ctx.viewer, parseId(bookingId, 'bookingId'), ctx.clock), ctx),
    checkOut: async (_p, { bookingId }, ctx) => payload(await checkOut(ctx.viewer, parseId(bookingId, 'bookingId'), ctx.clock), ctx),
  },
  Booking: {
    instrument: async (b, _a, { loaders }) => must(await loaders.instrument.load(b.instrumentId), 'instrument'),
    user: async (b, _a, { loaders }) => must(await loaders.user.load(b.userId), 'user'),
    start: (b) => b.startAt,
    end: (b) => b.endAt,
    reference: (b) => bookingReference(b.id),
    history: (b, _a, { loaders }) => loaders.historyByBooking.load(b.id),
    // Whoever may see the booking (its booker, the lab's managers) sees its booker: the attendee of the event.
    calendarFile: async (b, _a, { loaders, cfg }) => {
      const [instrument, booker] = await Promise.all([loaders.instrument.load(b.instrumentId), loaders.user.load(b.userId)]);
      const lab = must(await loaders.lab.load(must(instrument, 'instrument').labId), 'lab');
      const person = must(booker, 'user');
      return bookingCalendarFile(b, { instrument: instrument!.name, lab: lab.name, labTimeZone: lab.timeZone }, { name: person.name, email: person.email }, cfg.MAIL_FROM);
    },
  },
  BookingHistoryEntry: {
    fromStatus: (h) => h.fromStatus as never,
    toStatus: (h) => h.toStatus as never,
    actor: (h, _a, ctx) => visibleUser(h.actorUserId, ctx),
    at: (h) => h.createdAt,
  },
};
