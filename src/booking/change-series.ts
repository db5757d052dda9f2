// Decisions on a whole series (approve, reject, cancel all or this-and-following) and on one occurrence through the
// series (cancel this one). The series counterpart of the command skeleton (command.ts): load the series and its lab,
// authorise through the policy, take the instrument lock once, then the series row, then its bookings, check the
// series' version, ask the state machine for each booking, write each change through the booking store, and record the
// series event in the same transaction.
import { DateTime } from 'luxon';
import { mayOnBooking, requireNotBookerDeciding, requireUser, type BookingPermission } from '../access/policies';
import type { UserViewer, Viewer } from '../access/viewer';
import { systemClock, type Clock } from '../clock';
import type { BookingStatus } from '../db/models/booking';
import type { BookingRow } from '../db/rows';
import { badInput, notFound, type UserError } from '../errors';
import { eventForStatus, type SeriesEventType } from '../events/types';
import { BookingRejected } from './errors';
import { seriesEventFor, seriesFailure, seriesResultOf, type SeriesResult } from './series-result';
import { bumpSeriesVersion, findSeriesOccurrences, findSeriesWithLab, lockSeries, lockSeriesBookings, recordSeriesEvent, type BookingSeriesRow } from './series-store';
import { nextStatus, type BookingAction } from './state-machine';
import { updateBookings, withInstrumentLock } from './store';

export type SeriesScope = 'ALL' | 'THIS_AND_FOLLOWING' | 'THIS_ONE';

interface SeriesChange {
  seriesId: number;
  action: Extract<BookingAction, 'APPROVE' | 'REJECT' | 'CANCEL'>;
  permission: Extract<BookingPermission, 'DECIDE' | 'CHANGE'>;
  expectedVersion?: number;
  note?: string;
  /** The bookings the change is asked for, among the series' locked bookings (those the state machine refuses are left out). */
  select(bookings: BookingRow[]): BookingRow[] | UserError;
  /** What it says when nothing is selected. */
  nothing: string;
  /** The series event (and version bump), or none for a change of one occurrence (told like any booking change). */
  seriesEvent: SeriesEventType | null;
  scope?: 'ALL' | 'THIS_AND_FOLLOWING';
}

const validNote = (note: string | undefined): UserError | null =>
  note !== undefined && note.length > 2000 ? badInput('note', 'NOTE_TOO_LONG', { max: 2000 }) : null;

async function changeSeries(user: UserViewer, change: SeriesChange): Promise<SeriesResult> {
  const missing = notFound('id', 'bookingSeries');
  const bad = validNote(change.note);
  if (bad) return seriesFailure(bad);
  const found = await findSeriesWithLab(change.seriesId);
  if (!found) return seriesFailure(missing);
  const target = { booking: { userId: found.series.userId }, labId: found.labId };
  if (!(await mayOnBooking(user, change.permission, target))) {
    if (change.permission === 'DECIDE') requireNotBookerDeciding(user, target);
    return seriesFailure(missing);
  }
  try {
    return await withInstrumentLock(found.series.instrumentId, async (transaction) => {
      let series: BookingSeriesRow | null = await lockSeries(change.seriesId, transaction);
      if (!series) throw new BookingRejected([missing]);
      if (change.expectedVersion !== undefined && change.expectedVersion !== series.version) {
        throw new BookingRejected([{ code: 'STALE_VERSION', field: 'version', params: { expected: change.expectedVersion, current: series.version, status: 'SERIES' } }]);
      }
      const bookings = await lockSeriesBookings(series.id, transaction);
      const asked = change.select(bookings);
      if (!Array.isArray(asked)) throw new BookingRejected([asked]);
      const selected = asked.filter((b) => nextStatus(b.status, change.action) !== null);
      if (selected.length === 0) throw new BookingRejected([{ code: 'INVALID_STATE', field: 'id', params: { reason: change.nothing } }]);
      const note = change.note ?? null;
      const bySeries = change.seriesEvent !== null;
      const previousStatus = selected[0].status;
      // Every action a series decision takes leads to one status whatever the booking's own (PENDING or CONFIRMED).
      const to: BookingStatus = nextStatus(previousStatus, change.action)!;
      const decided = change.action === 'CANCEL' ? {} : { decidedBy: user.userId, decidedAt: new Date(), decisionNote: note };
      const changed = await updateBookings(selected, { status: to, ...decided }, { actorUserId: user.userId, note, event: eventForStatus(to), bySeries }, transaction);
      if (change.seriesEvent) {
        series = await bumpSeriesVersion(series, transaction);
        const occurrences = await findSeriesOccurrences([series.id], transaction);
        await recordSeriesEvent(change.seriesEvent, seriesEventFor(series, changed, occurrences, { status: to, previousStatus, actorUserId: user.userId, note, scope: change.scope }), transaction);
      }
      return seriesResultOf(series, transaction);
    });
  } catch (error) {
    if (error instanceof BookingRejected) return seriesFailure(...error.errors);
    throw error;
  }
}

export interface SeriesDecisionInput {
  seriesId: number;
  note?: string;
  /** The series version the caller saw; a different current version is STALE_VERSION. */
  expectedVersion?: number;
}

/** A lab manager approves every PENDING occurrence that has not started, in one decision. */
export async function approveBookingSeries(viewer: Viewer, input: SeriesDecisionInput, clock: Clock = systemClock): Promise<SeriesResult> {
  const now = clock.now();
  return changeSeries(requireUser(viewer), {
    ...input, action: 'APPROVE', permission: 'DECIDE', nothing: 'NOTHING_TO_DECIDE', seriesEvent: 'booking_series.confirmed',
    select: (bookings) => bookings.filter((b) => DateTime.fromJSDate(b.startAt) > now),
  });
}

/** A lab manager rejects every PENDING occurrence, in one decision. */
export async function rejectBookingSeries(viewer: Viewer, input: SeriesDecisionInput): Promise<SeriesResult> {
  return changeSeries(requireUser(viewer), {
    ...input, action: 'REJECT', permission: 'DECIDE', nothing: 'NOTHING_TO_DECIDE', seriesEvent: 'booking_series.rejected', select: (bookings) => bookings,
  });
}

export interface CancelSeriesInput extends SeriesDecisionInput {
  scope: SeriesScope;
  /** The booking THIS_AND_FOLLOWING and THIS_ONE start at. */
  fromBookingId?: number;
}

/**
 * The booker, the lab's managers and admins cancel all occurrences, this and the following ones, or this one; only
 * occurrences that hold time and have not ended. THIS_ONE is told like cancelBooking (its own e-mail and event).
 */
export async function cancelBookingSeries(viewer: Viewer, input: CancelSeriesInput, clock: Clock = systemClock): Promise<SeriesResult> {
  const now = clock.now();
  if (input.scope !== 'ALL' && input.fromBookingId === undefined) return seriesFailure(badInput('fromBookingId', 'SERIES_SCOPE_NEEDS_BOOKING'));
  const notOver = (b: BookingRow) => DateTime.fromJSDate(b.endAt) > now;
  return changeSeries(requireUser(viewer), {
    ...input, action: 'CANCEL', permission: 'CHANGE', nothing: 'NOTHING_TO_CANCEL',
    seriesEvent: input.scope === 'THIS_ONE' ? null : 'booking_series.cancelled',
    scope: input.scope === 'THIS_ONE' ? undefined : input.scope,
    select: (bookings) => {
      if (input.scope === 'ALL') return bookings.filter(notOver);
      const from = bookings.find((b) => b.id === input.fromBookingId);
      if (!from) return notFound('fromBookingId', 'booking');
      return input.scope === 'THIS_ONE' ? [from].filter(notOver) : bookings.filter((b) => b.startAt >= from.startAt && notOver(b));
    },
  });
}
