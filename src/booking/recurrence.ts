// Recurrence of a booking series: an RFC 5545 RRULE subset (FREQ DAILY/WEEKLY/MONTHLY, INTERVAL, BYDAY, BYMONTHDAY,
// COUNT or UNTIL), parsed strictly here and expanded by the rrule library in the lab's wall-clock time: the rule is
// expanded over "floating" dates (UTC fields standing for lab-local fields) and each occurrence is then placed in the
// lab's zone with Luxon, so a 09:00 Berlin series stays 09:00 local on both sides of a DST change. Pure: no database.
import { DateTime } from 'luxon';
import { Frequency, RRule, Weekday as RRuleWeekday, type Options as RRuleOptions } from 'rrule';
import { badInput, type UserError } from '../errors';
import { DAY_MS } from '../scheduling/zone-time';

/** At most this many occurrences in one series. */
export const MAX_SERIES_OCCURRENCES = 100;
/** Longest RRULE text accepted (the subset needs far less). */
const MAX_RULE_LENGTH = 300;
/** Largest INTERVAL accepted: together with the bounded horizon this keeps an expansion short whatever the rule. */
const MAX_INTERVAL = 366;
/** How far past the instrument's horizon an UNTIL rule is searched for further occurrences (it is then refused). */
const BEYOND_HORIZON_SEARCH_DAYS = 400;

const FREQUENCIES = { DAILY: Frequency.DAILY, WEEKLY: Frequency.WEEKLY, MONTHLY: Frequency.MONTHLY } as const;
type Freq = keyof typeof FREQUENCIES;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const SUPPORTED_PARTS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL'];

/** A parsed rule in the supported subset. UNTIL is kept as written and resolved in the lab's zone on expansion. */
export interface RecurrenceRule {
  freq: Freq;
  interval: number;
  /** Weekdays, with an ordinal (-5..5, not 0) for MONTHLY rules ("2TU": the second Tuesday). */
  byDay: { weekday: (typeof WEEKDAYS)[number]; nth?: number }[];
  byMonthDay: number[];
  count?: number;
  until?: string;
}

const invalid = (reason: string, params: Record<string, unknown> = {}): UserError => badInput('recurrence', reason, params);

const integer = (text: string, min: number, max: number): number | null => {
  if (!/^[+-]?\d{1,6}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
};

/** Parses the RRULE subset; anything else is a BAD_INPUT naming the part. */
export function parseRecurrence(text: string): { rule: RecurrenceRule } | { error: UserError } {
  const trimmed = text.trim().replace(/^RRULE:/i, '');
  if (trimmed.length === 0 || trimmed.length > MAX_RULE_LENGTH) return { error: invalid('RECURRENCE_OVER_LIMIT', { part: 'RRULE', max: MAX_RULE_LENGTH }) };
  const parts = new Map<string, string>();
  for (const piece of trimmed.split(';')) {
    const match = /^([A-Za-z]+)=([^=;]+)$/.exec(piece.trim());
    if (!match) return { error: invalid('RECURRENCE_INVALID', { part: piece.slice(0, 40) }) };
    const name = match[1].toUpperCase();
    if (!SUPPORTED_PARTS.includes(name)) return { error: invalid('RECURRENCE_UNSUPPORTED', { part: name, supported: SUPPORTED_PARTS.join(', ') }) };
    if (parts.has(name)) return { error: invalid('RECURRENCE_INVALID', { part: name }) };
    parts.set(name, match[2].trim().toUpperCase());
  }
  const freq = parts.get('FREQ');
  if (!freq) return { error: invalid('RECURRENCE_INVALID', { part: 'FREQ' }) };
  if (!(freq in FREQUENCIES)) return { error: invalid('RECURRENCE_UNSUPPORTED', { part: `FREQ=${freq.slice(0, 20)}`, supported: 'DAILY, WEEKLY, MONTHLY' }) };
  const rule: RecurrenceRule = { freq: freq as Freq, interval: 1, byDay: [], byMonthDay: [] };

  if (parts.has('INTERVAL')) {
    const interval = integer(parts.get('INTERVAL')!, 1, MAX_INTERVAL);
    if (interval === null) return { error: invalid('RECURRENCE_OVER_LIMIT', { part: 'INTERVAL', max: MAX_INTERVAL }) };
    rule.interval = interval;
  }
  if (parts.has('BYDAY')) {
    for (const day of parts.get('BYDAY')!.split(',')) {
      const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(day.trim());
      if (!match) return { error: invalid('RECURRENCE_INVALID', { part: 'BYDAY' }) };
      const nth = match[1] === undefined ? undefined : integer(match[1], -5, 5);
      if (nth === 0 || nth === null || (nth !== undefined && rule.freq !== 'MONTHLY')) return { error: invalid('RECURRENCE_INVALID', { part: 'BYDAY' }) };
      const weekday = match[2] as RecurrenceRule['byDay'][number]['weekday'];
      if (!rule.byDay.some((d) => d.weekday === weekday && d.nth === nth)) rule.byDay.push(nth === undefined ? { weekday } : { weekday, nth });
    }
  }
  if (parts.has('BYMONTHDAY')) {
    for (const day of parts.get('BYMONTHDAY')!.split(',')) {
      const n = integer(day.trim(), -31, 31);
      if (n === null || n === 0) return { error: invalid('RECURRENCE_INVALID', { part: 'BYMONTHDAY' }) };
      if (!rule.byMonthDay.includes(n)) rule.byMonthDay.push(n);
    }
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) return { error: invalid('RECURRENCE_INVALID', { part: 'COUNT+UNTIL' }) };
  if (!parts.has('COUNT') && !parts.has('UNTIL')) return { error: invalid('RECURRENCE_UNBOUNDED') };
  if (parts.has('COUNT')) {
    // Bigger counts are parsed so that the answer can name the limit (TOO_MANY_OCCURRENCES), not call the rule malformed.
    const count = integer(parts.get('COUNT')!, 1, 999_999);
    if (count === null) return { error: invalid('RECURRENCE_INVALID', { part: 'COUNT' }) };
    if (count > MAX_SERIES_OCCURRENCES) return { error: tooMany() };
    rule.count = count;
  }
  if (parts.has('UNTIL')) {
    const until = parts.get('UNTIL')!;
    if (!/^\d{8}(T\d{6}Z?)?$/.test(until) || !untilIn(until, 'UTC').isValid) return { error: invalid('RECURRENCE_INVALID', { part: 'UNTIL' }) };
    rule.until = until;
  }
  return { rule };
}

const tooMany = (): UserError => badInput('recurrence', 'TOO_MANY_OCCURRENCES', { max: MAX_SERIES_OCCURRENCES });

/** UNTIL in the lab's zone: a date means the whole local day, a time without Z is local, with Z an instant. */
function untilIn(until: string, zone: string): DateTime {
  if (until.length === 8) return DateTime.fromFormat(until, 'yyyyMMdd', { zone }).endOf('day');
  if (until.endsWith('Z')) return DateTime.fromFormat(until, "yyyyMMdd'T'HHmmss'Z'", { zone: 'utc' }).setZone(zone);
  return DateTime.fromFormat(until, "yyyyMMdd'T'HHmmss", { zone });
}

/** The rule in its canonical text (what is stored and shown). */
export function formatRecurrence(rule: RecurrenceRule): string {
  return [
    `FREQ=${rule.freq}`,
    ...(rule.interval !== 1 ? [`INTERVAL=${rule.interval}`] : []),
    ...(rule.byDay.length ? [`BYDAY=${rule.byDay.map((d) => `${d.nth ?? ''}${d.weekday}`).join(',')}`] : []),
    ...(rule.byMonthDay.length ? [`BYMONTHDAY=${rule.byMonthDay.join(',')}`] : []),
    ...(rule.count !== undefined ? [`COUNT=${rule.count}`] : []),
    ...(rule.until !== undefined ? [`UNTIL=${rule.until}`] : []),
  ].join(';');
}

/**
 * The rule for a calendar whose DTSTART carries the lab's TZID: RFC 5545 then wants UNTIL as a UTC instant.
 */
export function calendarRecurrence(rule: RecurrenceRule, zone: string): string {
  const until = rule.until === undefined ? undefined : untilIn(rule.until, zone).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
  return formatRecurrence({ ...rule, until });
}

/** Wall-clock fields of a lab-local time as a floating Date (UTC fields = local fields), which rrule expands. */
const floating = (local: DateTime): Date =>
  new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond));
/** A floating Date back in the lab's zone (a wall-clock time skipped by a DST change moves forward, as Luxon does). */
const inZone = (d: Date, zone: string): DateTime =>
  DateTime.fromObject({
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(),
  }, { zone });

export interface Occurrence {
  start: DateTime;
  end: DateTime;
}

export interface SeriesAsk {
  /** The first occurrence (DTSTART) and its end; later occurrences keep its wall-clock times in the lab's zone. */
  start: DateTime;
  end: DateTime;
  rule: RecurrenceRule;
  /** The lab's IANA zone. */
  zone: string;
  /** No occurrence may end after this (now + the instrument's max advance). */
  latestEnd: DateTime;
  maxAdvanceDays: number;
}

/**
 * Every occurrence of the series, or the limit it breaks (more than MAX_SERIES_OCCURRENCES; an occurrence past the
 * instrument's max advance). Expansion is bounded by the horizon and by the occurrence limit whatever the rule says,
 * so a hostile rule cannot make it run long.
 */
export function expandSeries(ask: SeriesAsk): { occurrences: Occurrence[] } | { error: UserError } {
  const { rule, zone } = ask;
  const startLocal = ask.start.setZone(zone);
  const endLocal = ask.end.setZone(zone);
  // The wall-clock length (09:00–12:00 stays 09:00–12:00 local even on a day with 23 or 25 hours).
  const wallLength = floating(endLocal).getTime() - floating(startLocal).getTime();
  const dtstart = floating(startLocal);
  const horizon = new Date(floating(ask.latestEnd.setZone(zone)).getTime() + DAY_MS);
  const options: Partial<RRuleOptions> = {
    freq: FREQUENCIES[rule.freq],
    interval: rule.interval,
    dtstart,
    wkst: RRule.MO,
    ...(rule.byDay.length ? { byweekday: rule.byDay.map((d) => new RRuleWeekday(WEEKDAYS.indexOf(d.weekday), d.nth)) } : {}),
    ...(rule.byMonthDay.length ? { bymonthday: rule.byMonthDay } : {}),
    ...(rule.count !== undefined ? { count: rule.count } : {}),
    ...(rule.until !== undefined ? { until: floating(untilIn(rule.until, zone)) } : {}),
  };
  const rrule = new RRule(options);
  const found: Date[] = [];
  rrule.between(dtstart, horizon, true, (date) => {
    found.push(date);
    return found.length <= MAX_SERIES_OCCURRENCES;
  });
  if (found.length > MAX_SERIES_OCCURRENCES) return { error: tooMany() };
  const beyond = (): UserError => badInput('recurrence', 'SERIES_BEYOND_MAX_ADVANCE', { maxAdvanceDays: ask.maxAdvanceDays });
  // A COUNT that the horizon cuts short, or an UNTIL with occurrences after the horizon, asks for time past the limit.
  if (rule.count !== undefined && found.length < rule.count) return { error: beyond() };
  if (rule.until !== undefined) {
    const searchEnd = new Date(horizon.getTime() + BEYOND_HORIZON_SEARCH_DAYS * DAY_MS);
    let later = false;
    rrule.between(horizon, searchEnd, false, () => {
      later = true;
      return false;
    });
    if (later) return { error: beyond() };
  }
  const occurrences = found.map((d) => ({ start: inZone(d, zone), end: inZone(new Date(d.getTime() + wallLength), zone) }));
  if (occurrences.length === 0) return { error: invalid('RECURRENCE_EMPTY') };
  if (occurrences.some((o) => o.end > ask.latestEnd)) return { error: beyond() };
  return { occurrences };
}
