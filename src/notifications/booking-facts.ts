// What a notification about a booking needs from the database: names, zones, locales, and the current state.
// Every confirmation, reminder and usage job reads these: plain statements through the pool (src/db/raw.ts).
import { BOOKING_COLUMNS } from '../booking/sql';
import { Booking } from '../db/models';
import { rawQuery } from '../db/raw';
import type { BookingRow } from '../db/rows';
import type { Recipient } from './messages';

export interface BookingFacts {
  /** The booking as it is now (it may have moved on since the event). */
  booking: BookingRow;
  instrument: { id: number; name: string; labId: number; requiresCheckIn: boolean };
  lab: { id: number; name: string; timeZone: string; institutionId: number };
  booker: Recipient & { id: number; institutionId: number };
}

interface FactsRow {
  instrument_name: string; lab_id: number; requires_check_in: number; lab_name: string; lab_time_zone: string;
  lab_institution_id: number; user_name: string; user_email: string; user_locale: string; user_time_zone: string; user_institution_id: number;
}

/** The booking with its instrument, lab and booker, or null when the booking no longer exists. */
export async function loadBookingFacts(bookingId: number): Promise<BookingFacts | null> {
  const sequelize = Booking.sequelize!;
  const [booking] = await rawQuery<BookingRow[]>(sequelize, `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE id = ?`, [bookingId]);
  if (!booking) return null;
  const [row] = await rawQuery<FactsRow[]>(
    sequelize,
    `SELECT i.name AS instrument_name, i.lab_id, i.requires_check_in, l.name AS lab_name, l.time_zone AS lab_time_zone,
            l.institution_id AS lab_institution_id, u.name AS user_name, u.email AS user_email, u.locale AS user_locale,
            u.time_zone AS user_time_zone, u.institution_id AS user_institution_id
       FROM instruments i JOIN labs l ON l.id = i.lab_id, users u
      WHERE i.id = ? AND u.id = ?`,
    [booking.instrumentId, booking.userId],
  );
  if (!row) return null;
  return {
    booking,
    instrument: { id: booking.instrumentId, name: row.instrument_name, labId: row.lab_id, requiresCheckIn: Boolean(row.requires_check_in) },
    lab: { id: row.lab_id, name: row.lab_name, timeZone: row.lab_time_zone, institutionId: row.lab_institution_id },
    booker: {
      id: booking.userId, name: row.user_name, email: row.user_email, locale: row.user_locale, timeZone: row.user_time_zone,
      institutionId: row.user_institution_id,
    },
  };
}

/** The lab's managers, as recipients. */
export async function labManagers(labId: number): Promise<(Recipient & { id: number })[]> {
  const rows = await rawQuery<{ id: number; name: string; email: string; locale: string; time_zone: string }[]>(
    Booking.sequelize!,
    `SELECT u.id, u.name, u.email, u.locale, u.time_zone FROM lab_memberships m JOIN users u ON u.id = m.user_id
      WHERE m.lab_id = ? AND m.role = 'MANAGER' ORDER BY u.id`,
    [labId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, locale: r.locale, timeZone: r.time_zone }));
}
