// Public holidays from the date-holidays package as lab-local closed days.
import Holidays from 'date-holidays';
import type { Interval } from 'luxon';
import type { ClosedDay } from './types';
import { spanOf } from './interval-set';
import { localDaySpan } from './opening-hours';
import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR } from './supported-range';
import { DAY_MS, dayOfIsoDate, isoDateOfDay, labZone } from './zone-time';

interface HolidayDay {
  date: string;
  reason: string;
}

interface CountryCalendar {
  holidays: Holidays;
  /** The country's own languages, read before any getHolidays call (each call puts the language it was asked for first). */
  languages: string[];
  /** Keyed by `${language}|${year}`. */
  years: Map<string, HolidayDay[]>;
}

// Holiday rules are immutable reference data, so one instance per (country, region) is safe to share
// across requests and processes.
const calendars = new Map<string, CountryCalendar>();
let supported: Set<string> | undefined;

/** True when date-holidays has data for the ISO 3166-1 alpha-2 code (false for MM, KH, LA). */
export function isCountrySupported(countryCode: string): boolean {
  supported ??= new Set(Object.keys(new Holidays().getCountries()));
  return supported.has(countryCode.toUpperCase());
}

function calendarFor(country: string, region: string | undefined): CountryCalendar {
  const key = `${country}|${region ?? ''}`;
  let cal = calendars.get(key);
  if (!cal) {
    // timezone 'UTC' makes start/end carry the country's wall-clock dates, free of DST arithmetic.
    const holidays = region ? new Holidays(country, region, { timezone: 'UTC' }) : new Holidays(country, { timezone: 'UTC' });
    cal = { holidays, languages: [...new Set(holidays.getLanguages() as string[])], years: new Map() };
    calendars.set(key, cal);
  }
  return cal;
}

/** date-holidays' language for a BCP 47 tag: the language subtag ("zh-CN" → zh), which is what it names them by. */
export const holidayLanguage = (tag: string | undefined): string => (tag ?? 'en').trim().toLowerCase().split(/[-_]/)[0] || 'en';

/**
 * Each public holiday's name in `language` where date-holidays has one, else in English. Asked for a language it
 * lacks, date-holidays answers in one of the country's own (CN's 春节 for a Thai reader): a name equal to the one in
 * another of the country's languages, and not English, is such a stand-in and gives way to the English name.
 */
function namesIn(cal: CountryCalendar, year: number, language: string): (h: { rule: string; date: string; name: string }) => string {
  // English, the common case, costs nothing more: the holidays come in English already.
  if (language === 'en') return (h) => h.name;
  const keyOf = (h: { rule: string; date: string }) => `${h.rule}|${h.date}`;
  const named = (lang: string) => new Map(cal.holidays.getHolidays(year, lang).map((h) => [keyOf(h), h.name]));
  const english = named('en');
  const wanted = named(language);
  const others = cal.languages.filter((l) => l !== language && l !== 'en').map(named);
  return (h) => {
    const key = keyOf(h);
    const name = wanted.get(key);
    const standIn = name === undefined || (name !== english.get(key) && others.some((o) => o.get(key) === name));
    return (standIn ? english.get(key) : name) ?? name ?? '';
  };
}

/** Whole public-holiday days of one year, one entry per date (names of coinciding holidays joined), in `language`. */
function holidayDays(cal: CountryCalendar, year: number, language: string): HolidayDay[] {
  const cacheKey = `${language}|${year}`;
  let days = cal.years.get(cacheKey);
  if (days) return days;
  const nameOf = namesIn(cal, year, language);
  const names = new Map<string, string[]>();
  for (const h of cal.holidays.getHolidays(year, 'en')) {
    if (h.type !== 'public') continue;
    const first = dayOfIsoDate(h.date.slice(0, 10));
    // Holidays shorter than a day (e.g. CN's afternoon off for Women's Day, for some groups only) do not close the lab.
    if (h.end.getTime() - h.start.getTime() < DAY_MS) continue;
    // `date` names the holiday's own first day even when it begins the evening before (Islamic holidays);
    // with timezone UTC the end's UTC date is its local last day.
    const last = Math.max(first, Math.floor((h.end.getTime() - 1) / DAY_MS));
    const name = nameOf(h);
    for (let day = first; day <= last; day++) {
      const date = isoDateOfDay(day);
      const list = names.get(date) ?? [];
      if (!list.includes(name)) list.push(name);
      names.set(date, list);
    }
  }
  days = [...names.entries()].map(([date, list]) => ({ date, reason: list.join(' / ') }));
  cal.years.set(cacheKey, days);
  return days;
}

/**
 * Public holidays (date-holidays type 'public') as lab-local days overlapping `range`, kind PUBLIC_HOLIDAY,
 * reason = the holiday's name in the reader's language (a BCP 47 tag; English where date-holidays has no name in it).
 * `region` is the date-holidays state code (e.g. 'BY' for DE).
 * Countries without data (MM, KH, LA) give []; so do years outside the supported range (supported-range.ts).
 */
export function publicHolidays(countryCode: string, region: string | undefined, range: Interval, zone: string, language = 'en'): ClosedDay[] {
  const country = countryCode.toUpperCase();
  if (!isCountrySupported(country)) return [];
  const { start, end } = spanOf(range, 'range');
  if (!(end > start)) return [];
  const lab = labZone(zone);
  const cal = calendarFor(country, region || undefined);
  const firstYear = new Date(lab.wall(start)).getUTCFullYear();
  const lastYear = new Date(lab.wall(end)).getUTCFullYear();
  const out: ClosedDay[] = [];
  const seen = new Set<string>();
  // The year before too: a multi-day holiday starting late in December can run into the range. Never a year outside
  // the supported range, whatever the caller checked: date-holidays does not return for years 0–2 in several countries.
  const from = Math.max(firstYear - 1, FIRST_SUPPORTED_YEAR);
  const to = Math.min(lastYear, LAST_SUPPORTED_YEAR);
  for (let year = from; year <= to; year++) {
    for (const h of holidayDays(cal, year, holidayLanguage(language))) {
      if (seen.has(h.date)) continue;
      const span = localDaySpan(lab, h.date);
      if (span.start < end && start < span.end) {
        seen.add(h.date);
        out.push({ date: h.date, reason: h.reason, kind: 'PUBLIC_HOLIDAY' });
      }
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
