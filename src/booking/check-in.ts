// checkIn / checkOut: the booker records real use of a CONFIRMED booking.
import { DateTime } from 'luxon';
import { requireUser } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { systemClock, type Clock } from '../clock';
import { Booking } from '../db/models';
import type { BookingRow } from '../db/rows';
import { BookingRejected, failure, type BookingResult } from './errors';
import { lockBooking } from './change-status';
import { withInstrumentLock } from './transaction';

/** Check-in opens this long before the start; check-out stays open this long after the end. */
export const CHECK_IN_EARLY_MINUTES = 15;
export const CHECK_OUT_GRACE_MINUTES = 60;

type Step = 'IN' | 'OUT';

async function record(viewer: Viewer, bookingId: number, step: Step, clock: Clock): Promise<BookingResult<BookingRow>> {
  const user = requireUser(viewer);
  const existing = await Booking.findByPk(bookingId, { raw: true });
  if (!existing || existing.userId !== user.userId) return failure({ code: 'NOT_FOUND', field: 'bookingId', message: 'No such booking of yours.' });
  try {
    const booking = await withInstrumentLock(existing.instrumentId, async (transaction) => {
      const current = (await lockBooking(bookingId, transaction))!;
      if (current.status !== 'CONFIRMED') {
        throw new BookingRejected([{ code: 'INVALID_STATE', field: 'bookingId', message: `Only a CONFIRMED booking can be checked ${step === 'IN' ? 'into' : 'out of'} (this one is ${current.status}).` }]);
      }
      const now = clock.now();
      const start = DateTime.fromJSDate(current.startAt);
      const end = DateTime.fromJSDate(current.endAt);
      if (step === 'IN') {
        if (current.checkedInAt) return current; // checking in twice changes nothing
        if (now < start.minus({ minutes: CHECK_IN_EARLY_MINUTES }) || now >= end) {
          throw new BookingRejected([{ code: 'CHECK_IN_WINDOW', field: 'bookingId', message: `Check-in is open from ${CHECK_IN_EARLY_MINUTES} minutes before the start until the end of the booking.` }]);
        }
        const changes = { checkedInAt: now.toJSDate(), version: current.version + 1 };
        await Booking.update(changes, { where: { id: bookingId }, transaction });
        return { ...current, ...changes };
      }
      if (!current.checkedInAt) {
        throw new BookingRejected([{ code: 'INVALID_STATE', field: 'bookingId', message: 'Check in before checking out.' }]);
      }
      if (current.checkedOutAt) return current;
      if (now > end.plus({ minutes: CHECK_OUT_GRACE_MINUTES })) {
        throw new BookingRejected([{ code: 'CHECK_IN_WINDOW', field: 'bookingId', message: `Check-out closes ${CHECK_OUT_GRACE_MINUTES} minutes after the booking ends.` }]);
      }
      const changes = { checkedOutAt: now.toJSDate(), version: current.version + 1 };
      await Booking.update(changes, { where: { id: bookingId }, transaction });
      return { ...current, ...changes };
    });
    return { booking, errors: [] };
  } catch (error) {
    if (error instanceof BookingRejected) return failure(...error.errors);
    throw error;
  }
}

export const checkIn = (viewer: Viewer, bookingId: number, clock: Clock = systemClock) => record(viewer, bookingId, 'IN', clock);
export const checkOut = (viewer: Viewer, bookingId: number, clock: Clock = systemClock) => record(viewer, bookingId, 'OUT', clock);
