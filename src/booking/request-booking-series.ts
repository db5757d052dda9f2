// requestBookingSeries: a recurring series on one instrument. The rule is expanded in the lab's zone (recurrence.ts),
// every occurrence is checked by the same rules as a single booking (validateBooking), under ONE instrument lock for the
// whole series, and the series, its bookings, their history and events and the series' own event are written in one
// transaction: ALL_OR_NOTHING books every occurrence or none, SKIP_CONFLICTS books those that fit.
import { createHash } from 'node:crypto';
import { DateTime, Interval } from 'luxon';
import { requireUser } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { holdingBookingsByInstrument, loadHoldingBookingRows, loadScheduleFacts, withBookings } from '../availability/schedules';
import { systemClock } from '../clock';
import { Booking } from '../db/models';
import { isDuplicateKey, rawQuery } from '../db/raw';
import type { BookingRow } from '../db/rows';
import { badInput, notFound, type UserError } from '../errors';
import { eventForStatus } from '../events/types';
import { validateBooking, type BookingRules, type BusyBooking, type Violation } from '../scheduling';
import { horizonOf } from '../scheduling/booking-rules';
import { BookingRejected } from './errors';
import { expandSeries, formatRecurrence, parseRecurrence, type Occurrence } from './recurrence';
import { bookingSpanError, checkBookingAccess, inputErrors, type BookingDeps } from './request-booking';
import { seriesEventFor, seriesFailure, seriesResultOf, type OccurrenceView, type SeriesResult } from './series-result';
import { findSeriesByIdempotencyKey, insertSeries, insertSeriesOccurrences, recordSeriesEvent, type BookingSeriesMode, type SeriesOccurrenceRow } from './series-store';
import { initialStatus } from './state-machine';
import { insertBookings, InstrumentNotFound, withInstrumentLock } from './store';

export interface RequestBookingSeriesInput {
  instrumentId: number;
  /** The first occurrence. */
  start: DateTime;
  end: DateTime;
  /** The RRULE subset (recurrence.ts). */
  recurrence: string;
  purpose?: string;
  mode: BookingSeriesMode;
  /** Same key from the same user returns the original series. */
  idempotencyKey?: string;
}

/** Occurrences did not fit: nothing is written (the transaction rolls back and releases the lock). */
class SeriesNotBooked extends Error {
  constructor(readonly occurrences: OccurrenceView[], readonly error: UserError) {
    super('series not booked');
  }
}

function fingerprint(input: RequestBookingSeriesInput, recurrence: string): string {
  return createHash('sha256')
    .update(JSON.stringify(['series', input.instrumentId, input.start.toMillis(), input.end.toMillis(), recurrence, input.purpose ?? '', input.mode]))
    .digest('hex');
}

async function replay(userId: number, input: RequestBookingSeriesInput, recurrence: string): Promise<SeriesResult | null> {
  if (!input.idempotencyKey) return null;
  const existing = await findSeriesByIdempotencyKey(userId, input.idempotencyKey);
  if (!existing) return null;
  if (existing.requestFingerprint !== fingerprint(input, recurrence)) return seriesFailure({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
  return seriesResultOf(existing);
}

/** What the rule needs before the calendar can be loaded: the lab's zone and the instrument's booking rules (its horizon). */
async function horizonFacts(instrumentId: number): Promise<{ timeZone: string; rules: BookingRules } | null> {
  const [row] = await rawQuery<{ time_zone: string; slot_minutes: number; min_minutes: number; max_minutes: number; min_notice_minutes: number;
    max_advance_days: number; buffer_after_minutes: number }[]>(
    Booking.sequelize!,
    `SELECT l.time_zone, i.slot_minutes, i.min_minutes, i.max_minutes, i.min_notice_minutes, i.max_advance_days, i.buffer_after_minutes
       FROM instruments i JOIN labs l ON l.id = i.lab_id WHERE i.id = ?`,
    [instrumentId],
  );
  return row ? {
    timeZone: row.time_zone,
    rules: {
      slotMinutes: row.slot_minutes, minMinutes: row.min_minutes, maxMinutes: row.max_minutes, minNoticeMinutes: row.min_notice_minutes,
      maxAdvanceDays: row.max_advance_days, bufferAfterMinutes: row.buffer_after_minutes,
    },
  } : null;
}

const problemsOf = (violations: Violation[]): UserError[] =>
  violations.map((v) => ({ ...v, field: v.code === 'INSTRUMENT_UNAVAILABLE' ? 'instrumentId' : 'start' }));

export async function requestBookingSeries(viewer: Viewer, input: RequestBookingSeriesInput, deps: BookingDeps = {}): Promise<SeriesResult> {
  const user = requireUser(viewer);
  const clock = deps.clock ?? systemClock;
  const viewerZone = deps.viewerZone ?? user.timeZone;
  const bad = inputErrors(input);
  if (bad.length) return seriesFailure(...bad);
  if (input.mode !== 'ALL_OR_NOTHING' && input.mode !== 'SKIP_CONFLICTS') return seriesFailure(badInput('mode', 'SERIES_MODE'));
  const parsed = parseRecurrence(input.recurrence);
  if ('error' in parsed) return seriesFailure(parsed.error);
  const recurrence = formatRecurrence(parsed.rule);
  const replayed = await replay(user.userId, input, recurrence);
  if (replayed) return replayed;
  const spanError = bookingSpanError(input.start, input.end);
  if (spanError) return seriesFailure(spanError);

  const horizon = await horizonFacts(input.instrumentId);
  if (!horizon) return seriesFailure(notFound('instrumentId', 'instrument'));
  const now = clock.now();
  const latestEnd = DateTime.fromMillis(horizonOf(horizon.rules, now, horizon.timeZone).latestEnd, { zone: horizon.timeZone });
  const expanded = expandSeries({
    start: input.start, end: input.end, rule: parsed.rule, zone: horizon.timeZone, latestEnd, maxAdvanceDays: horizon.rules.maxAdvanceDays,
  });
  if ('error' in expanded) return seriesFailure(expanded.error);
  const occurrences = expanded.occurrences;

  // Hours, rules, blackouts, closures and access are read before the lock, for the whole span of the series; only the
  // bookings are read under it (see request-booking.ts).
  const range = Interval.fromDateTimes(occurrences[0].start, occurrences[occurrences.length - 1].end);
  const facts = (await loadScheduleFacts(Booking.sequelize!, [input.instrumentId], range, { roleOfUserId: user.userId })).get(input.instrumentId);
  if (!facts) return seriesFailure(notFound('instrumentId', 'instrument'));
  const access = await checkBookingAccess(user, facts.instrument, deps, 'instrumentId');
  if (access.error) return seriesFailure(access.error);
  const status = initialStatus(facts.instrument, access);

  try {
    // The lock is taken once for the whole series, not once per occurrence.
    return await withInstrumentLock(input.instrumentId, async (transaction): Promise<SeriesResult> => {
      if (input.idempotencyKey) {
        // A retry of this request may have committed while this one waited for the lock.
        const existing = await findSeriesByIdempotencyKey(user.userId, input.idempotencyKey, transaction);
        if (existing) {
          return existing.requestFingerprint === fingerprint(input, recurrence)
            ? seriesResultOf(existing, transaction)
            : seriesFailure({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
        }
      }
      const holding = await loadHoldingBookingRows(Booking.sequelize!, [input.instrumentId], range, {
        transaction, bufferMinutes: facts.schedule.rules.bufferAfterMinutes,
      });
      const { schedule } = withBookings(new Map([[input.instrumentId, facts]]), holdingBookingsByInstrument(holding)).get(input.instrumentId)!;
      // Occurrences that fit hold their time for the later ones: a series never overlaps itself.
      const busy: BusyBooking[] = [...schedule.bookings];
      const checked = occurrences.map((occurrence) => {
        const violations = validateBooking({ ...schedule, bookings: busy }, occurrence, { now, viewerZone });
        if (violations.length === 0) busy.push({ interval: Interval.fromDateTimes(occurrence.start, occurrence.end) });
        return { occurrence, problems: problemsOf(violations) };
      });
      const fits = checked.filter((c) => c.problems.length === 0);
      const failed = checked.length - fits.length;
      if ((input.mode === 'ALL_OR_NOTHING' && failed > 0) || fits.length === 0) {
        const views = checked.map(({ occurrence, problems }) => view(occurrence, problems.length ? problems[0].code : 'WOULD_BOOK', problems, null));
        throw new SeriesNotBooked(views, {
          code: 'SERIES_NOT_BOOKED', field: 'recurrence', params: { reason: input.mode, failed, occurrences: checked.length },
        });
      }

      const series = await insertSeries({
        instrumentId: input.instrumentId, userId: user.userId, recurrence, timeZone: horizon.timeZone,
        startAt: input.start.toJSDate(), endAt: input.end.toJSDate(), mode: input.mode, purpose: input.purpose ?? '',
        idempotencyKey: input.idempotencyKey ?? null, requestFingerprint: input.idempotencyKey ? fingerprint(input, recurrence) : null,
      }, transaction);
      // Every booking, history line and event of the series in three statements: the lock is held for as short as may be.
      const booked = await insertBookings(fits.map(({ occurrence }) => ({
        instrumentId: input.instrumentId, userId: user.userId, startAt: occurrence.start.toJSDate(), endAt: occurrence.end.toJSDate(), status,
        purpose: input.purpose ?? '', idempotencyKey: null, requestFingerprint: null, seriesId: series.id,
      })), { actorUserId: user.userId, event: eventForStatus(status), bySeries: true }, transaction);
      const bookingOf = new Map(fits.map((fit, i) => [fit, booked[i]]));
      const rows: SeriesOccurrenceRow[] = [];
      const views: OccurrenceView[] = [];
      for (const checkedOccurrence of checked) {
        const { occurrence, problems } = checkedOccurrence;
        const booking = bookingOf.get(checkedOccurrence) ?? null;
        const outcome = booking ? 'BOOKED' : problems[0].code;
        rows.push({ seriesId: series.id, occurrenceStart: occurrence.start.toJSDate(), occurrenceEnd: occurrence.end.toJSDate(), bookingId: booking?.id ?? null, outcome });
        views.push(view(occurrence, outcome, problems, booking));
      }
      await insertSeriesOccurrences(rows, transaction);
      await recordSeriesEvent(status === 'PENDING' ? 'booking_series.requested' : 'booking_series.confirmed', seriesEventFor(series, booked, rows, {
        status, previousStatus: null, actorUserId: user.userId, note: null,
      }), transaction);
      return { series, occurrences: views, errors: [] };
    });
  } catch (error) {
    if (error instanceof SeriesNotBooked) return { series: null, occurrences: error.occurrences, errors: [error.error] };
    if (error instanceof BookingRejected) return seriesFailure(...error.errors);
    if (error instanceof InstrumentNotFound) return seriesFailure(notFound('instrumentId', 'instrument'));
    // A concurrent retry with the same key won the insert: answer as the replay would.
    if (isDuplicateKey(error)) {
      const again = await replay(user.userId, input, recurrence);
      if (again) return again;
    }
    throw error;
  }
}

const view = (occurrence: Occurrence, outcome: string, problems: UserError[], booking: BookingRow | null): OccurrenceView => ({
  start: occurrence.start.toJSDate(), end: occurrence.end.toJSDate(), outcome, problems, booking,
});
