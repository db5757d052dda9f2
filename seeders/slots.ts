// Finding a free, valid slot for a demo booking. Pure Luxon: wall-clock rules are evaluated in the lab's zone,
// instants compared in UTC, so Asia/Yangon (+06:30) and Europe/Berlin (DST) need no special cases.
import { DateTime } from 'luxon';
import type { WeeklyWindow } from '../src/scheduling/types';

export interface Span {
  start: DateTime;
  end: DateTime;
}

/** 'HH:mm' → minutes after midnight; '24:00' → 1440. */
export function parseClock(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`Not a HH:mm time: ${hhmm}`);
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (minutes > 1440 || Number(match[2]) >= 60) throw new Error(`Not a time of day: ${hhmm}`);
  return minutes;
}

/** The instant at `minute` after local midnight of `day`'s date in `day`'s zone; 1440 is the next midnight. */
export function localAt(day: DateTime, minute: number): DateTime {
  const midnight = day.startOf('day');
  if (minute === 1440) return midnight.plus({ days: 1 }).startOf('day');
  return DateTime.fromObject(
    { year: midnight.year, month: midnight.month, day: midnight.day, hour: Math.floor(minute / 60), minute: minute % 60 },
    { zone: midnight.zone },
  );
}

export function minuteOfDay(instant: DateTime): number {
  return instant.hour * 60 + instant.minute;
}

/** The weekly windows laid out as merged UTC spans over the local dates from..to (inclusive). */
export function openSpans(zone: string, windows: readonly WeeklyWindow[], from: DateTime, to: DateTime): Span[] {
  const spans: Span[] = [];
  const last = to.setZone(zone).startOf('day');
  for (let day = from.setZone(zone).startOf('day'); day <= last; day = day.plus({ days: 1 })) {
    for (const w of windows) {
      if (w.weekday === day.weekday) spans.push({ start: localAt(day, w.startMinute).toUTC(), end: localAt(day, w.endMinute).toUTC() });
    }
  }
  spans.sort((a, b) => a.start.toMillis() - b.start.toMillis());
  const merged: Span[] = [];
  for (const span of spans) {
    const previous = merged[merged.length - 1];
    // Touching windows (Mon 00:00–24:00, Tue 00:00–24:00) form one span, so overnight sessions fit.
    if (previous && span.start <= previous.end) {
      if (span.end > previous.end) previous.end = span.end;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** Lab-local dates (yyyy-MM-dd) that [start, end) touches. */
export function localDates(zone: string, span: Span): string[] {
  const dates: string[] = [];
  const last = span.end.minus({ milliseconds: 1 }).setZone(zone).startOf('day');
  for (let day = span.start.setZone(zone).startOf('day'); day <= last; day = day.plus({ days: 1 })) {
    dates.push(day.toISODate()!);
  }
  return dates;
}

export interface SlotSearch {
  zone: string;
  /** Effective opening hours: the instrument's own if it has any, else the lab's. */
  windows: readonly WeeklyWindow[];
  slotMinutes: number;
  bufferAfterMinutes: number;
  minutes: number;
  /** Preferred start, minutes after local midnight; later grid starts on the same day are tried next. */
  startMinute: number;
  /** Lab-local days to try, in order of preference. */
  days: readonly DateTime[];
  isClosed: (localDate: string) => boolean;
  /** Spans already held on the instrument (without their buffer, which is the same instrument's). */
  busy: readonly Span[];
  notBefore: DateTime;
  notAfter: DateTime;
}

/** The first candidate that is on the grid, open, not on a closed day, within the bounds and clear of `busy`. */
export function findSlot(search: SlotSearch): Span | null {
  const { zone, slotMinutes: slot, bufferAfterMinutes: buffer } = search;
  const firstMinute = Math.ceil(search.startMinute / slot) * slot;
  for (const day of search.days) {
    const localDay = day.setZone(zone).startOf('day');
    for (let minute = firstMinute; minute < 1440; minute += slot) {
      const start = localAt(localDay, minute);
      if (minuteOfDay(start) !== minute) continue; // a wall-clock time skipped by a DST change
      const end = start.plus({ minutes: search.minutes });
      if (minuteOfDay(end) % slot !== 0) continue;
      const span = { start: start.toUTC(), end: end.toUTC() };
      if (span.start < search.notBefore || span.end > search.notAfter) continue;
      const open = openSpans(zone, search.windows, span.start.minus({ days: 1 }), span.end);
      if (!open.some((o) => o.start <= span.start && span.end <= o.end)) continue;
      if (localDates(zone, span).some(search.isClosed)) continue;
      const clashes = search.busy.some(
        (b) => span.start < b.end.plus({ minutes: buffer }) && b.start < span.end.plus({ minutes: buffer }),
      );
      if (!clashes) return span;
    }
  }
  return null;
}
