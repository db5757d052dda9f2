// Weekly wall-clock opening hours and closed days turned into UTC spans.
import type { Interval } from 'luxon';
import type { ClosedDay, WeeklyWindow } from './types';
import { type Span, clipSpans, intervalOf, mergeSpans, spanOf, subtractSpans } from './interval-set';
import { DAY_MS, type LabZone, MINUTE_MS, dayOfIsoDate, dayOfWall, isoWeekdayOfDay, labZone } from './zone-time';

/** Windows grouped by ISO weekday (index 1…7), each group sorted; throws RangeError on a malformed window. */
export function windowsByWeekday(windows: readonly WeeklyWindow[]): WeeklyWindow[][] {
  const byDay: WeeklyWindow[][] = [[], [], [], [], [], [], [], []];
  for (const w of windows) {
    const ok =
      Number.isInteger(w.weekday) && w.weekday >= 1 && w.weekday <= 7 &&
      Number.isInteger(w.startMinute) && Number.isInteger(w.endMinute) &&
      w.startMinute >= 0 && w.startMinute < w.endMinute && w.endMinute <= 1440;
    if (!ok) throw new RangeError(`Invalid weekly window ${JSON.stringify(w)}: need weekday 1–7 and 0 ≤ startMinute < endMinute ≤ 1440`);
    byDay[w.weekday].push(w);
  }
  for (const group of byDay) group.sort((a, b) => a.startMinute - b.startMinute);
  return byDay;
}

/**
 * Opening spans overlapping [from, to), merged (a window ending at 24:00 joins one starting at 00:00 the
 * next day) and clipped. Window edges go through LabZone.toUtc, so a DST day keeps its wall-clock hours.
 */
export function openSpans(zone: LabZone, byWeekday: WeeklyWindow[][], from: number, to: number): Span[] {
  if (!(to > from)) return [];
  // A window belongs to the local day it starts on and ends by the next local midnight, so starting one
  // local day early catches the window that is already running at `from`.
  const firstDay = dayOfWall(zone.wall(from)) - 1;
  const lastDay = dayOfWall(zone.wall(to));
  const spans: Span[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const windows = byWeekday[isoWeekdayOfDay(day)];
    const midnight = day * DAY_MS;
    for (const w of windows) {
      // DST: an edge in a gap moves forward by the gap (Luxon's rule); an ambiguous edge is its first occurrence.
      const start = zone.toUtc(midnight + w.startMinute * MINUTE_MS);
      const end = zone.toUtc(midnight + w.endMinute * MINUTE_MS);
      if (end > start && end > from && start < to) spans.push({ start, end });
    }
  }
  return clipSpans(mergeSpans(spans), from, to);
}

/** The lab-local day [00:00, next 00:00) of a yyyy-MM-dd date as a UTC span. */
export function localDaySpan(zone: LabZone, date: string): Span {
  const day = dayOfIsoDate(date);
  return { start: zone.toUtc(day * DAY_MS), end: zone.toUtc((day + 1) * DAY_MS) };
}

/** Closed days that touch [from, to), each with its UTC span, sorted by start. */
export function closedDaysIn(
  zone: LabZone,
  closedDays: readonly ClosedDay[],
  from: number,
  to: number,
): { day: ClosedDay; span: Span }[] {
  const out: { day: ClosedDay; span: Span }[] = [];
  for (const day of closedDays) {
    const span = localDaySpan(zone, day.date);
    if (span.start < to && from < span.end) out.push({ day, span });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Opening spans minus closed days, within [from, to). */
export function openSpansWithoutClosedDays(
  zone: LabZone,
  windows: readonly WeeklyWindow[],
  closedDays: readonly ClosedDay[],
  from: number,
  to: number,
): Span[] {
  const open = openSpans(zone, windowsByWeekday(windows), from, to);
  if (closedDays.length === 0 || open.length === 0) return open;
  return subtractSpans(open, mergeSpans(closedDaysIn(zone, closedDays, from, to).map((c) => c.span)));
}

/**
 * Weekly wall-clock windows in the lab's zone as sorted, merged, non-overlapping UTC intervals within
 * `range`, without the closed days (each removes its whole lab-local day).
 */
export function openIntervals(zone: string, windows: WeeklyWindow[], range: Interval, closedDays: ClosedDay[]): Interval[] {
  const { start, end } = spanOf(range, 'range');
  return openSpansWithoutClosedDays(labZone(zone), windows, closedDays, start, end).map(intervalOf);
}
