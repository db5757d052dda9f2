// Recurring bookings (schema/booking-series.graphql): thin resolvers over the series commands in src/booking.
import { requireUser } from '../../access/policies';
import { approveBookingSeries, cancelBookingSeries, findVisibleSeries, rejectBookingSeries, requestBookingSeries, type SeriesResult } from '../../booking';
import { bookingReference } from '../../notifications/booking-reference';
import { emailText } from '../../notifications/email-catalog';
import { loadSeriesFacts, seriesCalendar, seriesHoldsTime } from '../../notifications/series-facts';
import type { GraphQLContext } from '../context';
import type { Resolvers } from '../generated/resolvers-types';
import { parseId, parseOptionalId } from '../ids';
import { userErrors } from '../user-errors';
import { must } from './shared';

const payload = (result: SeriesResult, ctx: GraphQLContext) => ({ series: result.series, occurrences: result.occurrences, errors: userErrors(result.errors, ctx) });

const decision = (input: { id: string | number; note?: string | null; version?: number | null }) => ({
  seriesId: parseId(input.id), note: input.note ?? undefined, expectedVersion: input.version ?? undefined,
});

export const bookingSeriesResolvers: Resolvers = {
  Query: {
    bookingSeries: (_p, { id }, { viewer }) => findVisibleSeries(requireUser(viewer), parseId(id)),
  },
  Mutation: {
    requestBookingSeries: async (_p, { input }, ctx) =>
      payload(await requestBookingSeries(ctx.viewer, {
        instrumentId: parseId(input.instrumentId, 'instrumentId'),
        start: input.start,
        end: input.end,
        recurrence: input.recurrence,
        purpose: input.purpose ?? undefined,
        mode: input.mode,
        idempotencyKey: input.idempotencyKey ?? undefined,
      }, { clock: ctx.clock, viewerZone: ctx.timeZone }), ctx),
    approveBookingSeries: async (_p, { input }, ctx) => payload(await approveBookingSeries(ctx.viewer, decision(input), ctx.clock), ctx),
    rejectBookingSeries: async (_p, { input }, ctx) => payload(await rejectBookingSeries(ctx.viewer, decision(input)), ctx),
    cancelBookingSeries: async (_p, { input }, ctx) =>
      payload(await cancelBookingSeries(ctx.viewer, {
        ...decision(input), scope: input.scope, fromBookingId: parseOptionalId(input.fromBookingId, 'fromBookingId'),
      }, ctx.clock), ctx),
  },
  Booking: {
    series: (b, _a, { loaders }) => (b.seriesId ? loaders.bookingSeries.load(b.seriesId) : null),
  },
  BookingSeries: {
    instrument: async (s, _a, { loaders }) => must(await loaders.instrument.load(s.instrumentId), 'instrument'),
    user: async (s, _a, { loaders }) => must(await loaders.user.load(s.userId), 'user'),
    start: (s) => s.startAt,
    end: (s) => s.endAt,
    occurrences: async (s, _a, { loaders }) => {
      const [rows, bookings] = await Promise.all([loaders.occurrencesBySeries.load(s.id), loaders.bookingsBySeries.load(s.id)]);
      const byId = new Map(bookings.map((b) => [b.id, b]));
      return rows.map((r) => ({ start: r.occurrenceStart, end: r.occurrenceEnd, outcome: r.outcome, problems: [], booking: r.bookingId ? byId.get(r.bookingId) ?? null : null }));
    },
    bookings: (s, _a, { loaders }) => loaders.bookingsBySeries.load(s.id),
    // One series at a time (a detail view's field): its occurrences, bookings and names in one round of statements.
    calendarFile: async (s, _a, { cfg }) => {
      const facts = must(await loadSeriesFacts(s.id), 'bookingSeries');
      const first = facts.bookings[0];
      return seriesCalendar(facts, {
        method: seriesHoldsTime(facts) ? 'REQUEST' : 'CANCEL', mailFrom: cfg.MAIL_FROM,
        attendee: { name: facts.booker.name, email: facts.booker.email }, stamp: s.updatedAt,
        // As the English invitation's summary: the download has no recipient language.
        summary: first
          ? emailText('en', 'invite.summary', { instrument: facts.instrument.name, lab: facts.lab.name, reference: bookingReference(first.id) })
          : `${facts.instrument.name} — ${facts.lab.name}`,
        description: s.purpose,
      });
    },
  },
  SeriesOccurrence: {
    outcome: (o) => o.outcome as never,
    problems: (o, _a, ctx) => userErrors(o.problems, ctx),
  },
};
