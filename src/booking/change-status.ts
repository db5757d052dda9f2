// Status changes of an existing booking, each on the command skeleton (command.ts): approve, reject, cancel (people)
// and expire, complete, mark as no-show (jobs, no human actor).
import { DateTime } from 'luxon';
import { mayOnBooking, requireNotBookerDeciding, requireUser } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { systemClock, type Clock } from '../clock';
import { eventForStatus } from '../events/types';
import type { BookingRow } from '../db/rows';
import { badInput } from '../errors';
import { changeBooking } from './command';
import { failure, type BookingError, type BookingResult } from './errors';
import type { BookingAction } from './state-machine';

export interface DecisionInput {
  bookingId: number;
  note?: string;
  /** The version the caller saw; a different current version is a STALE_VERSION error. */
  expectedVersion?: number;
}

const validNote = (note: string | undefined): BookingError | null =>
  note !== undefined && note.length > 2000 ? badInput('note', 'NOTE_TOO_LONG', { max: 2000 }) : null;

/** Managers decide; anyone else who can see the booking gets FORBIDDEN, anyone who cannot gets NOT_FOUND. */
async function decide(viewer: Viewer, input: DecisionInput, action: 'APPROVE' | 'REJECT', clock: Clock): Promise<BookingResult<BookingRow>> {
  const user = requireUser(viewer);
  const bad = validNote(input.note);
  if (bad) return failure(bad);
  return changeBooking({
    bookingId: input.bookingId, action, expectedVersion: input.expectedVersion, field: 'id', clock,
    authorise: async (found) => {
      if (await mayOnBooking(user, 'DECIDE', found)) return { prepared: null };
      requireNotBookerDeciding(user, found);
      return 'HIDDEN';
    },
    decide: async (current, to) => {
      if (action === 'APPROVE' && DateTime.fromJSDate(current.startAt) <= clock.now()) {
        return { code: 'INVALID_STATE', field: 'id', params: { reason: 'STARTS_IN_THE_PAST' } };
      }
      const note = input.note ?? null;
      return {
        changes: { status: to, decidedBy: user.userId, decidedAt: new Date(), decisionNote: note },
        record: { actorUserId: user.userId, note, event: eventForStatus(to) },
      };
    },
  });
}

export const approveBooking = (viewer: Viewer, input: DecisionInput, clock: Clock = systemClock) => decide(viewer, input, 'APPROVE', clock);
export const rejectBooking = (viewer: Viewer, input: DecisionInput, clock: Clock = systemClock) => decide(viewer, input, 'REJECT', clock);

/** The booker, the lab's managers and admins may cancel until the booking ends; the slot frees at once. */
export async function cancelBooking(viewer: Viewer, input: DecisionInput, clock: Clock = systemClock): Promise<BookingResult<BookingRow>> {
  const user = requireUser(viewer);
  const bad = validNote(input.note);
  if (bad) return failure(bad);
  return changeBooking({
    bookingId: input.bookingId, action: 'CANCEL', expectedVersion: input.expectedVersion, field: 'id', clock,
    authorise: async (found) => ((await mayOnBooking(user, 'CHANGE', found)) ? { prepared: null } : 'HIDDEN'),
    decide: async (current, to) => {
      if (DateTime.fromJSDate(current.endAt) <= clock.now()) {
        return { code: 'INVALID_STATE', field: 'id', params: { reason: 'ALREADY_OVER' } };
      }
      const note = input.note ?? null;
      return { changes: { status: to }, record: { actorUserId: user.userId, note, event: eventForStatus(to) } };
    },
  });
}

export interface SystemChangeInput {
  bookingId: number;
  /** Why, kept in the history. */
  note: string;
  /** The version the job read; a booking changed since is left alone (STALE_VERSION). */
  expectedVersion?: number;
}

/** A change made by the system (a job), not a person: no policy, no actor. */
const systemChange = (action: Extract<BookingAction, 'EXPIRE' | 'COMPLETE' | 'MARK_NO_SHOW'>) => (input: SystemChangeInput) =>
  changeBooking({
    bookingId: input.bookingId, action, expectedVersion: input.expectedVersion, field: 'id',
    authorise: async () => ({ prepared: null }),
    decide: async (_current, to) => ({ changes: { status: to }, record: { actorUserId: null, note: input.note, event: eventForStatus(to) } }),
  });

/** A PENDING request nobody decided in time. */
export const expireBooking = systemChange('EXPIRE');
/** A CONFIRMED booking that ended. */
export const completeBooking = systemChange('COMPLETE');
/** A CONFIRMED booking on a check-in instrument that ended without a check-in. */
export const markNoShow = systemChange('MARK_NO_SHOW');
