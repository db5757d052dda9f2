// Every rule a requested booking breaks, as data. An empty array means it can be booked.
import { type DateTime } from 'luxon';
import type { InstrumentSchedule, MessageParams, Violation } from './types';
import { checkRules, horizonOf } from './booking-rules';
import { type Span, intervalOf, overlaps, spanOf } from './interval-set';
import { closedDaysIn, openSpans, windowsByWeekday } from './opening-hours';
import { isOnGrid } from './slot-grid';
import { MINUTE_MS, labZone } from './zone-time';
import { isValidTimeZone } from '../time-zone';

export function validateBooking(
  schedule: InstrumentSchedule,
  requested: { start: DateTime; end: DateTime },
  opts: { now: DateTime; viewerZone: string },
): Violation[] {
  // The zone the message names times in: the requester's, else the lab's.
  const zone = isValidTimeZone(opts.viewerZone) ? opts.viewerZone : schedule.zone;

  if (!requested.start.isValid || !requested.end.isValid) {
    const which = !requested.start.isValid ? (!requested.end.isValid ? 'BOTH' : 'START') : 'END';
    return [{ code: 'INVALID_TIME_RANGE', params: { reason: 'INVALID_DATE_TIME', which } }];
  }
  const s = requested.start.toMillis();
  const e = requested.end.toMillis();
  if (e <= s) {
    return [{ code: 'INVALID_TIME_RANGE', params: { reason: 'END_NOT_AFTER_START', start: s, end: e, zone } }];
  }

  const { rules } = schedule;
  checkRules(rules);
  const labTime = labZone(schedule.zone);
  const horizon = horizonOf(rules, opts.now, schedule.zone);
  const request: Span = { start: s, end: e };
  const violations: Violation[] = [];

  if (schedule.status !== 'AVAILABLE') {
    violations.push({ code: 'INSTRUMENT_UNAVAILABLE', params: { status: schedule.status } });
  }

  const slot = rules.slotMinutes * MINUTE_MS;
  const startOff = !isOnGrid(labTime, s, slot);
  const endOff = !isOnGrid(labTime, e, slot);
  if (startOff || endOff) {
    violations.push({
      code: 'NOT_ALIGNED',
      params: { reason: startOff ? (endOff ? 'BOTH' : 'START') : 'END', start: startOff ? s : null, end: endOff ? e : null, slotMinutes: rules.slotMinutes, labZone: schedule.zone, zone },
    });
  }

  const length = e - s;
  if (length < rules.minMinutes * MINUTE_MS) {
    violations.push({ code: 'TOO_SHORT', params: { lengthMinutes: length / MINUTE_MS, minMinutes: rules.minMinutes } });
  }
  if (length > rules.maxMinutes * MINUTE_MS) {
    violations.push({ code: 'TOO_LONG', params: { lengthMinutes: length / MINUTE_MS, maxMinutes: rules.maxMinutes } });
  }

  if (s < horizon.earliestStart) {
    const now = opts.now.toMillis();
    violations.push({
      code: 'TOO_SOON',
      params: s < now
        ? { reason: 'IN_THE_PAST', start: s, zone }
        : { reason: 'NOTICE', start: s, noticeMinutes: rules.minNoticeMinutes, earliestStart: horizon.earliestStart, zone },
    });
  }
  if (e > horizon.latestEnd) {
    violations.push({ code: 'TOO_FAR_AHEAD', params: { end: e, maxAdvanceDays: rules.maxAdvanceDays, latestEnd: horizon.latestEnd, zone } });
  }

  // Opening hours without closed days: a closed day is reported as HOLIDAY instead.
  const open = openSpans(labTime, windowsByWeekday(schedule.openingHours), s, e);
  const inside = open.length === 1 && open[0].start === s && open[0].end === e;
  if (!inside) {
    let params: MessageParams;
    if (open.length === 0 || open[0].start > s) {
      params = open.length > 0 ? { reason: 'BEFORE_OPENING', start: s, opens: open[0].start, zone } : { reason: 'CLOSED', start: s, zone };
    } else {
      params = { reason: 'AFTER_CLOSING', end: e, closes: open[0].end, zone };
    }
    violations.push({ code: 'OUTSIDE_OPENING_HOURS', params });
  }

  const closed = closedDaysIn(labTime, schedule.closedDays, s, e);
  if (closed.length > 0) {
    violations.push({ code: 'HOLIDAY', params: { days: closed.map((c) => ({ date: c.day.date, reason: c.day.reason })), labZone: schedule.zone } });
  }

  const blackouts = schedule.blackouts
    .map((b) => ({ reason: b.reason, span: spanOf(b.interval, 'blackout interval') }))
    .filter((b) => overlaps(b.span, request))
    .sort((a, b) => a.span.start - b.span.start);
  if (blackouts.length > 0) {
    violations.push({ code: 'BLACKOUT', params: { blackouts: blackouts.map((b) => ({ reason: b.reason, start: b.span.start, end: b.span.end })), zone } });
  }

  const buffer = rules.bufferAfterMinutes * MINUTE_MS;
  const withBuffer: Span = { start: s, end: e + buffer };
  const conflicts = schedule.bookings
    .map((b) => spanOf(b.interval, 'booking interval'))
    .filter((b) => b.end > b.start && overlaps(withBuffer, { start: b.start, end: b.end + buffer }))
    .sort((a, b) => a.start - b.start);
  if (conflicts.length > 0) {
    violations.push({
      code: 'CONFLICT',
      params: { spans: conflicts.map((c) => ({ start: c.start, end: c.end })), bufferMinutes: rules.bufferAfterMinutes, zone },
      conflicts: conflicts.map(intervalOf),
    });
  }

  return violations;
}
