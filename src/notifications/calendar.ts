// Calendar invitations (iTIP over email): METHOD:REQUEST adds or updates, METHOD:CANCEL removes. The UID is
// stable per booking and SEQUENCE is the booking's version, so a calendar applies updates in order even when
// two emails arrive out of order (a lower SEQUENCE after a higher one is ignored).
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';

export type InviteMethod = 'REQUEST' | 'CANCEL';

export interface InviteInput {
  method: InviteMethod;
  bookingId: number;
  version: number;
  start: Date;
  end: Date;
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
  names: { instrument: string; lab: string },
  booker: { name: string; email: string },
  mailFrom: string,
): string {
  return bookingInvite({
    method: ENDED_WITHOUT_USE.has(booking.status) ? 'CANCEL' : 'REQUEST',
    bookingId: booking.id,
    version: booking.version,
    start: booking.startAt,
    end: booking.endAt,
    summary: `${names.instrument} — ${names.lab}`,
    description: booking.purpose,
    location: names.lab,
    organizer: parseMailbox(mailFrom),
    attendee: booker,
    stamp: booking.updatedAt,
  });
}

export function bookingInvite(input: InviteInput): string {
  const calendar = ical({
    prodId: { company: 'LabShare', product: 'bookings', language: 'EN' },
    method: input.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  const occurrence = input.occurrenceOf;
  // ical-generator writes a zone's local time only from a Luxon DateTime set to that zone (a Date would be written in UTC).
  const local = (d: Date) => (occurrence ? DateTime.fromJSDate(d).setZone(occurrence.zone) : d);
  calendar.createEvent({
    id: occurrence ? seriesUid(occurrence.seriesId, input.organizer.email) : bookingUid(input.bookingId, input.organizer.email),
    ...(occurrence ? { timezone: occurrence.zone, recurrenceId: local(occurrence.recurrenceId) } : {}),
    sequence: input.version,
    stamp: input.stamp,
    start: local(input.start),
    end: local(input.end),
    summary: input.summary,
    description: input.description,
    location: input.location,
    organizer: { ...input.organizer, name: rfc6868(input.organizer.name) },
    attendees: [{ name: rfc6868(input.attendee.name), email: input.attendee.email, rsvp: false }],
    status: input.method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
  });
  return calendar.toString();
}

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
  const calendar = ical({
    prodId: { company: 'LabShare', product: 'bookings', language: 'EN' },
    method: input.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  const local = (d: Date) => DateTime.fromJSDate(d).setZone(input.zone);
  const common = {
    id: seriesUid(input.seriesId, input.organizer.email),
    timezone: input.zone,
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
    repeating: `RRULE:${input.recurrence}${exdates.length ? `\nEXDATE;TZID=${input.zone}:${exdates.join(',')}` : ''}`,
    status: input.method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
  });
  if (input.method === 'REQUEST') {
    for (const o of input.moved) {
      calendar.createEvent({ ...common, start: local(o.start), end: local(o.end), recurrenceId: local(o.recurrenceId), status: ICalEventStatus.CONFIRMED });
    }
  }
  return calendar.toString();
}
