// Closure days from an iCalendar (RFC 5545) file: just VEVENT with DTSTART/DTEND/DURATION/SUMMARY/STATUS.
import { SUPPORTED_DATES, isSupportedInstant } from './supported-range';
import type { MessageParams } from './types';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayOfWall, isoDateOfDay, labZone } from './zone-time';

/** What is wrong with the file: each an INVALID_ICS sentence in the catalogs (src/i18n/catalogs/<tag>/errors.json, error.INVALID_ICS.<problem>). */
export type IcsProblem =
  | 'NOT_TEXT' | 'EMPTY' | 'NOT_VCALENDAR' | 'NO_COLON' | 'PROPERTY_NAME' | 'PARAMETER' | 'NOT_A_DATE' | 'NOT_A_REAL_DATE'
  | 'DATE_OUTSIDE' | 'DURATION' | 'RECURRING' | 'NO_DTSTART' | 'ENDS_BEFORE_START' | 'EVENT_TOO_LONG' | 'TOO_MANY_DAYS'
  | 'BEGIN_OUTSIDE' | 'END_MISMATCH' | 'END_WITHOUT_BEGIN' | 'PROPERTY_OUTSIDE' | 'NOT_CLOSED';

/** A file that cannot be read: the problem and where (params.line), never a sentence (rendered at the edge). */
export class IcsParseError extends Error {
  readonly params: MessageParams;
  constructor(readonly problem: IcsProblem, params: MessageParams = {}) {
    super(`${problem} ${JSON.stringify(params)}`);
    this.name = 'IcsParseError';
    this.params = { reason: problem, ...params };
  }
}

/** A piece of the file quoted in a message, cut short. */
const quote = (text: string, max: number) => text.slice(0, max);

/** Most closure days one import may produce. */
export const MAX_ICS_CLOSURE_DAYS = 1000;

interface ContentLine {
  name: string;
  params: Map<string, string>;
  value: string;
  lineNo: number;
}

/** Logical lines: CRLF, LF or CR endings, folded lines (leading space or tab, RFC 5545 §3.1) joined. */
function unfold(text: string): { text: string; lineNo: number }[] {
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const out: { text: string; lineNo: number }[] = [];
  physical.forEach((line, i) => {
    if ((line.startsWith(' ') || line.startsWith('\t')) && out.length > 0) {
      out[out.length - 1].text += line.slice(1);
    } else if (line.trim() !== '') {
      out.push({ text: line, lineNo: i + 1 });
    }
  });
  return out;
}

/** name *(";" param) ":" value, where parameter values may be quoted and contain ':' or ';'. */
function parseContentLine(text: string, lineNo: number): ContentLine {
  let i = 0;
  let inQuotes = false;
  const parts: string[] = [];
  let partStart = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === ';') {
      parts.push(text.slice(partStart, i));
      partStart = i + 1;
    } else if (!inQuotes && c === ':') break;
  }
  if (i >= text.length) throw new IcsParseError('NO_COLON', { line: lineNo, text: quote(text, 80) });
  parts.push(text.slice(partStart, i));
  const [name, ...rawParams] = parts;
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new IcsParseError('PROPERTY_NAME', { line: lineNo, name: quote(name, 80) });
  const params = new Map<string, string>();
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new IcsParseError('PARAMETER', { line: lineNo, parameter: quote(p, 80) });
    params.set(p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  return { name: name.toUpperCase(), params, value: text.slice(i + 1), lineNo };
}

/** SUMMARY text with RFC 5545 escapes (\\ \; \, \n \N) undone. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

interface WhenValue {
  /** Wall-clock time as epoch ms "as if UTC". */
  wall: number;
  isDate: boolean;
}

function parseWhen(line: ContentLine, zone: string | undefined): WhenValue {
  const v = line.value.trim();
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(v);
  const isDate = m !== null && m[4] === undefined;
  if (!m || (line.params.get('VALUE')?.toUpperCase() === 'DATE' && !isDate)) {
    throw new IcsParseError('NOT_A_DATE', { line: line.lineNo, property: line.name, value: quote(v, 40) });
  }
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0));
  const date = new Date(Date.UTC(2000, mo - 1, d));
  date.setUTCFullYear(y); // Date.UTC would read years 0–99 as 1900–1999
  const ok = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h <= 23 && mi <= 59 && sec <= 60;
  if (!ok) throw new IcsParseError('NOT_A_REAL_DATE', { line: line.lineNo, property: line.name, value: v });
  const ms = date.getTime() + h * HOUR_MS + mi * MINUTE_MS + sec * 1000;
  // Checked before the zone lookup below: no year outside the supported range reaches Luxon or Intl.
  if (!isSupportedInstant(ms)) {
    throw new IcsParseError('DATE_OUTSIDE', { line: line.lineNo, property: line.name, value: v, first: SUPPORTED_DATES.first, last: SUPPORTED_DATES.last });
  }
  // A UTC time ("Z") names the lab-local date when the lab's zone is known; floating/TZID times are taken as written.
  const wall = m[7] === 'Z' && zone ? labZone(zone).wall(ms) : ms;
  return { wall, isDate };
}

function parseDuration(line: ContentLine): number {
  const m = /^\+?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(line.value.trim());
  if (!m || m.slice(1).every((x) => x === undefined)) {
    throw new IcsParseError('DURATION', { line: line.lineNo, value: quote(line.value, 40) });
  }
  const [w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  return (w * 7 + d) * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + s * 1000;
}

interface EventLines {
  startLineNo: number;
  props: Map<string, ContentLine>;
}

/** The days [first, last] an event covers, by its wall-clock dates. */
function eventDays(ev: EventLines, zone: string | undefined): { first: number; last: number; reason: string } | null {
  const status = ev.props.get('STATUS')?.value.trim().toUpperCase();
  if (status === 'CANCELLED') return null;
  const summary = ev.props.get('SUMMARY');
  const reason = (summary ? unescapeText(summary.value).trim() : '') || 'Closed';
  for (const recurring of ['RRULE', 'RDATE']) {
    if (ev.props.has(recurring)) {
      throw new IcsParseError('RECURRING', { line: ev.props.get(recurring)!.lineNo, summary: reason, property: recurring });
    }
  }
  const dtstart = ev.props.get('DTSTART');
  if (!dtstart) throw new IcsParseError('NO_DTSTART', { line: ev.startLineNo, summary: reason });
  const start = parseWhen(dtstart, zone);
  const first = dayOfWall(start.wall);
  const dtend = ev.props.get('DTEND');
  const duration = ev.props.get('DURATION');
  let endWall: number;
  if (dtend) endWall = parseWhen(dtend, zone).wall;
  else if (duration) endWall = start.wall + parseDuration(duration);
  else endWall = start.isDate ? start.wall + DAY_MS : start.wall; // RFC 5545 §3.6.1 defaults
  if (endWall < start.wall) {
    throw new IcsParseError('ENDS_BEFORE_START', { line: (dtend ?? dtstart).lineNo, summary: reason });
  }
  // The end is exclusive: an all-day DTEND or a date-time ending at 00:00 does not cover that day.
  const last = endWall > start.wall ? Math.max(first, dayOfWall(endWall - 1)) : first;
  return { first, last, reason };
}

/**
 * Closure days from an iCalendar file's VEVENTs, sorted by date, one entry per date (reasons of events on
 * the same day joined). All-day events give each day in [DTSTART, DTEND); date-time events give the
 * calendar dates they cover as written (floating or TZID: the date part; UTC "Z" times: the date in
 * `opts.zone` when given). Cancelled events are skipped. Throws IcsParseError for input that is not a
 * VCALENDAR, malformed lines or values, recurring events, or more than MAX_ICS_CLOSURE_DAYS days.
 */
export function parseIcsClosures(icsText: string, opts: { zone?: string } = {}): { date: string; reason: string }[] {
  if (typeof icsText !== 'string') throw new IcsParseError('NOT_TEXT');
  if (opts.zone !== undefined) labZone(opts.zone); // fail early on an unknown zone
  const lines = unfold(icsText);
  const firstLine = lines[0]?.text.trim().toUpperCase();
  if (firstLine !== 'BEGIN:VCALENDAR') {
    throw lines.length === 0 ? new IcsParseError('EMPTY') : new IcsParseError('NOT_VCALENDAR', { line: lines[0].lineNo, found: quote(lines[0].text, 40) });
  }

  const days = new Map<number, string[]>();
  const stack: string[] = [];
  let event: EventLines | null = null;
  for (const { text, lineNo } of lines) {
    const line = parseContentLine(text, lineNo);
    if (line.name === 'BEGIN') {
      const component = line.value.trim().toUpperCase();
      if (stack.length === 0 && component !== 'VCALENDAR') throw new IcsParseError('BEGIN_OUTSIDE', { line: lineNo, component });
      stack.push(component);
      if (component === 'VEVENT' && stack.length === 2) event = { startLineNo: lineNo, props: new Map() };
      continue;
    }
    if (line.name === 'END') {
      const component = line.value.trim().toUpperCase();
      const open = stack.pop();
      if (open !== component) {
        throw open ? new IcsParseError('END_MISMATCH', { line: lineNo, component, open }) : new IcsParseError('END_WITHOUT_BEGIN', { line: lineNo, component });
      }
      if (component === 'VEVENT' && event && stack.length === 1) {
        const covered = eventDays(event, opts.zone);
        event = null;
        if (!covered) continue;
        if (covered.last - covered.first + 1 > MAX_ICS_CLOSURE_DAYS) {
          throw new IcsParseError('EVENT_TOO_LONG', { summary: covered.reason, max: MAX_ICS_CLOSURE_DAYS });
        }
        for (let day = covered.first; day <= covered.last; day++) {
          const reasons = days.get(day) ?? [];
          if (!reasons.includes(covered.reason)) reasons.push(covered.reason);
          days.set(day, reasons);
        }
        if (days.size > MAX_ICS_CLOSURE_DAYS) throw new IcsParseError('TOO_MANY_DAYS', { max: MAX_ICS_CLOSURE_DAYS });
      }
      continue;
    }
    if (stack.length === 0) throw new IcsParseError('PROPERTY_OUTSIDE', { line: lineNo, property: line.name });
    // Only the event's own properties count, not those of a VALARM nested inside it.
    if (event && stack.length === 2 && stack[1] === 'VEVENT' && !event.props.has(line.name)) event.props.set(line.name, line);
  }
  if (stack.length > 0) throw new IcsParseError('NOT_CLOSED', { component: stack[stack.length - 1] });

  return [...days.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([day, reasons]) => ({ date: isoDateOfDay(day), reason: reasons.join(' / ') }));
}
