// What a notification about a booking needs from the database: names, zones, locales, and the current state.
// Every confirmation and reminder job reads these: one plain statement through the pool (src/db/raw.ts), shared by
// the jobs that ask while another read is in flight (src/db/coalescing-loader.ts).
import { bookingColumnsOf } from '../booking/columns';
import { Booking } from '../db/models';
import { coalescingLoader } from '../db/coalescing-loader';
import { rawQuery } from '../db/raw';
import type { BookingRow } from '../db/rows';
import { remindersOf, type ApprovalMail, type Reminder } from '../access/profile';
import type { Recipient } from './messages';

export interface BookingFacts {
  /** The booking as it is now (it may have moved on since the event). */
  booking: BookingRow;
  instrument: { id: number; name: string; labId: number; requiresCheckIn: boolean };
  lab: { id: number; name: string; timeZone: string; institutionId: number };
  booker: Recipient & { id: number; institutionId: number; reminders: Reminder[] };
}

export type Manager = Recipient & { id: number; approvalMail: ApprovalMail };

interface FactsRow extends BookingRow {
  instrument_name: string; lab_id: number; requires_check_in: number; lab_name: string; lab_time_zone: string;
  lab_institution_id: number; user_name: string; user_email: string; user_locale: string; user_time_zone: string; user_institution_id: number;
  user_reminders: string;
}

const factsOfBookings = coalescingLoader<number, BookingFacts | null>(async (bookingIds) => {
  const rows = await rawQuery<FactsRow[]>(
    Booking.sequelize!,
    `SELECT ${bookingColumnsOf('b')}, i.name AS instrument_name, i.lab_id, i.requires_check_in, l.name AS lab_name,
            l.time_zone AS lab_time_zone, l.institution_id AS lab_institution_id, u.name AS user_name, u.email AS user_email,
            u.locale AS user_locale, u.time_zone AS user_time_zone, u.institution_id AS user_institution_id,
            u.reminders AS user_reminders
       FROM bookings b JOIN instruments i ON i.id = b.instrument_id JOIN labs l ON l.id = i.lab_id JOIN users u ON u.id = b.user_id
      WHERE b.id IN (?)`,
    [bookingIds],
  );
  const facts = new Map(rows.map((row) => [row.id, factsOf(row)]));
  return bookingIds.map((id) => facts.get(id) ?? null);
});

/** The booking with its instrument, lab and booker, as it is now, or null when the booking no longer exists. */
export function loadBookingFacts(bookingId: number): Promise<BookingFacts | null> {
  return factsOfBookings.load(bookingId);
}

function factsOf(row: FactsRow): BookingFacts {
  const {
    instrument_name, lab_id, requires_check_in, lab_name, lab_time_zone, lab_institution_id,
    user_name, user_email, user_locale, user_time_zone, user_institution_id, user_reminders, ...booking
  } = row;
  return {
    booking,
    instrument: { id: booking.instrumentId, name: instrument_name, labId: lab_id, requiresCheckIn: Boolean(requires_check_in) },
    lab: { id: lab_id, name: lab_name, timeZone: lab_time_zone, institutionId: lab_institution_id },
    booker: { id: booking.userId, name: user_name, email: user_email, locale: user_locale, timeZone: user_time_zone, institutionId: user_institution_id,
      reminders: remindersOf(user_reminders),
    },
  };
}

/** The lab's managers, as recipients, with how each wants approval requests. */
export async function labManagers(labId: number): Promise<Manager[]> {
  const rows = await rawQuery<{ id: number; name: string; email: string; locale: string; time_zone: string; approval_mail: ApprovalMail }[]>(
    Booking.sequelize!,
    `SELECT u.id, u.name, u.email, u.locale, u.time_zone, u.approval_mail FROM lab_memberships m JOIN users u ON u.id = m.user_id
      WHERE m.lab_id = ? AND m.role = 'MANAGER' ORDER BY u.id`,
    [labId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, locale: r.locale, timeZone: r.time_zone, approvalMail: r.approval_mail }));
}
