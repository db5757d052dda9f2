// requestBooking: validate every scheduling rule and commit, serialised per instrument.
import { createHash } from 'node:crypto';
import { Interval, type DateTime } from 'luxon';
import type { Transaction } from 'sequelize';
import { bookingAccess, requireUser } from '../access/policies';
import { isQualified } from '../access/qualifications';
import type { UserViewer, Viewer } from '../access/viewer';
import { MAX_BOOKING_MINUTES, holdingBookingsByInstrument, loadHoldingBookingRows, loadScheduleFacts, withBookings, type InstrumentFacts } from '../availability/schedules';
import { systemClock, type Clock } from '../clock';
import { Booking } from '../db/models';
import { isDuplicateKey, type PlainTransaction } from '../db/raw';
import type { BookingRow } from '../db/rows';
import { validateBooking } from '../scheduling';
import { MINUTE_MS } from '../scheduling/zone-time';
import { badInput, notFound } from '../errors';
import { BookingRejected, failure, type BookingError, type BookingResult } from './errors';
import { eventForStatus } from '../events/types';
import { initialStatus } from './state-machine';
import { findByIdempotencyKey, insertBooking, InstrumentNotFound, withInstrumentLock } from './store';

export interface RequestBookingInput {
  instrumentId: number;
  start: DateTime;
  end: DateTime;
  purpose?: string;
  /** Same key from the same user returns the original booking. */
  idempotencyKey?: string;
}

export interface BookingDeps {
  clock?: Clock;
  /** Zone that human messages name times in. */
  viewerZone?: string;
  isQualified?: (userId: number, instrumentId: number, transaction?: Transaction) => Promise<boolean>;
}

const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;

function fingerprint(input: RequestBookingInput): string {
  return createHash('sha256')
    .update(JSON.stringify([input.instrumentId, input.start.toMillis(), input.end.toMillis(), input.purpose ?? '']))
    .digest('hex');
}

/** The purpose and idempotency key of a booking command (a single booking, a series or a group). */
export function inputErrors(input: Pick<RequestBookingInput, 'purpose' | 'idempotencyKey'>): BookingError[] {
  const errors: BookingError[] = [];
  if ((input.purpose ?? '').length > 2000) errors.push(badInput('purpose', 'PURPOSE_TOO_LONG', { max: 2000 }));
  if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) errors.push(badInput('idempotencyKey', 'IDEMPOTENCY_KEY_FORMAT'));
  return errors;
}

/**
 * The access policy (open, members only, qualified) for a booking held by `booker`. Every command that gives a booking
 * time (requestBooking, rescheduleBooking) answers it here, so a moved booking is held to what a new one would be.
 */
export async function checkBookingAccess(
  booker: Pick<UserViewer, 'userId' | 'isAdmin'>,
  instrument: InstrumentFacts,
  deps: BookingDeps,
  field: string,
): Promise<{ error: BookingError; managesLab?: undefined } | { error?: undefined; managesLab: boolean }> {
  const access = await bookingAccess(booker, instrument, { isQualified: deps.isQualified ?? isQualified });
  return access.allowed ? { managesLab: access.managesLab } : { error: { code: 'NOT_QUALIFIED', field, params: { reason: access.reason } } };
}

/**
 * INVALID_TIME_RANGE unless start < end; TOO_LONG past the longest booking any instrument may allow, before the
 * span's calendar is loaded: a span of decades would otherwise cost its public holidays year by year.
 */
export function bookingSpanError(start: DateTime, end: DateTime): BookingError | null {
  if (!start.isValid || !end.isValid || end <= start) return { code: 'INVALID_TIME_RANGE', field: 'end', params: { reason: 'BOOKING_END_NOT_AFTER_START' } };
  if (end.toMillis() - start.toMillis() > MAX_BOOKING_MINUTES * MINUTE_MS) {
    return { code: 'TOO_LONG', field: 'end', params: { reason: 'ANY_INSTRUMENT', maxDays: MAX_BOOKING_MINUTES / 1440 } };
  }
  return null;
}

async function replay(userId: number, input: RequestBookingInput, transaction?: PlainTransaction): Promise<BookingResult<BookingRow> | null> {
  if (!input.idempotencyKey) return null;
  const existing = await findByIdempotencyKey(userId, input.idempotencyKey, transaction);
  if (!existing) return null;
  if (existing.requestFingerprint !== fingerprint(input)) {
    return failure({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
  }
  return { booking: existing, errors: [] };
}

export async function requestBooking(viewer: Viewer, input: RequestBookingInput, deps: BookingDeps = {}): Promise<BookingResult<BookingRow>> {
  const user = requireUser(viewer);
  const clock = deps.clock ?? systemClock;
  const viewerZone = deps.viewerZone ?? user.timeZone;
  const badInput = inputErrors(input);
  if (badInput.length) return failure(...badInput);
  const replayed = await replay(user.userId, input);
  if (replayed) return replayed;
  const spanError = bookingSpanError(input.start, input.end);
  if (spanError) return failure(spanError);

  // Opening hours, rules, blackouts, closures and access are read before the lock: nothing that changes them takes
  // the instrument lock, so reading them under it would serialise nothing. Only the bookings must be read under it.
  const range = Interval.fromDateTimes(input.start, input.end);
  const facts = (await loadScheduleFacts(Booking.sequelize!, [input.instrumentId], range, { roleOfUserId: user.userId, holidayLanguage: user.locale })).get(input.instrumentId);
  if (!facts) return failure(notFound('instrumentId', 'instrument'));
  const access = await checkBookingAccess(user, facts.instrument, deps, 'instrumentId');
  if (access.error) return failure(access.error);

  try {
    const outcome = await withInstrumentLock(input.instrumentId, async (transaction): Promise<BookingResult<BookingRow>> => {
      const holding = await loadHoldingBookingRows(Booking.sequelize!, [input.instrumentId], range, {
        transaction, bufferMinutes: facts.schedule.rules.bufferAfterMinutes,
      });
      // A retry of this same request may have committed while this one waited for the lock. Its booking holds this
      // very span, so it is among the rows just read, and must be answered as a replay, not as a conflict. (A booking
      // under this key that no longer holds time, or holds another span, makes the INSERT below fail on the unique
      // key instead, which is answered by replay() too.) One statement fewer while the lock is held.
      if (input.idempotencyKey && holding.some((b) => b.user_id === user.userId && b.idempotency_key === input.idempotencyKey)) {
        const replayedUnderLock = await replay(user.userId, input, transaction);
        if (replayedUnderLock) return replayedUnderLock;
      }
      const loaded = withBookings(new Map([[input.instrumentId, facts]]), holdingBookingsByInstrument(holding)).get(input.instrumentId)!;

      const violations = validateBooking(loaded.schedule, { start: input.start, end: input.end }, { now: clock.now(), viewerZone });
      if (violations.length) {
        throw new BookingRejected(violations.map((v) => ({ ...v, field: v.code === 'INSTRUMENT_UNAVAILABLE' ? 'instrumentId' : 'start' })));
      }

      const status = initialStatus(loaded.instrument, access);
      const row = await insertBooking({
        instrumentId: input.instrumentId, userId: user.userId, startAt: input.start.toJSDate(), endAt: input.end.toJSDate(), status,
        purpose: input.purpose ?? '', idempotencyKey: input.idempotencyKey ?? null,
        requestFingerprint: input.idempotencyKey ? fingerprint(input) : null,
      }, { actorUserId: user.userId, event: eventForStatus(status) }, transaction);
      return { booking: row, errors: [] };
    });
    return outcome;
  } catch (error) {
    if (error instanceof BookingRejected) return failure(...error.errors);
    if (error instanceof InstrumentNotFound) return failure(notFound('instrumentId', 'instrument'));
    // A concurrent retry with the same key won the insert: answer as the replay would.
    if (isDuplicateKey(error)) {
      const again = await replay(user.userId, input);
      if (again) return again;
    }
    throw error;
  }
}
