// Every rule a requested booking breaks, as data. An empty array means it can be booked.
import { DateTime } from 'luxon';
import type { InstrumentSchedule, Violation } from './types';
import { checkRules, horizonOf } from './booking-rules';
import { Span, intervalOf, overlaps, spanOf } from './interval-set';
import { closedDaysIn, openSpans, windowsByWeekday } from './opening-hours';
import { formatMillis } from './format-instant';
import { isOnGrid } from './slot-grid';
import { MINUTE_MS, labZone } from './zone-time';
import { isValidTimeZone } from '../time-zone';

function minutes(ms: number): string {
  const m = ms / MINUTE_MS;
  const text = Number.isInteger(m) ? String(m) : m.toFixed(2).replace(/0+$/, '');
  return `${text} minute${m === 1 ? '' : 's'}`;
}

function listing(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function validateBooking(
  schedule: InstrumentSchedule,
  requested: { start: DateTime; end: DateTime },
  opts: { now: DateTime; viewerZone: string },
): Violation[] {
  const viewerZone = isValidTimeZone(opts.viewerZone) ? opts.viewerZone : schedule.zone;
  const at = (ms: number) => formatMillis(ms, viewerZone);

  if (!requested.start.isValid || !requested.end.isValid) {
    const which = !requested.start.isValid ? (!requested.end.isValid ? 'start and end are' : 'start is') : 'end is';
    return [{ code: 'INVALID_TIME_RANGE', message: `The requested ${which} not a valid date-time` }];
  }
  const s = requested.start.toMillis();
  const e = requested.end.toMillis();
  if (e <= s) {
    return [{ code: 'INVALID_TIME_RANGE', message: `Ends at ${at(e)}, which is not after its start at ${at(s)}` }];
  }

  const { rules } = schedule;
  checkRules(rules);
  const zone = labZone(schedule.zone);
  const horizon = horizonOf(rules, opts.now, schedule.zone);
  const request: Span = { start: s, end: e };
  const violations: Violation[] = [];

  if (schedule.status !== 'AVAILABLE') {
    const state = schedule.status === 'MAINTENANCE' ? 'under maintenance' : 'retired';
    violations.push({ code: 'INSTRUMENT_UNAVAILABLE', message: `The instrument is ${state} and cannot be booked` });
  }

  const slot = rules.slotMinutes * MINUTE_MS;
  const offGrid: string[] = [];
  if (!isOnGrid(zone, s, slot)) offGrid.push(`starts at ${at(s)}`);
  if (!isOnGrid(zone, e, slot)) offGrid.push(`ends at ${at(e)}`);
  if (offGrid.length > 0) {
    const text = listing(offGrid);
    violations.push({
      code: 'NOT_ALIGNED',
      message: `${text[0].toUpperCase()}${text.slice(1)}, off the lab's ${rules.slotMinutes}-minute slot grid (lab time in ${schedule.zone})`,
    });
  }

  const length = e - s;
  if (length < rules.minMinutes * MINUTE_MS) {
    violations.push({ code: 'TOO_SHORT', message: `Lasts ${minutes(length)}; the minimum is ${minutes(rules.minMinutes * MINUTE_MS)}` });
  }
  if (length > rules.maxMinutes * MINUTE_MS) {
    violations.push({ code: 'TOO_LONG', message: `Lasts ${minutes(length)}; the maximum is ${minutes(rules.maxMinutes * MINUTE_MS)}` });
  }

  if (s < horizon.earliestStart) {
    const now = opts.now.toMillis();
    violations.push({
      code: 'TOO_SOON',
      message:
        s < now
          ? `Starts at ${at(s)}, which is in the past`
          : `Starts at ${at(s)}; bookings need ${minutes(rules.minNoticeMinutes * MINUTE_MS)} notice, so the earliest start is ${at(horizon.earliestStart)}`,
    });
  }
  if (e > horizon.latestEnd) {
    violations.push({
      code: 'TOO_FAR_AHEAD',
      message: `Ends at ${at(e)}; bookings may end at most ${rules.maxAdvanceDays} day${rules.maxAdvanceDays === 1 ? '' : 's'} ahead, by ${at(horizon.latestEnd)}`,
    });
  }

  // Opening hours without closed days: a closed day is reported as HOLIDAY instead.
  const open = openSpans(zone, windowsByWeekday(schedule.openingHours), s, e);
  const inside = open.length === 1 && open[0].start === s && open[0].end === e;
  if (!inside) {
    let message: string;
    if (open.length === 0 || open[0].start > s) {
      message = open.length > 0
        ? `Starts at ${at(s)}, before the lab opens at ${at(open[0].start)}`
        : `Starts at ${at(s)}, when the lab is closed (outside its opening hours)`;
    } else {
      message = `Ends at ${at(e)}, after the lab closes at ${at(open[0].end)}`;
    }
    violations.push({ code: 'OUTSIDE_OPENING_HOURS', message });
  }

  const closed = closedDaysIn(zone, schedule.closedDays, s, e);
  if (closed.length > 0) {
    violations.push({
      code: 'HOLIDAY',
      message: `The lab is closed on ${listing(closed.map((c) => `${c.day.date} (${c.day.reason})`))} (lab calendar, ${schedule.zone})`,
    });
  }

  const blackouts = schedule.blackouts
    .map((b) => ({ reason: b.reason, span: spanOf(b.interval, 'blackout interval') }))
    .filter((b) => overlaps(b.span, request))
    .sort((a, b) => a.span.start - b.span.start);
  if (blackouts.length > 0) {
    violations.push({
      code: 'BLACKOUT',
      message: `Overlaps ${listing(blackouts.map((b) => `the blackout "${b.reason}" from ${at(b.span.start)} to ${at(b.span.end)}`))}`,
    });
  }

  const buffer = rules.bufferAfterMinutes * MINUTE_MS;
  const withBuffer: Span = { start: s, end: e + buffer };
  const conflicts = schedule.bookings
    .map((b) => spanOf(b.interval, 'booking interval'))
    .filter((b) => b.end > b.start && overlaps(withBuffer, { start: b.start, end: b.end + buffer }))
    .sort((a, b) => a.start - b.start);
  if (conflicts.length > 0) {
    const spans = listing(conflicts.map((c) => `${at(c.start)} to ${at(c.end)}`));
    const why = buffer > 0 ? ` (the instrument needs ${minutes(buffer)} free after each booking)` : '';
    violations.push({
      code: 'CONFLICT',
      message: `Overlaps ${conflicts.length === 1 ? 'an existing booking' : 'existing bookings'} from ${spans}${why}`,
      conflicts: conflicts.map(intervalOf),
    });
  }

  return violations;
}
