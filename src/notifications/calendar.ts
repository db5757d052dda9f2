// Calendar invitations (iTIP over email): METHOD:REQUEST adds or updates, METHOD:CANCEL removes. The UID is
// stable per booking and SEQUENCE is the booking's version, so a calendar applies updates in order even when
// two emails arrive out of order (a lower SEQUENCE after a higher one is ignored).
//
// Times are written in the lab's zone (DTSTART;TZID=Asia/Bangkok:...) with a VTIMEZONE that states its offsets, so a
// calendar shows the lab's wall-clock time even where it does not know the zone's name.
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { bookingReference } from './booking-reference';
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface InviteInput {
  method: InviteMethod;
  bookingId: number;
  version: number;
  start: Date;
  end: Date;
  /** The lab's IANA zone: the event's TZID. */
  timeZone: string;
  summary: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  /** When the change happened: DTSTAMP, fixed so a retried email carries the identical invitation. */
  stamp: Date;
  /** A booking of a series is that series' event at one occurrence: the series' UID and the occurrence as RECURRENCE-ID. */
  occurrenceOf?: SeriesOccurrenceRef;
}

export interface SeriesOccurrenceRef {
  seriesId: number;
  /** Where the rule placed the occurrence (a moved booking keeps it). */
  recurrenceId: Date;
  /** The lab's zone, which the series' times are written in. */
  zone: string;
}

/** The address book part of "Name <addr@host>" (or the bare address). */
export function parseMailbox(value: string): { name: string; email: string } {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^>]+)>\s*$/.exec(value);
  if (match) return { name: (match[1] ?? '').trim() || match[2], email: match[2].trim() };
  return { name: value.trim(), email: value.trim() };
}

export function bookingUid(bookingId: number, organizerEmail: string): string {
  return `booking-${bookingId}@${organizerEmail.split('@')[1] || 'labshare'}`;
}

/**
 * A name as an RFC 6868 parameter value (^ as ^^, " as ^', line breaks as ^n). ical-generator 10 quotes CN but puts a
 * backslash before a quote, which RFC 5545 does not define; 11 does this itself but requires Node 22, and LabShare runs
 * on Node 20. The result holds no backslash or quote, so the library's own quoting leaves it as it is.
 */
export function rfc6868(value: string): string {
  return value.replace(/\^/g, '^^').replace(/"/g, "^'").replace(/\r\n|\r|\n/g, '^n');
}

/** Statuses whose booking no longer holds time: its calendar event is cancelled. */
const ENDED_WITHOUT_USE = new Set(['REJECTED', 'CANCELLED', 'EXPIRED']);

/** A booking as a downloadable .ics, the same event (UID, SEQUENCE, texts) as the invitations its e-mails carry. */
export function bookingCalendarFile(
  booking: { id: number; version: number; status: string; startAt: Date; endAt: Date; purpose: string; updatedAt: Date },
  names: { instrument: string; lab: string; labTimeZone: string },
  booker: { name: string; email: string },
  mailFrom: string,
): string {
  return bookingInvite({
    method: ENDED_WITHOUT_USE.has(booking.status) ? 'CANCEL' : 'REQUEST',
    bookingId: booking.id,
    version: booking.version,
    start: booking.startAt,
    end: booking.endAt,
    timeZone: names.labTimeZone,
    // As the English invitation's summary (email.json invite.summary): the download has no recipient language.
    summary: `${names.instrument} — ${names.lab} (${bookingReference(booking.id)})`,
    description: booking.purpose,
    location: names.lab,
    organizer: parseMailbox(mailFrom),
    attendee: booker,
    stamp: booking.updatedAt,
  });
}

/** A zone that luxon knows, else UTC (an unknown zone must not produce a TZID no calendar can resolve). */
function knownZone(zone: string): string {
  return DateTime.now().setZone(zone).isValid ? zone : 'UTC';
}

const icsLocal = (dt: DateTime) => dt.toFormat("yyyyMMdd'T'HHmmss");
/** An offset in minutes as RFC 5545's UTC-OFFSET: +0700, +0630, -0330. */
function icsOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;
const vtimezones = new Map<string, string>();

/**
 * VTIMEZONE for `zone` over the years of `from`..`to`: the offset in force as they begin, then one observance per
 * change, found by probing the zone's offset once a day and narrowing to the minute. Kept per zone and years: an
 * invitation is built for every e-mail and every calendar download.
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const firstYear = from.getUTCFullYear();
  const lastYear = to.getUTCFullYear();
  const key = `${zone}|${firstYear}|${lastYear}`;
  const cached = vtimezones.get(key);
  if (cached) return cached;
  const tz = IANAZone.create(zone);
  // A day beyond the UTC years on each side covers the local years of every zone.
  const startMs = Date.UTC(firstYear, 0, 1) - DAY_MS;
  const endMs = Date.UTC(lastYear + 1, 0, 1) + DAY_MS;
  const observances: string[] = [];
  const observance = (atMs: number, offsetFrom: number) => {
    const at = DateTime.fromMillis(atMs, { zone: tz });
    const kind = at.isInDST ? 'DAYLIGHT' : 'STANDARD';
    // An observance starts at local time as the clock read before the change (RFC 5545 3.6.5).
    observances.push(
      `BEGIN:${kind}`, `DTSTART:${icsLocal(at.setZone(FixedOffsetZone.instance(offsetFrom)))}`, `TZOFFSETFROM:${icsOffset(offsetFrom)}`,
      `TZOFFSETTO:${icsOffset(at.offset)}`, `TZNAME:${at.toFormat('ZZZZ')}`, `END:${kind}`,
    );
  };
  let previous = tz.offset(startMs);
  observance(startMs, previous);
  for (let probe = startMs + DAY_MS; probe <= endMs; probe += DAY_MS) {
    const offset = tz.offset(probe);
    if (offset === previous) continue;
    // Narrow the change down to the minute: lo has the old offset, hi the new one.
    let lo = probe - DAY_MS;
    let hi = probe;
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
      if (tz.offset(mid) === previous) lo = mid;
      else hi = mid;
    }
    observance(hi, previous);
    previous = offset;
  }
  const text = ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...observances, 'END:VTIMEZONE', ''].join('\r\n');
  if (vtimezones.size > 1000) vtimezones.clear();
  vtimezones.set(key, text);
  return text;
}

export function bookingInvite(input: InviteInput): string {
  const occurrence = input.occurrenceOf;
  // An occurrence of a series is written in the series' zone, the one its RRULE and RECURRENCE-IDs are in.
  const zone = knownZone(occurrence?.zone ?? input.timeZone);
  const recurrenceId = occurrence && DateTime.fromJSDate(occurrence.recurrenceId).setZone(zone);
  const calendar = ical({
    prodId: { company: 'LabShare', product: 'bookings', language: 'EN' },
    method: input.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
    timezone: { name: null, generator: (tz) => vtimezone(tz, minDate(input.start, occurrence?.recurrenceId), input.end) },
  });
  calendar.createEvent({
    id: occurrence ? seriesUid(occurrence.seriesId, input.organizer.email) : bookingUid(input.bookingId, input.organizer.email),
    ...(recurrenceId ? { recurrenceId } : {}),
    sequence: input.version,
    stamp: input.stamp,
    // Luxon DateTimes in the lab's zone: ical-generator writes their wall-clock time under TZID=<zone>.
    start: DateTime.fromJSDate(input.start).setZone(zone),
    end: DateTime.fromJSDate(input.end).setZone(zone),
    timezone: zone,
    summary: input.summary,
    description: input.description,
    location: input.location,
    organizer: { ...input.organizer, name: rfc6868(input.organizer.name) },
    attendees: [{ name: rfc6868(input.attendee.name), email: input.attendee.email, rsvp: false }],
    status: input.method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
  });
  return calendar.toString();
}

const minDate = (a: Date, b?: Date) => (b && b < a ? b : a);

export function seriesUid(seriesId: number, organizerEmail: string): string {
  return `series-${seriesId}@${organizerEmail.split('@')[1] || 'labshare'}`;
}

export interface SeriesInviteInput {
  /** REQUEST: the series as it stands; CANCEL: the whole series, or (with `occurrences`) only those occurrences. */
  method: InviteMethod;
  seriesId: number;
  sequence: number;
  zone: string;
  /** The rule as a calendar writes it (UNTIL in UTC: src/booking/recurrence.ts calendarRecurrence). */
  recurrence: string;
  /** The first occurrence the rule placed: DTSTART and DTEND. */
  first: { start: Date; end: Date };
  /** The last occurrence the rule placed (and any moved occurrence's end): how far the VTIMEZONE reaches. */
  last: { end: Date };
  /** Occurrences that hold no time (never booked, cancelled, rejected, expired). */
  exdates: Date[];
  /** Occurrences moved on their own: their RECURRENCE-ID and where they are now. */
  moved: { recurrenceId: Date; start: Date; end: Date }[];
  /** With CANCEL: only these occurrences are cancelled (RECURRENCE-ID each), not the series. */
  cancelledOccurrences?: { recurrenceId: Date; start: Date; end: Date }[];
  summary: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  stamp: Date;
}

/**
 * A series as one calendar event: DTSTART with the lab's TZID (so a client keeps 09:00 local across DST), the RRULE,
 * EXDATEs for occurrences that hold no time and an override per moved occurrence; or METHOD:CANCEL for the series or
 * for some of its occurrences.
 */
export function seriesInvite(input: SeriesInviteInput): string {
  const zone = knownZone(input.zone);
  const calendar = ical({
    prodId: { company: 'LabShare', product: 'bookings', language: 'EN' },
    method: input.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
    // The VTIMEZONE covers the years from the first occurrence to the last (the rule's end).
    timezone: { name: null, generator: (tz) => vtimezone(tz, input.first.start, input.last.end) },
  });
  const local = (d: Date) => DateTime.fromJSDate(d).setZone(zone);
  const common = {
    id: seriesUid(input.seriesId, input.organizer.email),
    timezone: zone,
    sequence: input.sequence,
    stamp: input.stamp,
    summary: input.summary,
    description: input.description,
    location: input.location,
    organizer: { ...input.organizer, name: rfc6868(input.organizer.name) },
    attendees: [{ name: rfc6868(input.attendee.name), email: input.attendee.email, rsvp: false }],
  };
  if (input.method === 'CANCEL' && input.cancelledOccurrences) {
    for (const o of input.cancelledOccurrences) {
      calendar.createEvent({ ...common, start: local(o.start), end: local(o.end), recurrenceId: local(o.recurrenceId), status: ICalEventStatus.CANCELLED });
    }
    return calendar.toString();
  }
  const exdates = [...input.exdates].sort((a, b) => a.getTime() - b.getTime()).map((d) => local(d).toFormat("yyyyMMdd'T'HHmmss"));
  calendar.createEvent({
    ...common,
    start: local(input.first.start),
    end: local(input.first.end),
    repeating: `RRULE:${input.recurrence}${exdates.length ? `\nEXDATE;TZID=${zone}:${exdates.join(',')}` : ''}`,
    status: input.method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
  });
  if (input.method === 'REQUEST') {
    for (const o of input.moved) {
      calendar.createEvent({ ...common, start: local(o.start), end: local(o.end), recurrenceId: local(o.recurrenceId), status: ICalEventStatus.CONFIRMED });
    }
  }
  return calendar.toString();
}
