// Builders shared by the scheduling tests (not a test file itself).
import { DateTime, Interval } from 'luxon';
import type { BookingRules, InstrumentSchedule, WeeklyWindow, Weekday } from '../../src/scheduling';

/** A wall-clock time in a zone, e.g. at('2026-03-29T08:00', 'Europe/Berlin'). */
export function at(iso: string, zone = 'utc'): DateTime {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad fixture time ${iso} in ${zone}`);
  return dt;
}

export function span(start: string, end: string, zone = 'utc'): Interval {
  return Interval.fromDateTimes(at(start, zone), at(end, zone));
}

/** "start/end" of each interval in UTC ISO, for readable assertions. */
export function iso(intervals: Interval[]): string[] {
  return intervals.map((i) => `${i.start!.toUTC().toISO()}/${i.end!.toUTC().toISO()}`);
}

export const ALL_WEEKDAYS: Weekday[] = [1, 2, 3, 4, 5, 6, 7];

export function everyDay(startMinute: number, endMinute: number): WeeklyWindow[] {
  return ALL_WEEKDAYS.map((weekday) => ({ weekday, startMinute, endMinute }));
}

export const AROUND_THE_CLOCK = everyDay(0, 1440);

export const RULES: BookingRules = {
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 240,
  minNoticeMinutes: 60,
  maxAdvanceDays: 30,
  bufferAfterMinutes: 0,
};

export type ScheduleOverrides = Partial<Omit<InstrumentSchedule, 'rules'>> & { rules?: Partial<BookingRules> };

export function schedule(overrides: ScheduleOverrides = {}): InstrumentSchedule {
  const { rules, ...rest } = overrides;
  return {
    zone: 'Asia/Bangkok',
    openingHours: everyDay(8 * 60, 20 * 60),
    status: 'AVAILABLE',
    blackouts: [],
    closedDays: [],
    bookings: [],
    ...rest,
    rules: { ...RULES, ...rules },
  };
}

/** Luxon's own reading of the lab-local wall clock: on the grid when minute of day % slot === 0. */
export function onLocalGrid(dt: DateTime, zone: string, slotMinutes: number): boolean {
  const l = dt.setZone(zone);
  return (l.hour * 60 + l.minute) % slotMinutes === 0 && l.second === 0 && l.millisecond === 0;
}
