// Booking groups (multi-resource bookings): what a group is made of and the status it shows. A group is a row that
// ties bookings ("parts") requested together, on up to ten instruments in any labs, holding time all or nothing.
//
// The group's status is derived from its parts, never stored, so it cannot disagree with them:
// - CANCELLED: a part was rejected, cancelled or expired (the commands then cancel the rest: a group holds time only
//   as a whole);
// - PENDING: every part holds time and at least one still waits for its lab's approval;
// - CONFIRMED: every part is confirmed (each lab approved its own part), or some have completed and the rest are
//   confirmed;
// - COMPLETED: every part is over (completed or a no-show).
import type { BookingStatus } from '../db/models/booking';
import type { BookingGroupRow, BookingRow } from '../db/rows';
import { failure, type Result, type UserError } from '../errors';

export const MAX_GROUP_ITEMS = 10;

export type BookingGroupStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED' | 'COMPLETED';

/** A part leaving in one of these statuses takes the rest of its group with it (they are cancelled). */
export const ENDS_GROUP: readonly BookingStatus[] = ['REJECTED', 'CANCELLED', 'EXPIRED'];

export function groupStatus(partStatuses: readonly BookingStatus[]): BookingGroupStatus {
  if (partStatuses.some((s) => ENDS_GROUP.includes(s))) return 'CANCELLED';
  if (partStatuses.includes('PENDING')) return 'PENDING';
  if (partStatuses.includes('CONFIRMED')) return 'CONFIRMED';
  return 'COMPLETED';
}

/** A group with all its parts, in the order they were requested. */
export type BookingGroupWithParts = BookingGroupRow & { parts: BookingRow[] };

export type BookingGroupResult = Result<'group', BookingGroupWithParts>;

export const groupFailure = (...errors: UserError[]): BookingGroupResult => failure<'group', BookingGroupWithParts>('group', errors);
