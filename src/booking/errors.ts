// Rule breaks a booking command reports as data (UserError on the payload), never as exceptions.
import { failure as fail, type Result, type UserError } from '../errors';

export type BookingError = UserError;
export type BookingResult<T> = Result<'booking', T>;

export const failure = <T>(...errors: BookingError[]): BookingResult<T> => fail<'booking', T>('booking', errors);

/** Thrown inside a transaction to roll it back and report the errors. */
export class BookingRejected extends Error {
  constructor(readonly errors: BookingError[]) {
    super(errors.map((e) => e.code).join('; '));
    this.name = 'BookingRejected';
  }
}
