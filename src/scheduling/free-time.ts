// Free, bookable time of one instrument.
import type { DateTime, Interval } from 'luxon';
import type { InstrumentSchedule } from './types';
import { checkRules, horizonOf } from './booking-rules';
import { blackoutSpans, bookingBlocks } from './busy-time';
import { type Span, intervalOf, spanOf, subtractSpans } from './interval-set';
import { openSpansWithoutClosedDays } from './opening-hours';
import { ceilToGrid, floorToGrid } from './slot-grid';
import { MINUTE_MS, labZone } from './zone-time';

/** freeIntervals on epoch-ms spans (the hot path; callers convert at the edge). */
export function freeSpans(
  schedule: InstrumentSchedule,
  range: Span,
  opts: { now: DateTime; minMinutes?: number },
): Span[] {
  if (schedule.status !== 'AVAILABLE') return [];
  const { rules } = schedule;
  checkRules(rules);
  const zone = labZone(schedule.zone);
  const horizon = horizonOf(rules, opts.now, schedule.zone);
  const from = Math.max(range.start, horizon.earliestStart);
  const to = Math.min(range.end, horizon.latestEnd);
  if (!(to > from)) return [];

  let free = openSpansWithoutClosedDays(zone, schedule.openingHours, schedule.closedDays, from, to);
  if (free.length === 0) return free;
  free = subtractSpans(free, blackoutSpans(schedule, from, to));
  free = subtractSpans(free, bookingBlocks(schedule, from, to));

  const slot = rules.slotMinutes * MINUTE_MS;
  const minLength = Math.max(opts.minMinutes ?? 0, rules.minMinutes) * MINUTE_MS;
  const out: Span[] = [];
  for (const run of free) {
    const start = ceilToGrid(zone, run.start, slot);
    const end = floorToGrid(zone, run.end, slot);
    if (end > start && end - start >= minLength) out.push({ start, end });
  }
  return out;
}

/**
 * Free time within `range`: opening hours − closed days − blackouts − bookings with buffers − before
 * now + minNotice − after now + maxAdvanceDays, each run cut to the lab-local slot grid and kept only if it is
 * at least max(opts.minMinutes, rules.minMinutes) long. A run may exceed maxMinutes: any sub-span that meets
 * the rules is bookable. Empty unless the instrument is AVAILABLE.
 */
export function freeIntervals(
  schedule: InstrumentSchedule,
  range: Interval,
  opts: { now: DateTime; minMinutes?: number },
): Interval[] {
  return freeSpans(schedule, spanOf(range, 'range'), opts).map(intervalOf);
}
