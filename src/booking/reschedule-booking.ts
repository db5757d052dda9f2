// rescheduleBooking: move a booking atomically; every rule is checked again against the others.
import { DateTime, Interval } from 'luxon';
import { relationToBooking } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { loadHoldingBookings, loadScheduleFacts, withBookings } from '../availability/schedules';
import { Booking, User } from '../db/models';
import type { BookingRow } from '../db/rows';
import { validateBooking } from '../scheduling';
import { changeBooking } from './command';
import { failure, type BookingResult } from './errors';
import { bookingSpanError, checkBookingAccess, commandViewer, type BookingDeps } from './request-booking';
import { nextStatus } from './state-machine';

export interface RescheduleInput {
  bookingId: number;
  start: DateTime;
  end: DateTime;
  expectedVersion?: number;
}

export async function rescheduleBooking(viewer: Viewer, input: RescheduleInput, deps: BookingDeps = {}): Promise<BookingResult<BookingRow>> {
  const { user, clock, viewerZone } = commandViewer(viewer, deps);
  const spanError = bookingSpanError(input.start, input.end);
  if (spanError) return failure(spanError);
  const range = Interval.fromDateTimes(input.start, input.end);

  return changeBooking({
    bookingId: input.bookingId, action: 'RESCHEDULE', expectedVersion: input.expectedVersion, field: 'id',
    // Hours, rules and closures are read before the lock, the bookings under it (see request-booking.ts).
    authorise: async (found) => {
      const existing = found.booking;
      // A manager moving a booking on an approval-required instrument needs no second approval.
      const { may, managesLab } = await relationToBooking(user, found);
      if (!may('CHANGE')) return 'HIDDEN';
      // A group's parts move together (rescheduleBookingGroup), so the group's spans keep fitting each other.
      if (existing.groupId) return { code: 'INVALID_STATE', field: 'id', params: { reason: 'PART_OF_GROUP' } };
      const facts = (await loadScheduleFacts(Booking.sequelize!, [existing.instrumentId], range, { roleOfUserId: existing.userId, holidayLanguage: user.locale })).get(existing.instrumentId);
      if (!facts) return 'HIDDEN';
      // The moved booking still holds time for its booker, so the booker must still be allowed to book this instrument
      // (membership or qualification may have been taken away since), whoever moves it.
      const booker = existing.userId === user.userId ? user : await User.findByPk(existing.userId, { attributes: ['id', 'isAdmin'], raw: true });
      if (!booker) return 'HIDDEN';
      const access = await checkBookingAccess({ userId: existing.userId, isAdmin: Boolean(booker.isAdmin) }, facts.instrument, deps, 'id');
      return access.error ?? { prepared: { facts, managesLab } };
    },
    decide: async (current, _to, { facts, managesLab }, transaction) => {
      if (DateTime.fromJSDate(current.startAt) <= clock.now()) {
        return { code: 'INVALID_STATE', field: 'id', params: { reason: 'ALREADY_STARTED' } };
      }
      const bookings = await loadHoldingBookings(Booking.sequelize!, [current.instrumentId], range, {
        transaction, excludeBookingId: current.id, bufferMinutes: facts.schedule.rules.bufferAfterMinutes,
      });
      const loaded = withBookings(new Map([[current.instrumentId, facts]]), bookings).get(current.instrumentId)!;
      const violations = validateBooking(loaded.schedule, { start: input.start, end: input.end }, { now: clock.now(), viewerZone });
      if (violations.length) return violations.map((v) => ({ ...v, field: 'start' }));
      const needsApproval = loaded.instrument.requiresApproval && !managesLab;
      const status = nextStatus(current.status, needsApproval ? 'RESCHEDULE_FOR_APPROVAL' : 'RESCHEDULE') ?? current.status;
      const note = `Moved from ${current.startAt.toISOString()}–${current.endAt.toISOString()}`;
      return {
        changes: { startAt: input.start.toJSDate(), endAt: input.end.toJSDate(), status },
        record: { actorUserId: user.userId, note, event: 'booking.rescheduled', previousStart: current.startAt, previousEnd: current.endAt },
      };
    },
  });
}
