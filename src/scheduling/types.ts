// Plain data the scheduling core works on. No project imports beyond Luxon.
import type { DateTime, Interval } from 'luxon';

/** ISO weekday: Monday = 1 … Sunday = 7, in the lab's zone. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A weekly wall-clock window in the lab's zone: minutes after local midnight, 0 ≤ start < end ≤ 1440 (1440 = 24:00). */
export interface WeeklyWindow {
  weekday: Weekday;
  startMinute: number;
  endMinute: number;
}

export interface BookingRules {
  /** Starts and ends fall on this grid in lab-local time (minute of day % slotMinutes === 0). Divides 1440. */
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  /** A booking may not start earlier than now + minNoticeMinutes. */
  minNoticeMinutes: number;
  /** A booking may not end later than now + maxAdvanceDays. */
  maxAdvanceDays: number;
  /** Kept free after each booking (cleaning, cool-down). */
  bufferAfterMinutes: number;
}

export type InstrumentStatus = 'AVAILABLE' | 'MAINTENANCE' | 'RETIRED';

export type ClosedDayKind = 'PUBLIC_HOLIDAY' | 'CLOSURE';

/** A whole lab-local day on which the lab is closed. */
export interface ClosedDay {
  /** yyyy-MM-dd in the lab's zone */
  date: string;
  reason: string;
  kind: ClosedDayKind;
}

export interface Blackout {
  interval: Interval; // UTC instants
  reason: string;
}

/** An existing PENDING or CONFIRMED booking; its buffer is applied by the core. */
export interface BusyBooking {
  interval: Interval; // UTC instants, the booked span without buffer
}

/** Everything the core needs to know about one instrument, loaded by the caller for a range of interest. */
export interface InstrumentSchedule {
  zone: string; // the lab's IANA zone
  openingHours: WeeklyWindow[]; // effective windows: the instrument's override if it has one, else the lab's
  rules: BookingRules;
  status: InstrumentStatus;
  blackouts: Blackout[];
  closedDays: ClosedDay[];
  bookings: BusyBooking[];
}

export type ViolationCode =
  | 'OUTSIDE_OPENING_HOURS'
  | 'NOT_ALIGNED'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'TOO_SOON'
  | 'TOO_FAR_AHEAD'
  | 'BLACKOUT'
  | 'HOLIDAY'
  | 'INSTRUMENT_UNAVAILABLE'
  | 'CONFLICT'
  | 'INVALID_TIME_RANGE';

/**
 * What a message needs to say it: instants as epoch milliseconds with the zone to name them in (the requester's),
 * durations in minutes, and `reason` where one code has several sentences. The sentences themselves live in the
 * catalogs (src/i18n/catalogs/<language>/errors.json), rendered at the edge in the viewer's language.
 */
export type MessageParams = { readonly [name: string]: unknown };

export interface Violation {
  code: ViolationCode;
  params: MessageParams;
  /** For CONFLICT: the conflicting bookings' spans (no identity). */
  conflicts?: Interval[];
}

export interface Clock {
  now(): DateTime;
}
