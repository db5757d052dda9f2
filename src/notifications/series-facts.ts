// What a notification or calendar file about a booking series needs: the series, its occurrences and bookings as they
// are now, the instrument, lab and booker; and the series as one calendar event.
import { calendarRecurrence, parseRecurrence } from '../booking/recurrence';
import { findSeriesBookings, findSeriesOccurrences, findSeriesWithLab, type BookingSeriesRow, type SeriesOccurrenceRow } from '../booking/series-store';
import { Booking } from '../db/models';
import { rawQuery } from '../db/raw';
import type { BookingRow } from '../db/rows';
import { parseMailbox, seriesInvite, type InviteMethod } from './calendar';
import type { Recipient } from './messages';

export interface SeriesFacts {
  series: BookingSeriesRow;
  occurrences: SeriesOccurrenceRow[];
  bookings: BookingRow[];
  instrument: { id: number; name: string };
  lab: { id: number; name: string; timeZone: string };
  booker: Recipient & { id: number };
}

/** Statuses whose booking holds no time: its occurrence is an EXDATE of the series' event. */
const HOLDS_NO_TIME = new Set(['REJECTED', 'CANCELLED', 'EXPIRED']);

export async function loadSeriesFacts(seriesId: number): Promise<SeriesFacts | null> {
  const found = await findSeriesWithLab(seriesId);
  if (!found) return null;
  const { series } = found;
  const [occurrences, bookings, [names]] = await Promise.all([
    findSeriesOccurrences([seriesId]),
    findSeriesBookings([seriesId]),
    rawQuery<{ instrument_name: string; lab_id: number; lab_name: string; lab_time_zone: string; name: string; email: string; locale: string; time_zone: string }[]>(
      Booking.sequelize!,
      `SELECT i.name AS instrument_name, l.id AS lab_id, l.name AS lab_name, l.time_zone AS lab_time_zone, u.name, u.email, u.locale, u.time_zone
         FROM instruments i JOIN labs l ON l.id = i.lab_id JOIN users u ON u.id = ? WHERE i.id = ?`,
      [series.userId, series.instrumentId],
    ),
  ]);
  if (!names) return null;
  return {
    series, occurrences, bookings,
    instrument: { id: series.instrumentId, name: names.instrument_name },
    lab: { id: names.lab_id, name: names.lab_name, timeZone: names.lab_time_zone },
    booker: { id: series.userId, name: names.name, email: names.email, locale: names.locale, timeZone: names.time_zone },
  };
}

/** Whether any occurrence still holds (or held and used) time. */
export const seriesHoldsTime = (facts: SeriesFacts): boolean => facts.bookings.some((b) => !HOLDS_NO_TIME.has(b.status));

/**
 * The series as one calendar event: REQUEST with RRULE, EXDATEs and moved occurrences; CANCEL for the whole series, or,
 * given `cancelledBookingIds`, for those occurrences only (RECURRENCE-ID each).
 */
export function seriesCalendar(
  facts: SeriesFacts,
  options: {
    method: InviteMethod; mailFrom: string; attendee: { name: string; email: string }; stamp: Date; cancelledBookingIds?: number[];
    /** In the recipient's language (email.json invite.summary and invite.description). */
    summary: string; description: string;
  },
): string {
  const { series, occurrences } = facts;
  const byId = new Map(facts.bookings.map((b) => [b.id, b]));
  const bookingOf = (o: SeriesOccurrenceRow) => (o.bookingId === null ? undefined : byId.get(o.bookingId));
  const parsed = parseRecurrence(series.recurrence);
  if ('error' in parsed) throw new Error(`series ${series.id} has a stored rule that does not parse: ${series.recurrence}`);
  const cancelled = options.cancelledBookingIds && new Set(options.cancelledBookingIds);
  return seriesInvite({
    method: options.method,
    seriesId: series.id,
    sequence: series.version,
    zone: series.timeZone,
    recurrence: calendarRecurrence(parsed.rule, series.timeZone),
    first: { start: occurrences[0].occurrenceStart, end: occurrences[0].occurrenceEnd },
    last: { end: new Date(Math.max(...occurrences.map((o) => o.occurrenceEnd.getTime()), ...facts.bookings.map((b) => b.endAt.getTime()))) },
    exdates: occurrences.filter((o) => { const b = bookingOf(o); return !b || HOLDS_NO_TIME.has(b.status); }).map((o) => o.occurrenceStart),
    moved: occurrences.flatMap((o) => {
      const b = bookingOf(o);
      return b && !HOLDS_NO_TIME.has(b.status) && (b.startAt.getTime() !== o.occurrenceStart.getTime() || b.endAt.getTime() !== o.occurrenceEnd.getTime())
        ? [{ recurrenceId: o.occurrenceStart, start: b.startAt, end: b.endAt }] : [];
    }),
    cancelledOccurrences: cancelled && occurrences.flatMap((o) => {
      const b = bookingOf(o);
      return b && cancelled.has(b.id) ? [{ recurrenceId: o.occurrenceStart, start: b.startAt, end: b.endAt }] : [];
    }),
    summary: options.summary,
    description: options.description,
    location: facts.lab.name,
    organizer: parseMailbox(options.mailFrom),
    attendee: options.attendee,
    stamp: options.stamp,
  });
}
