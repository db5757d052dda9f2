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
