// Status changes of an existing booking: approve, reject, cancel (people) and expire, complete, no-show (jobs).
// Lock order is always instrument row, then booking row.
import { DateTime } from 'luxon';
import type { Transaction } from 'sequelize';
import { canManageLab, NotAllowed, requireUser } from '../access/policies';
import type { UserViewer, Viewer } from '../access/viewer';
import { systemClock, type Clock } from '../clock';
import { Booking, BookingHistory, Instrument } from '../db/models';
import type { BookingRow } from '../db/rows';
import { BookingRejected, failure, type BookingError, type BookingResult } from './errors';
import { eventForStatus, recordBookingEvent } from './events';
import { nextStatus, type BookingAction } from './state-machine';
import { withInstrumentLock } from './transaction';

export interface DecisionInput {
  bookingId: number;
  note?: string;
  /** The version the caller saw; a different current version is a STALE_VERSION error. */
  expectedVersion?: number;
}

interface TransitionOptions {
  action: BookingAction;
  actor: UserViewer | null;
  note?: string | null;
  expectedVersion?: number;
  /** Extra rule checked on the locked row (e.g. "has not started"). */
  check?: (booking: BookingRow) => BookingError | null;
  decision?: boolean;
  extra?: Partial<BookingRow>;
}

const notFound = (): BookingError => ({ code: 'NOT_FOUND', field: 'id', message: 'No such booking.' });

export async function lockBooking(bookingId: number, transaction: Transaction): Promise<BookingRow | null> {
  return Booking.findByPk(bookingId, { transaction, lock: transaction.LOCK.UPDATE, raw: true });
}

/** Applies one state-machine action under the instrument lock; writes history and the outbox event with it. */
export async function transition(bookingId: number, instrumentId: number, options: TransitionOptions): Promise<BookingResult<BookingRow>> {
  try {
    const booking = await withInstrumentLock(instrumentId, async (transaction) => {
      const current = await lockBooking(bookingId, transaction);
      if (!current) throw new BookingRejected([notFound()]);
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new BookingRejected([{
          code: 'STALE_VERSION', field: 'version',
          message: `This booking changed since you looked at it (your version ${options.expectedVersion}, now ${current.version}, status ${current.status}). Reload and decide again.`,
        }]);
      }
      const to = nextStatus(current.status, options.action);
      if (!to) {
        throw new BookingRejected([{ code: 'INVALID_STATE', field: 'id', message: `A ${current.status} booking cannot be ${describe(options.action)}.` }]);
      }
      const problem = options.check?.(current);
      if (problem) throw new BookingRejected([problem]);
      const changes: Partial<BookingRow> = { status: to, version: current.version + 1, ...options.extra };
      if (options.decision) Object.assign(changes, { decidedBy: options.actor?.userId ?? null, decidedAt: new Date(), decisionNote: options.note ?? null });
      await Booking.update(changes, { where: { id: bookingId }, transaction });
      const updated = { ...current, ...changes } as BookingRow;
      await BookingHistory.create(
        { bookingId, actorUserId: options.actor?.userId ?? null, fromStatus: current.status, toStatus: to, note: options.note ?? null },
        { transaction },
      );
      await recordBookingEvent(eventForStatus(to), updated, { previousStatus: current.status, actorUserId: options.actor?.userId ?? null, note: options.note }, transaction);
      return updated;
    });
    return { booking, errors: [] };
  } catch (error) {
    if (error instanceof BookingRejected) return failure(...error.errors);
    throw error;
  }
}

function describe(action: BookingAction): string {
  return {
    APPROVE: 'approved', REJECT: 'rejected', CANCEL: 'cancelled', EXPIRE: 'expired', COMPLETE: 'completed',
    MARK_NO_SHOW: 'marked as a no-show', RESCHEDULE_FOR_APPROVAL: 'rescheduled',
  }[action];
}

async function bookingWithLab(bookingId: number): Promise<{ booking: BookingRow; labId: number } | null> {
  const booking = await Booking.findByPk(bookingId, { raw: true });
  if (!booking) return null;
  const instrument = await Instrument.findByPk(booking.instrumentId, { attributes: ['labId'], raw: true });
  return instrument ? { booking, labId: instrument.labId } : null;
}

const validNote = (note: string | undefined): BookingError | null =>
  note !== undefined && note.length > 2000 ? { code: 'BAD_INPUT', field: 'note', message: 'A note must be at most 2000 characters.' } : null;

/** Managers decide; anyone else who can see the booking gets FORBIDDEN, anyone who cannot gets NOT_FOUND. */
async function decide(viewer: Viewer, input: DecisionInput, action: 'APPROVE' | 'REJECT', clock: Clock): Promise<BookingResult<BookingRow>> {
  const user = requireUser(viewer);
  const bad = validNote(input.note);
  if (bad) return failure(bad);
  const found = await bookingWithLab(input.bookingId);
  if (!found) return failure(notFound());
  if (!(await canManageLab(user, found.labId))) {
    if (found.booking.userId === user.userId) throw new NotAllowed("Only this lab's managers may approve or reject requests.");
    return failure(notFound());
  }
  return transition(input.bookingId, found.booking.instrumentId, {
    action,
    actor: user,
    note: input.note ?? null,
    expectedVersion: input.expectedVersion,
    decision: true,
    check: (b) =>
      action === 'APPROVE' && DateTime.fromJSDate(b.startAt) <= clock.now()
        ? { code: 'INVALID_STATE', field: 'id', message: 'This request starts in the past and can no longer be approved.' }
        : null,
  });
}

export const approveBooking = (viewer: Viewer, input: DecisionInput, clock: Clock = systemClock) => decide(viewer, input, 'APPROVE', clock);
export const rejectBooking = (viewer: Viewer, input: DecisionInput, clock: Clock = systemClock) => decide(viewer, input, 'REJECT', clock);

/** The booker, the lab's managers and admins may cancel until the booking ends; the slot frees at once. */
export async function cancelBooking(viewer: Viewer, input: DecisionInput, clock: Clock = systemClock): Promise<BookingResult<BookingRow>> {
  const user = requireUser(viewer);
  const bad = validNote(input.note);
  if (bad) return failure(bad);
  const found = await bookingWithLab(input.bookingId);
  if (!found) return failure(notFound());
  if (found.booking.userId !== user.userId && !(await canManageLab(user, found.labId))) return failure(notFound());
  return transition(input.bookingId, found.booking.instrumentId, {
    action: 'CANCEL',
    actor: user,
    note: input.note ?? null,
    expectedVersion: input.expectedVersion,
    check: (b) =>
      DateTime.fromJSDate(b.endAt) <= clock.now()
        ? { code: 'INVALID_STATE', field: 'id', message: 'This booking is already over and cannot be cancelled.' }
        : null,
  });
}

/** System transitions, called by jobs (no human actor). */
export async function systemTransition(bookingId: number, action: 'EXPIRE' | 'COMPLETE' | 'MARK_NO_SHOW', note: string): Promise<BookingResult<BookingRow>> {
  const booking = await Booking.findByPk(bookingId, { attributes: ['instrumentId'], raw: true });
  if (!booking) return failure(notFound());
  return transition(bookingId, booking.instrumentId, { action, actor: null, note });
}
