// Commands on a whole booking group, on the group skeleton (command.ts): cancel it, or move it, every part at once
// and all or nothing. Single-part changes stay on the booking skeleton: approving a part is its own lab's decision;
// rejecting, cancelling or expiring a part cancels the rest (changeBooking); a part is not moved on its own.
import { DateTime, Interval } from 'luxon';
import { mayOnBookingGroup, mayOnBookings, requireUser } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { holdingBookingsByInstrument, loadHoldingBookingRows, loadScheduleFacts, MAX_BOOKING_MINUTES } from '../availability/schedules';
import { systemClock, type Clock } from '../clock';
import { Booking, HOLDING_STATUSES, User } from '../db/models';
import type { BookingRow } from '../db/rows';
import { badInput } from '../errors';
import { validateBooking } from '../scheduling';
import type { BusyBooking } from '../scheduling/types';
import { MINUTE_MS } from '../scheduling/zone-time';
import { groupFailure, groupStatus, type BookingGroupResult } from './booking-groups';
import { changeBookingGroup, type PartDecision } from './command';
import type { BookingError } from './errors';
import { bookingSpanError, checkBookingAccess, commandViewer, type BookingDeps } from './request-booking';

export interface CancelBookingGroupInput {
  groupId: number;
  /** The reason, kept in every part's history and sent to the booker. */
  note?: string;
}

const noteError = (note: string | undefined): BookingError | null =>
  note !== undefined && note.length > 2000 ? badInput('note', 'NOTE_TOO_LONG', { max: 2000 }) : null;

const notHolding = (parts: BookingRow[]): BookingError | null =>
  parts.every((p) => HOLDING_STATUSES.includes(p.status))
    ? null
    : { code: 'INVALID_STATE', field: 'id', params: { reason: 'GROUP_STATUS', status: groupStatus(parts.map((p) => p.status)) } };

/** Cancels every part that still holds time and has not ended; the booker, a manager of one of its labs, admins. */
export async function cancelBookingGroup(viewer: Viewer, input: CancelBookingGroupInput, clock: Clock = systemClock): Promise<BookingGroupResult> {
  const user = requireUser(viewer);
  const bad = noteError(input.note);
  if (bad) return groupFailure(bad);
  return changeBookingGroup({
    groupId: input.groupId,
    authorise: async ({ parts }) => ((await mayOnBookingGroup(user, 'CANCEL', parts)) ? { prepared: null } : 'HIDDEN'),
    decide: async (parts) => {
      const now = clock.now().toJSDate();
      const cancellable = parts.filter((p) => HOLDING_STATUSES.includes(p.status) && p.endAt > now);
      if (cancellable.length === 0) {
        const anyHolding = parts.some((p) => HOLDING_STATUSES.includes(p.status));
        return anyHolding
          ? { code: 'INVALID_STATE', field: 'id', params: { reason: 'ALREADY_OVER' } }
          : { code: 'INVALID_STATE', field: 'id', params: { reason: 'GROUP_STATUS', status: groupStatus(parts.map((p) => p.status)) } };
      }
      const note = input.note ?? null;
      return cancellable.map((part): PartDecision => ({
        part, action: 'CANCEL', changes: {}, record: { actorUserId: user.userId, note, event: 'booking.cancelled' },
      }));
    },
  });
}

export interface RescheduleBookingGroupInput {
  groupId: number;
  /** Move every part by this many minutes (negative: earlier). Exactly one of shiftMinutes and parts. */
  shiftMinutes?: number;
  /** The new span of every part, each named once. */
  parts?: { bookingId: number; start: DateTime; end: DateTime }[];
}

/** A shift of up to a year either way; anything further is past any instrument's advance limit anyway. */
const MAX_SHIFT_MINUTES = 366 * 1440;

function inputErrors(input: RescheduleBookingGroupInput): BookingError[] {
  const byShift = input.shiftMinutes !== undefined;
  if (byShift === (input.parts !== undefined) || input.shiftMinutes === 0) return [badInput('shiftMinutes', 'GROUP_SHIFT_OR_SPANS')];
  if (byShift && (!Number.isInteger(input.shiftMinutes) || Math.abs(input.shiftMinutes!) > MAX_SHIFT_MINUTES)) {
    return [badInput('shiftMinutes', 'WHOLE_NUMBER', { name: 'shiftMinutes', min: -MAX_SHIFT_MINUTES, max: MAX_SHIFT_MINUTES, unit: 'MINUTES', value: input.shiftMinutes })];
  }
  return [];
}

/**
 * Moves the whole group, all or nothing: every part is checked against its own instrument's rules and the other
 * bookings (not the group's own old spans, which all move), as a moved single booking is. Who may change every part
 * may move it; a part on an approval instrument goes back to PENDING unless the mover manages that lab.
 */
export async function rescheduleBookingGroup(viewer: Viewer, input: RescheduleBookingGroupInput, deps: BookingDeps = {}): Promise<BookingGroupResult> {
  const { user, clock, viewerZone } = commandViewer(viewer, deps);
  const bad = inputErrors(input);
  if (bad.length) return groupFailure(...bad);

  /** The new span of each part, in the order errors name them (input.parts' order, else the group's). */
  const newSpans = (parts: { id: number; startAt: Date; endAt: Date }[]): { id: number; start: DateTime; end: DateTime; field: string }[] | BookingError => {
    if (input.shiftMinutes !== undefined) {
      return parts.map((p, i) => ({
        id: p.id, field: `parts.${i}`,
        start: DateTime.fromJSDate(p.startAt).plus({ minutes: input.shiftMinutes }), end: DateTime.fromJSDate(p.endAt).plus({ minutes: input.shiftMinutes }),
      }));
    }
    const given = input.parts!;
    const ids = new Set(given.map((g) => g.bookingId));
    if (ids.size !== given.length || ids.size !== parts.length || parts.some((p) => !ids.has(p.id))) return badInput('parts', 'GROUP_PARTS_MISMATCH', { count: parts.length });
    return given.map((g, i) => ({ id: g.bookingId, field: `parts.${i}`, start: g.start, end: g.end }));
  };

  return changeBookingGroup({
    groupId: input.groupId,
    authorise: async ({ group, parts }) => {
      if (!(await mayOnBookingGroup(user, 'SEE', parts))) return 'HIDDEN';
      if (!(await mayOnBookingGroup(user, 'MOVE', parts))) return { code: 'FORBIDDEN', field: 'id' };
      const spans = newSpans(parts.map((p) => p.booking));
      if (!Array.isArray(spans)) return spans;
      const spanErrors = spans.flatMap((s) => {
        const error = bookingSpanError(s.start, s.end);
        return error ? [{ ...error, field: `${s.field}.${error.field}` }] : [];
      });
      if (spanErrors.length) return spanErrors[0];
      const from = DateTime.min(...spans.map((s) => s.start))!;
      const to = DateTime.max(...spans.map((s) => s.end))!;
      if (to.toMillis() - from.toMillis() > MAX_BOOKING_MINUTES * MINUTE_MS) return badInput('parts', 'GROUP_SPAN_TOO_LONG', { maxDays: MAX_BOOKING_MINUTES / 1440 });
      const range = Interval.fromDateTimes(from, to);
      const instrumentIds = [...new Set(parts.map((p) => p.booking.instrumentId))];
      const facts = await loadScheduleFacts(Booking.sequelize!, instrumentIds, range, { roleOfUserId: group.userId, holidayLanguage: user.locale });
      // The moved parts still hold time for their booker, who must still be allowed to book each instrument.
      const booker = group.userId === user.userId ? user : await User.findByPk(group.userId, { attributes: ['id', 'isAdmin'], raw: true });
      if (!booker) return 'HIDDEN';
      for (const id of instrumentIds) {
        const fact = facts.get(id);
        if (!fact) return 'HIDDEN';
        const access = await checkBookingAccess({ userId: group.userId, isAdmin: Boolean(booker.isAdmin) }, fact.instrument, deps, 'id');
        if (access.error) return access.error;
      }
      const moverManages = await mayOnBookings(user, 'DECIDE', parts);
      const managesLabOf = new Map(parts.map((p, i) => [p.booking.id, moverManages[i]]));
      return { prepared: { spans, range, facts, managesLabOf, instrumentIds } };
    },
    decide: async (parts, { spans, range, facts, managesLabOf, instrumentIds }, transaction) => {
      const stateError = notHolding(parts);
      if (stateError) return stateError;
      const now = clock.now();
      const started = parts.findIndex((p) => DateTime.fromJSDate(p.startAt) <= now);
      if (started >= 0) return { code: 'INVALID_STATE', field: `parts.${started}`, params: { reason: 'ALREADY_STARTED' } };
      const partById = new Map(parts.map((p) => [p.id, p]));
      const bufferMinutes = Math.max(...instrumentIds.map((id) => facts.get(id)!.schedule.rules.bufferAfterMinutes));
      // Other bookings as they are; the group's own parts where they are going, not where they were.
      const holding = await loadHoldingBookingRows(Booking.sequelize!, instrumentIds, range, { transaction, bufferMinutes });
      const others = holdingBookingsByInstrument(holding.filter((b) => !partById.has(b.id)));
      const violations = spans.flatMap((span) => {
        const part = partById.get(span.id)!;
        const fact = facts.get(part.instrumentId)!;
        const busy = others.get(part.instrumentId) ?? [];
        const siblings: BusyBooking[] = spans
          .filter((s) => s.id !== span.id && partById.get(s.id)!.instrumentId === part.instrumentId)
          .map((s) => ({ interval: Interval.fromDateTimes(s.start, s.end) }));
        return validateBooking({ ...fact.schedule, bookings: [...busy, ...siblings] }, { start: span.start, end: span.end }, { now, viewerZone })
          .map((v) => ({ ...v, field: `${span.field}.start` }));
      });
      if (violations.length) return violations;
      return spans.map((span): PartDecision => {
        const part = partById.get(span.id)!;
        const needsApproval = facts.get(part.instrumentId)!.instrument.requiresApproval && !managesLabOf.get(part.id);
        return {
          part, action: needsApproval ? 'RESCHEDULE_FOR_APPROVAL' : 'RESCHEDULE',
          changes: { startAt: span.start.toJSDate(), endAt: span.end.toJSDate() },
          record: {
            actorUserId: user.userId, note: `Moved with its group from ${part.startAt.toISOString()}–${part.endAt.toISOString()}`,
            event: 'booking.rescheduled', previousStart: part.startAt, previousEnd: part.endAt,
          },
        };
      });
    },
  });
}
