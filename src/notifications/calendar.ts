// Calendar invitations (iTIP over email): METHOD:REQUEST adds or updates, METHOD:CANCEL removes. The UID is
// stable per booking and SEQUENCE is the booking's version, so a calendar applies updates in order even when
// two emails arrive out of order (a lower SEQUENCE after a higher one is ignored).
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

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
  calendar.createEvent({
    id: bookingUid(input.bookingId, input.organizer.email),
    sequence: input.version,
    stamp: input.stamp,
    start: input.start,
    end: input.end,
    summary: input.summary,
    description: input.description,
    location: input.location,
    organizer: { ...input.organizer, name: rfc6868(input.organizer.name) },
    attendees: [{ name: rfc6868(input.attendee.name), email: input.attendee.email, rsvp: false }],
    status: input.method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
  });
  return calendar.toString();
}
