// Days a lab is closed, as far as placing demo bookings is concerned.
import Holidays from 'date-holidays';
import type { DateTime } from 'luxon';
import type { ClosureSeed } from './data/types';

/**
 * Public and bank holidays (yyyy-MM-dd) of a country/region in the given years. Deliberately broad
 * (bank holidays and half days count as whole days): a demo booking is better moved than rejected.
 */
export function holidayDates(countryCode: string, region: string | null, years: number[]): Set<string> {
  const calendar = region ? new Holidays(countryCode, region) : new Holidays(countryCode);
  const dates = new Set<string>();
  for (const year of years) {
    for (const holiday of calendar.getHolidays(year) || []) {
      if (holiday.type === 'public' || holiday.type === 'bank') dates.add(holiday.date.slice(0, 10));
    }
  }
  return dates;
}

/**
 * The next occurrence of each festival closure as lab-local dates: this year's if its last day is still
 * ahead of `now` in the lab's zone, else next year's.
 */
export function upcomingClosures(closures: readonly ClosureSeed[], zone: string, now: DateTime): { day: string; reason: string }[] {
  const today = now.setZone(zone).toISODate()!;
  const rows: { day: string; reason: string }[] = [];
  for (const closure of closures) {
    const dayOf = (year: number, day: number) =>
      `${year}-${String(closure.month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const thisYear = now.setZone(zone).year;
    const year = dayOf(thisYear, Math.max(...closure.days)) >= today ? thisYear : thisYear + 1;
    for (const day of closure.days) rows.push({ day: dayOf(year, day), reason: closure.reason });
  }
  return rows;
}
