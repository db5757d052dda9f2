// usage-logs: a delayed job at each confirmed booking's end plus the grace period finishes the booking
// (COMPLETED or NO_SHOW) and writes its usage log once. Housekeeping catches bookings whose job was lost.
import { DelayedError, type Job } from 'bullmq';
import { finishBooking } from '../src/usage/finish-booking';
import type { JobDeps } from './context';
import type { JobKind, PlannedJob } from './kind';
import { CONFIRMED_SPAN_EVENTS, confirmedSpan } from './reminders';
import type { JobSettings } from './settings';

export interface UsageLogJob {
  bookingId: number;
  /** The end this job was planned for (epoch ms). */
  endMs: number;
}

export const usageLogJobId = (bookingId: number, endMs: number) => `usage.${bookingId}.${endMs}`;

export function usageLogJob(bookingId: number, endMs: number, settings: Pick<JobSettings, 'usageGraceMs'>, nowMs: number): PlannedJob {
  const data: UsageLogJob = { bookingId, endMs };
  return {
    queue: 'usageLogs',
    name: 'finish',
    data,
    opts: { jobId: usageLogJobId(bookingId, endMs), delay: Math.max(0, endMs + settings.usageGraceMs - nowMs) },
  };
}

export async function processUsageLog(job: Job<UsageLogJob>, deps: JobDeps, token?: string): Promise<string> {
  const result = await finishBooking(job.data.bookingId, {
    now: deps.clock.now().toJSDate(), graceMs: deps.settings.usageGraceMs, expectedEndMs: job.data.endMs,
  });
  if (result.outcome === 'NOT_DUE') {
    // Ran early (clock skew between hosts): put it back until it is due, without spending an attempt.
    await job.moveToDelayed(result.dueAt.getTime(), token);
    throw new DelayedError();
  }
  return result.outcome;
}

export const usageLogs: JobKind = {
  queue: 'usageLogs',
  applicableEvents: CONFIRMED_SPAN_EVENTS,
  plan: (event, settings, nowMs) => {
    const span = confirmedSpan(event);
    return span ? [usageLogJob(span.bookingId, span.endMs, settings, nowMs)] : [];
  },
  process: processUsageLog,
};
