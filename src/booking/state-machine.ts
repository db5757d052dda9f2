// The only place that says which status may follow which.
import type { BookingStatus } from '../db/models/booking';

export type BookingAction = 'APPROVE' | 'REJECT' | 'CANCEL' | 'EXPIRE' | 'COMPLETE' | 'MARK_NO_SHOW' | 'RESCHEDULE_FOR_APPROVAL';

const TRANSITIONS: Record<BookingAction, { from: BookingStatus[]; to: BookingStatus }> = {
  APPROVE: { from: ['PENDING'], to: 'CONFIRMED' },
  REJECT: { from: ['PENDING'], to: 'REJECTED' },
  CANCEL: { from: ['PENDING', 'CONFIRMED'], to: 'CANCELLED' },
  EXPIRE: { from: ['PENDING'], to: 'EXPIRED' },
  COMPLETE: { from: ['CONFIRMED'], to: 'COMPLETED' },
  MARK_NO_SHOW: { from: ['CONFIRMED'], to: 'NO_SHOW' },
  // An approved booking moved on an approval-required instrument needs approving again.
  RESCHEDULE_FOR_APPROVAL: { from: ['PENDING', 'CONFIRMED'], to: 'PENDING' },
};

/** The status the action leads to, or null when it is not allowed from `current`. */
export function nextStatus(current: BookingStatus, action: BookingAction): BookingStatus | null {
  const transition = TRANSITIONS[action];
  return transition.from.includes(current) ? transition.to : null;
}

export function allowedFrom(action: BookingAction): readonly BookingStatus[] {
  return TRANSITIONS[action].from;
}
