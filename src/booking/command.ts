// The skeleton every command that changes an existing booking is written on: load the booking and its lab, authorise
// through the policy, take the instrument lock then the booking's, check the version, ask the state machine, let
// the use case decide, write through the store (which records history and the event). A use case supplies only its
// policy and its decision.
import type { PlainTransaction } from '../db/raw';
import { notFound } from '../errors';
import type { BookingRow } from '../db/rows';
import type { BookingStatus } from '../db/models/booking';
import { BookingRejected, failure, type BookingError, type BookingResult } from './errors';
import { nextStatus, type BookingAction } from './state-machine';
import { findBookingWithLab, lockBooking, updateBooking, withInstrumentLock, type BookingChanges, type BookingWithLab, type ChangeRecord } from './store';

/** What a use case decides on the locked row: a change and what it records, or no change at all (a repeated check-in). */
export type Decision = { changes: BookingChanges; record: ChangeRecord } | 'UNCHANGED';

/** The policy's answer: go on (with what was read before the lock), a rule break, or HIDDEN (answered as NOT_FOUND). */
export type Authorised<P> = { prepared: P } | BookingError | 'HIDDEN';

export interface BookingChange<P> {
  bookingId: number;
  action: BookingAction;
  /** The version the caller saw; a different current version is STALE_VERSION. */
  expectedVersion?: number;
  /** The input field that names the booking (NOT_FOUND and INVALID_STATE name it). */
  field: 'id' | 'bookingId';
  /** What a missing or hidden booking is called in the message (default: booking). */
  notFound?: 'booking' | 'bookingOfYours';
  authorise(found: BookingWithLab): Promise<Authorised<P>>;
  /** Runs under both locks, after the version and state-machine checks; `to` is the status the action leads to. */
  decide(current: BookingRow, to: BookingStatus, prepared: P, transaction: PlainTransaction): Promise<Decision | BookingError | BookingError[]>;
}

const isError = (value: unknown): value is BookingError => typeof value === 'object' && value !== null && 'code' in value;

export async function changeBooking<P>(change: BookingChange<P>): Promise<BookingResult<BookingRow>> {
  const missing = notFound(change.field, change.notFound ?? 'booking');
  const found = await findBookingWithLab(change.bookingId);
  if (!found) return failure(missing);
  const authorised = await change.authorise(found);
  if (authorised === 'HIDDEN') return failure(missing);
  if (isError(authorised)) return failure(authorised);
  try {
    const booking = await withInstrumentLock(found.booking.instrumentId, async (transaction) => {
      const current = await lockBooking(change.bookingId, transaction);
      if (!current) throw new BookingRejected([missing]);
      if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) {
        throw new BookingRejected([{
          code: 'STALE_VERSION', field: 'version', params: { expected: change.expectedVersion, current: current.version, status: current.status },
        }]);
      }
      const to = nextStatus(current.status, change.action);
      if (!to) {
        throw new BookingRejected([{ code: 'INVALID_STATE', field: change.field, params: { reason: 'STATUS', status: current.status, action: change.action } }]);
      }
      const decision = await change.decide(current, to, authorised.prepared, transaction);
      if (Array.isArray(decision)) throw new BookingRejected(decision);
      if (isError(decision)) throw new BookingRejected([decision]);
      if (decision === 'UNCHANGED') return current;
      return updateBooking(current, decision.changes, decision.record, transaction);
    });
    return { booking, errors: [] };
  } catch (error) {
    if (error instanceof BookingRejected) return failure(...error.errors);
    throw error;
  }
}
