// The only place that says which status may follow which, and which actions a status allows at all.
import type { BookingStatus } from '../db/models/booking';

export type BookingAction =
  | 'APPROVE' | 'REJECT' | 'CANCEL' | 'EXPIRE' | 'COMPLETE' | 'MARK_NO_SHOW'
  | 'RESCHEDULE' | 'RESCHEDULE_FOR_APPROVAL' | 'CHECK_IN' | 'CHECK_OUT';

/** `to: null`: the action keeps the status (it changes the time or records use). */
const TRANSITIONS: Record<BookingAction, { from: BookingStatus[]; to: BookingStatus | null }> = {
  APPROVE: { from: ['PENDING'], to: 'CONFIRMED' },
  REJECT: { from: ['PENDING'], to: 'REJECTED' },
  CANCEL: { from: ['PENDING', 'CONFIRMED'], to: 'CANCELLED' },
  EXPIRE: { from: ['PENDING'], to: 'EXPIRED' },
  COMPLETE: { from: ['CONFIRMED'], to: 'COMPLETED' },
  MARK_NO_SHOW: { from: ['CONFIRMED'], to: 'NO_SHOW' },
  RESCHEDULE: { from: ['PENDING', 'CONFIRMED'], to: null },
  // A booking moved on an approval-required instrument by someone who does not manage the lab needs approving again.
  RESCHEDULE_FOR_APPROVAL: { from: ['PENDING', 'CONFIRMED'], to: 'PENDING' },
  CHECK_IN: { from: ['CONFIRMED'], to: null },
  CHECK_OUT: { from: ['CONFIRMED'], to: null },
};

/**
 * The status a new booking starts in: PENDING on an instrument that requires approval unless its lab's manager (or an
 * admin) books it, else CONFIRMED.
 */
export function initialStatus(instrument: { requiresApproval: boolean }, booker: { managesLab: boolean }): BookingStatus {
  return instrument.requiresApproval && !booker.managesLab ? 'PENDING' : 'CONFIRMED';
}

/** The status the action leads to, or null when it is not allowed from `current`. */
export function nextStatus(current: BookingStatus, action: BookingAction): BookingStatus | null {
  const transition = TRANSITIONS[action];
  return transition.from.includes(current) ? (transition.to ?? current) : null;
}
