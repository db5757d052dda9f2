// Rule breaks a booking command reports as data (UserError on the payload), never as exceptions.
import type { Interval } from 'luxon';
import type { ViolationCode } from '../scheduling/types';

export type BookingErrorCode =
  | ViolationCode
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_STATE'
  | 'STALE_VERSION'
  | 'NOT_QUALIFIED'
  | 'CHECK_IN_WINDOW';

export interface BookingError {
  code: BookingErrorCode;
  message: string;
  field?: string;
  conflicts?: Interval[];
}

export interface BookingResult<T> {
  booking: T | null;
  errors: BookingError[];
}

export const failure = <T>(...errors: BookingError[]): BookingResult<T> => ({ booking: null, errors });

/** Thrown inside a transaction to roll it back and report the errors. */
export class BookingRejected extends Error {
  constructor(readonly errors: BookingError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'BookingRejected';
  }
}
