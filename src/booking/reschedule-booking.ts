// rescheduleBooking: move a booking atomically; every rule is checked again against the others.
import { DateTime, Interval } from 'luxon';
import { canManageLab, requireUser } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { loadHoldingBookings, loadScheduleFacts, withBookings } from '../availability/schedules';
import { systemClock } from '../clock';
import { Booking, BookingHistory, Instrument, User } from '../db/models';
import type { BookingRow } from '../db/rows';
import { validateBooking } from '../scheduling';
import { BookingRejected, failure, type BookingResult } from './errors';
import { recordBookingEvent } from './events';
import { bookingSpanError, checkBookingAccess, type BookingDeps } from './request-booking';
import { lockBooking } from './change-status';
import { nextStatus } from './state-machine';
import { withInstrumentLock } from './transaction';

export interface RescheduleInput {
  bookingId: number;
  start: DateTime;
  end: DateTime;
  expectedVersion?: number;
}

export async function rescheduleBooking(viewer: Viewer, input: RescheduleInput, deps: BookingDeps = {}): Promise<BookingResult<BookingRow>> {
  const user = requireUser(viewer);
  const clock = deps.clock ?? systemClock;
  const viewerZone = deps.viewerZone ?? user.timeZone;
  const spanError = bookingSpanError(input.start, input.end);
  if (spanError) return failure(spanError);
  const existing = await Booking.findByPk(input.bookingId, { raw: true });
  const instrument = existing && (await Instrument.findByPk(existing.instrumentId, { attributes: ['labId'], raw: true }));
  if (!existing || !instrument) return failure({ code: 'NOT_FOUND', field: 'id', message: 'No such booking.' });
  const managesLab = await canManageLab(user, instrument.labId);
  if (existing.userId !== user.userId && !managesLab) return failure({ code: 'NOT_FOUND', field: 'id', message: 'No such booking.' });

  // Hours, rules and closures are read before the lock, the bookings under it (see request-booking.ts).
  const range = Interval.fromDateTimes(input.start, input.end);
  const facts = (await loadScheduleFacts(Booking.sequelize!, [existing.instrumentId], range, { roleOfUserId: existing.userId })).get(existing.instrumentId);
  if (!facts) return failure({ code: 'NOT_FOUND', field: 'id', message: 'No such booking.' });
  // The moved booking still holds time for its booker, so the booker must still be allowed to book this instrument
  // (membership or qualification may have been taken away since), whoever moves it.
  const booker = existing.userId === user.userId ? user : await User.findByPk(existing.userId, { attributes: ['id', 'isAdmin'], raw: true });
  if (!booker) return failure({ code: 'NOT_FOUND', field: 'id', message: 'No such booking.' });
  const access = await checkBookingAccess({ userId: existing.userId, isAdmin: Boolean(booker.isAdmin) }, facts.instrument, deps, 'id');
  if (access.error) return failure(access.error);

  try {
    const booking = await withInstrumentLock(existing.instrumentId, async (transaction) => {
      const current = await lockBooking(input.bookingId, transaction);
      if (!current) throw new BookingRejected([{ code: 'NOT_FOUND', field: 'id', message: 'No such booking.' }]);
      if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
        throw new BookingRejected([{ code: 'STALE_VERSION', field: 'version', message: `This booking changed since you looked at it (now version ${current.version}). Reload and try again.` }]);
      }
      if (current.status !== 'PENDING' && current.status !== 'CONFIRMED') {
        throw new BookingRejected([{ code: 'INVALID_STATE', field: 'id', message: `A ${current.status} booking cannot be rescheduled.` }]);
      }
      if (DateTime.fromJSDate(current.startAt) <= clock.now()) {
        throw new BookingRejected([{ code: 'INVALID_STATE', field: 'id', message: 'This booking has already started and cannot be moved.' }]);
      }
      const bookings = await loadHoldingBookings(Booking.sequelize!, [current.instrumentId], range, {
        transaction, excludeBookingId: current.id, bufferMinutes: facts.schedule.rules.bufferAfterMinutes,
      });
      const loaded = withBookings(new Map([[current.instrumentId, facts]]), bookings).get(current.instrumentId)!;
      const violations = validateBooking(loaded.schedule, { start: input.start, end: input.end }, { now: clock.now(), viewerZone });
      if (violations.length) {
        throw new BookingRejected(violations.map((v) => ({ code: v.code, message: v.message, conflicts: v.conflicts, field: 'start' })));
      }
      const needsApproval = loaded.instrument.requiresApproval && !managesLab && current.status === 'CONFIRMED';
      const status = needsApproval ? (nextStatus(current.status, 'RESCHEDULE_FOR_APPROVAL') ?? current.status) : current.status;
      const changes = { startAt: input.start.toJSDate(), endAt: input.end.toJSDate(), status, version: current.version + 1 };
      await Booking.update(changes, { where: { id: current.id }, transaction });
      const updated: BookingRow = { ...current, ...changes };
      const note = `Moved from ${current.startAt.toISOString()}–${current.endAt.toISOString()}`;
      await BookingHistory.create({ bookingId: current.id, actorUserId: user.userId, fromStatus: current.status, toStatus: status, note }, { transaction });
      await recordBookingEvent('booking.rescheduled', updated, {
        previousStatus: current.status, actorUserId: user.userId, note, previousStart: current.startAt, previousEnd: current.endAt,
      }, transaction);
      return updated;
    });
    return { booking, errors: [] };
  } catch (error) {
    if (error instanceof BookingRejected) return failure(...error.errors);
    throw error;
  }
}
