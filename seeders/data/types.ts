// Shapes of the demo data. Rows refer to each other by short `ref` codes that never reach the database;
// the seeder resolves them to natural keys (institution name, user email, lab name, instrument (lab, name)).
import type { AccessPolicy, InstrumentKind, InstrumentStatus } from '../../src/db/models/instrument';
import type { Weekday } from '../../src/scheduling/types';

export interface InstitutionSeed {
  ref: string;
  name: string;
  countryCode: string;
  timeZone: string;
}

/** A weekly window in the lab's zone; `to` may be '24:00'. */
export interface WindowSeed {
  days: Weekday[];
  from: string; // HH:mm
  to: string; // HH:mm
}

/** A festival the lab closes for: month/day in the lab's zone, repeated each year. */
export interface ClosureSeed {
  month: number;
  days: number[];
  reason: string;
}

export interface LabSeed {
  ref: string;
  name: string;
  institution: string; // InstitutionSeed.ref
  countryCode: string;
  timeZone: string;
  observesPublicHolidays: boolean;
  /** date-holidays state code, e.g. '14' (Kuala Lumpur) or 'BB' (Brandenburg) */
  holidayRegion: string | null;
  hours: WindowSeed[];
  closures?: ClosureSeed[];
  manager: string; // email
  members: string[]; // emails
}

export interface InstrumentSeed {
  ref: string;
  lab: string; // LabSeed.ref
  kind: InstrumentKind;
  name: string;
  category: string;
  description: string;
  status?: InstrumentStatus;
  requiresApproval?: boolean;
  requiresCheckIn?: boolean;
  accessPolicy?: AccessPolicy;
  slotMinutes: 15 | 30 | 60;
  minMinutes: number;
  maxMinutes: number;
  minNoticeMinutes: number;
  maxAdvanceDays: number;
  bufferAfterMinutes: number;
  /** Own opening hours, replacing the lab's (24/7 compute, cold rooms, overnight cryo-EM, field stations). */
  hours?: WindowSeed[];
}

export interface UserSeed {
  email: string;
  name: string;
  institution: string; // InstitutionSeed.ref
  timeZone: string;
  locale: string;
  isAdmin?: boolean;
}

export type SeedBookingStatus = 'PENDING' | 'CONFIRMED' | 'COMPLETED';

/**
 * A booking wish relative to the seeding instant: `day` lab-local days from today (negative = past),
 * starting at `at` local time or the next slot that fits the instrument's hours, rules and other bookings.
 */
export interface BookingSeed {
  key: string; // idempotency key, unique per user
  instrument: string; // InstrumentSeed.ref
  user: string; // email
  day: number;
  at: string; // HH:mm
  minutes: number;
  status: SeedBookingStatus;
  purpose: string;
}
