// checkIn / checkOut: the booker records real use of a CONFIRMED booking (on the command skeleton, command.ts).
import { DateTime } from 'luxon';
import { mayOnBooking, requireUser, type BookingInLab } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { systemClock, type Clock } from '../clock';
import type { BookingRow } from '../db/rows';
import { changeBooking } from './command';
import type { BookingResult } from './errors';

/** Check-in opens this long before the start; check-out stays open this long after the end. */
export const CHECK_IN_EARLY_MINUTES = 15;
export const CHECK_OUT_GRACE_MINUTES = 60;

/** Only the booker records use; anyone else is told there is no such booking of theirs. Nobody is notified. */
const ownBooking = (viewer: Viewer) => {
  const user = requireUser(viewer);
  return async (found: BookingInLab) => ((await mayOnBooking(user, 'RECORD_USE', found)) ? { prepared: null } : ('HIDDEN' as const));
};

export const checkIn = (viewer: Viewer, bookingId: number, clock: Clock = systemClock): Promise<BookingResult<BookingRow>> =>
  changeBooking({
    bookingId, action: 'CHECK_IN', field: 'bookingId', notFound: 'bookingOfYours',
    authorise: ownBooking(viewer),
    decide: async (current) => {
      if (current.checkedInAt) return 'UNCHANGED'; // checking in twice changes nothing
      const now = clock.now();
      if (now < DateTime.fromJSDate(current.startAt).minus({ minutes: CHECK_IN_EARLY_MINUTES }) || now >= DateTime.fromJSDate(current.endAt)) {
        return { code: 'CHECK_IN_WINDOW', field: 'bookingId', params: { reason: 'CHECK_IN', minutes: CHECK_IN_EARLY_MINUTES } };
      }
      return { changes: { checkedInAt: now.toJSDate() }, record: { actorUserId: current.userId } };
    },
  });

export const checkOut = (viewer: Viewer, bookingId: number, clock: Clock = systemClock): Promise<BookingResult<BookingRow>> =>
  changeBooking({
    bookingId, action: 'CHECK_OUT', field: 'bookingId', notFound: 'bookingOfYours',
    authorise: ownBooking(viewer),
    decide: async (current) => {
      if (!current.checkedInAt) return { code: 'INVALID_STATE', field: 'bookingId', params: { reason: 'NOT_CHECKED_IN' } };
      if (current.checkedOutAt) return 'UNCHANGED';
      const now = clock.now();
      if (now > DateTime.fromJSDate(current.endAt).plus({ minutes: CHECK_OUT_GRACE_MINUTES })) {
        return { code: 'CHECK_IN_WINDOW', field: 'bookingId', params: { reason: 'CHECK_OUT', minutes: CHECK_OUT_GRACE_MINUTES } };
      }
      return { changes: { checkedOutAt: now.toJSDate() }, record: { actorUserId: current.userId } };
    },
  });
