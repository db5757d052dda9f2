// Which jobs an outbox event becomes. Every jobId is derived from the event or from the booking's state, so
// planning the same event twice (relay and sweeper, two processes) adds nothing the second time.
import type { JobsOptions } from 'bullmq';
import type { BookingEventPayload, BookingEventType } from '../src/events/types';
import { CONFIRMATION_EVENT_TYPES, type ConfirmationJob } from './confirmations';
import type { QueueKey } from './queues';
import { reminderJobs } from './reminders';
import type { JobSettings } from './settings';
import { usageLogJob } from './usage-logs';
import type { WebhookEventJob } from './webhooks';

export interface OutboxEventRecord {
  eventId: string;
  type: string;
  aggregateType: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface PlannedJob {
  queue: QueueKey;
  name: string;
  data: unknown;
  opts: JobsOptions & { jobId: string };
}

export function planJobs(event: OutboxEventRecord, settings: JobSettings, nowMs: number): PlannedJob[] {
  const occurredAt = event.createdAt.toISOString();
  const webhook: WebhookEventJob = { eventId: event.eventId, type: event.type, occurredAt, data: event.payload };
  const jobs: PlannedJob[] = [{ queue: 'webhooks', name: 'fan-out', data: webhook, opts: { jobId: event.eventId } }];
  if (event.aggregateType !== 'booking') return jobs;

  const type = event.type as BookingEventType;
  const booking = event.payload as unknown as BookingEventPayload;
  if (CONFIRMATION_EVENT_TYPES.includes(type)) {
    const data: ConfirmationJob = { eventId: event.eventId, type, occurredAt, booking };
    jobs.push({ queue: 'confirmations', name: type, data, opts: { jobId: event.eventId } });
  }
  // A booking that is (still) confirmed after this event gets its reminders and its usage log scheduled;
  // jobs planned for an earlier start or end find the booking moved and do nothing.
  if ((type === 'booking.confirmed' || type === 'booking.rescheduled') && booking.status === 'CONFIRMED') {
    const start = Date.parse(booking.start);
    const end = Date.parse(booking.end);
    // A malformed payload must not fail the whole batch it is relayed in; housekeeping still finds the booking.
    if (Number.isFinite(start) && Number.isFinite(end)) {
      jobs.push(...reminderJobs(booking.bookingId, start, settings, nowMs), usageLogJob(booking.bookingId, end, settings, nowMs));
    }
  }
  return jobs;
}
