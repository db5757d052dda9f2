// The outbox events booking changes emit; jobs/ consumes them.
import type { AnyTransaction } from '../db/raw';
import type { BookingStatus } from '../db/models/booking';
import type { BookingRow } from '../db/rows';
import { recordEvent } from '../outbox/record';

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
}

export async function recordBookingEvent(
  type: BookingEventType,
  booking: BookingRow,
  details: { previousStatus: BookingStatus | null; actorUserId: number | null; note?: string | null; previousStart?: Date; previousEnd?: Date },
  transaction: AnyTransaction,
): Promise<string> {
  const payload: BookingEventPayload = {
    bookingId: booking.id,
    instrumentId: booking.instrumentId,
    userId: booking.userId,
    status: booking.status,
    previousStatus: details.previousStatus,
    start: booking.startAt.toISOString(),
    end: booking.endAt.toISOString(),
    ...(details.previousStart ? { previousStart: details.previousStart.toISOString() } : {}),
    ...(details.previousEnd ? { previousEnd: details.previousEnd.toISOString() } : {}),
    version: booking.version,
    actorUserId: details.actorUserId,
    note: details.note ?? null,
  };
  return recordEvent({ type, aggregateType: 'booking', aggregateId: booking.id, payload: payload as unknown as Record<string, unknown> }, transaction);
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
