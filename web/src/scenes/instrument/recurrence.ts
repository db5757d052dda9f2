// "Repeat weekly on these days, until a date or for a count": the RRULE the API expands, and the same occurrences
// computed here only to preview them ("to be checked") before the API answers for each. Both count in the lab's
// wall-clock time, as the API does: a 09:00 Berlin series stays 09:00 Berlin across a DST change.
import { DateTime } from 'luxon';

/** The API's limit on the occurrences of one series. */
export const MAX_OCCURRENCES = 100;

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WeeklyRepeat {
  /** Lab-local weekdays; the first occurrence's own day is always one of them (the RRULE's DTSTART must match it). */
  days: Weekday[];
  /** Either a number of occurrences or a last lab-local date (yyyy-MM-dd), inclusive. */
  end: { count: number } | { until: string };
}

export const weekdayOf = (at: DateTime, labZone: string): Weekday => WEEKDAYS[at.setZone(labZone).weekday - 1];

/** The days in the week's order, the first occurrence's day included once. */
export function daysWith(repeat: WeeklyRepeat, start: DateTime, labZone: string): Weekday[] {
  const own = weekdayOf(start, labZone);
  return WEEKDAYS.filter((d) => d === own || repeat.days.includes(d));
}

/** FREQ=WEEKLY;BYDAY=TU,TH;COUNT=15 (or UNTIL=20270131, a lab-local date). */
export function weeklyRule(repeat: WeeklyRepeat, start: DateTime, labZone: string): string {
  const byDay = `FREQ=WEEKLY;BYDAY=${daysWith(repeat, start, labZone).join(',')}`;
  return 'count' in repeat.end ? `${byDay};COUNT=${repeat.end.count}` : `${byDay};UNTIL=${repeat.end.until.replaceAll('-', '')}`;
}

/**
 * The occurrences the rule gives, first the span itself, each at the same lab-local wall time and length; at most
 * MAX_OCCURRENCES + 1, so a rule over the limit shows as such (the API refuses it and names the limit).
 */
export function weeklyOccurrences(repeat: WeeklyRepeat, span: { start: DateTime; end: DateTime }, labZone: string): { start: DateTime; end: DateTime }[] {
  const first = span.start.setZone(labZone);
  const minutes = span.end.diff(span.start, 'minutes').minutes;
  const days = daysWith(repeat, span.start, labZone);
  const until = 'until' in repeat.end ? DateTime.fromISO(repeat.end.until, { zone: labZone }).endOf('day') : null;
  const count = 'count' in repeat.end ? repeat.end.count : Infinity;
  if (until && !until.isValid) return [];
  const out: { start: DateTime; end: DateTime }[] = [];
  // Day by day in the lab's calendar; set() keeps the wall time, so a DST change moves the instant, not the hour.
  for (let day = first.startOf('day'); out.length < Math.min(count, MAX_OCCURRENCES + 1); day = day.plus({ days: 1 })) {
    const start = day.set({ hour: first.hour, minute: first.minute });
    if (until && start > until) break;
    if (day.diff(first.startOf('day'), 'days').days > 366 * 3) break;
    if (!days.includes(WEEKDAYS[day.weekday - 1])) continue;
    out.push({ start, end: start.plus({ minutes }) });
  }
  return out;
}
