// The events the domain emits and the shape of a committed one: the low module both the domain (which records
// them, src/events/outbox.ts) and the job pipeline (which consumes them, jobs/) import. Nothing here imports either.
import type { BookingStatus } from '../db/models/booking';

export const BOOKING_EVENT_TYPES = [
  'booking.requested', // a PENDING request waits for a manager
  'booking.confirmed',
  'booking.rejected',
  'booking.cancelled',
  'booking.rescheduled',
  'booking.expired',
  'booking.completed',
  'booking.no_show',
] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];

export const SERIES_EVENT_TYPES = [
  'booking_series.requested', // its bookings wait for a manager
  'booking_series.confirmed',
  'booking_series.rejected',
  'booking_series.cancelled', // all, or this and the following occurrences (bookingIds names them)
] as const;
export type SeriesEventType = (typeof SERIES_EVENT_TYPES)[number];

/** One event per series change, beside the events of its bookings. */
export interface SeriesEventPayload {
  seriesId: number;
  instrumentId: number;
  userId: number;
  /** The status the change gave the series' bookings, and the status they had (null for a new series). */
  status: BookingStatus;
  previousStatus: BookingStatus | null;
  recurrence: string;
  timeZone: string;
  /** The first and the last booking's span touched by the change (ISO instants, UTC). */
  start: string;
  end: string;
  /** The bookings this change touched. */
  bookingIds: number[];
  /** Occurrences the rule produced that were not booked (ISO instants): the calendar's EXDATEs. */
  skipped: string[];
  scope?: 'ALL' | 'THIS_AND_FOLLOWING';
  version: number;
  actorUserId: number | null;
  note: string | null;
}

/** An admin's test of one webhook subscription (payload: { subscriptionId }): delivered to that subscription only. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export interface BookingEventPayload {
  bookingId: number;
  instrumentId: number;
  userId: number;
  status: BookingStatus;
  previousStatus: BookingStatus | null;
  /** ISO instants, UTC */
  start: string;
  end: string;
  previousStart?: string;
  previousEnd?: string;
  version: number;
  actorUserId: number | null;
  note: string | null;
  /** The series the booking belongs to, if any. */
  seriesId?: number;
  /** Set when the change was made to the whole series: the series event tells people, once. */
  bySeries?: boolean;
  /** The booking group the booking is a part of, when it is one (requestBookingGroup). */
  groupId?: number;
}

/** An event to write in the caller's transaction. */
export interface OutboxEventInput {
  type: string;
  aggregateType: string;
  aggregateId: string | number;
  payload: BookingEventPayload | Record<string, unknown>;
}

/** An event as it was written (or read back from the outbox by the sweeper): what a processor is handed. */
export interface CommittedEvent {
  eventId: string;
  type: string;
  aggregateType: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The event a status change emits. */
export function eventForStatus(status: BookingStatus): BookingEventType {
  switch (status) {
    case 'PENDING': return 'booking.requested';
    case 'CONFIRMED': return 'booking.confirmed';
    case 'REJECTED': return 'booking.rejected';
    case 'CANCELLED': return 'booking.cancelled';
    case 'EXPIRED': return 'booking.expired';
    case 'COMPLETED': return 'booking.completed';
    case 'NO_SHOW': return 'booking.no_show';
  }
}
