// reminders: delayed jobs before a confirmed booking starts (24 h and 1 h by default). The job names the start it
// was planned for; a booking that was cancelled or moved since sends nothing, and the reminder for its new start
// was planned by the rescheduled event.
import type { Job } from 'bullmq';
import type { Reminder } from '../src/access/profile';
import type { BookingEventPayload, BookingEventType, CommittedEvent } from '../src/events/types';
import { loadBookingFacts } from '../src/notifications/booking-facts';
import { sendEmailOnce } from '../src/notifications/send-email';
import { isFinalAttempt, pauseForTests, type JobDeps } from './context';
import type { JobKind, PlannedJob } from './kind';
import type { JobSettings } from './settings';

export interface ReminderJob {
  bookingId: number;
  offsetMs: number;
  /** The start this reminder was planned for (epoch ms). */
  startMs: number;
}

/** Also the delivery key: a booking moved away and back to the same start still gets one reminder. */
export const reminderKey = (r: ReminderJob) => `reminder.${r.bookingId}.${r.offsetMs}.${r.startMs}`;

/**
 * Which of the profile's choices a configured offset is: offsets of six hours or more are the day-before reminder
 * (24 h by default), shorter ones the shortly-before reminder (1 h by default).
 */
export const reminderOf = (offsetMs: number): Reminder => (offsetMs >= 6 * 3_600_000 ? 'DAY_BEFORE' : 'HOUR_BEFORE');

/** Reminders still in the future for a booking starting at startMs. */
export function reminderJobs(bookingId: number, startMs: number, settings: Pick<JobSettings, 'reminderOffsetsMs'>, nowMs: number): PlannedJob[] {
  return settings.reminderOffsetsMs
    .filter((offsetMs) => startMs - offsetMs > nowMs)
    .map((offsetMs) => {
      const data: ReminderJob = { bookingId, offsetMs, startMs };
      return { queue: 'reminders' as const, name: 'reminder', data, opts: { jobId: reminderKey(data), delay: startMs - offsetMs - nowMs } };
    });
}

export async function processReminder(job: Job<ReminderJob>, deps: JobDeps): Promise<string> {
  const { bookingId, startMs, offsetMs } = job.data;
  const facts = await loadBookingFacts(bookingId);
  if (!facts) return 'booking no longer exists';
  const { booking } = facts;
  if (booking.status !== 'CONFIRMED') return `stale: booking is ${booking.status}`;
  if (booking.startAt.getTime() !== startMs) return 'stale: booking was moved';
  if (!facts.booker.reminders.includes(reminderOf(offsetMs))) return `not wanted: ${reminderOf(offsetMs)} is off in the profile`;
  const nowMs = deps.clock.now().toMillis();
  if (nowMs >= startMs) return 'too late: booking already started';
  const remaining = startMs - nowMs;
  const outcome = await sendEmailOnce(
    {
      eventKey: reminderKey(job.data),
      kind: 'reminder',
      recipient: facts.booker,
      facts: {
        bookingId,
        instrument: facts.instrument.name,
        lab: facts.lab.name,
        labTimeZone: facts.lab.timeZone,
        start: booking.startAt,
        end: booking.endAt,
        // A reminder delivered on time says "in 24 hours", not "in 23 hours, 59 minutes".
        startsInMs: Math.abs(remaining - offsetMs) < 60_000 ? offsetMs : remaining,
      },
    },
    { mailer: deps.mailer, mailFrom: deps.settings.mailFrom, publicUrl: deps.settings.publicUrl, finalAttempt: isFinalAttempt(job), beforeSend: () => pauseForTests(deps.settings) },
  );
  return outcome;
}

/** The (start, end) of a booking that is still CONFIRMED after this event, or null: only those get reminders and a usage log. */
export function confirmedSpan(event: CommittedEvent): { bookingId: number; startMs: number; endMs: number } | null {
  const booking = event.payload as unknown as BookingEventPayload;
  if (booking.status !== 'CONFIRMED') return null;
  const startMs = Date.parse(booking.start);
  const endMs = Date.parse(booking.end);
  // A malformed payload must not fail the whole batch it is relayed in; housekeeping still finds the booking.
  return Number.isFinite(startMs) && Number.isFinite(endMs) ? { bookingId: booking.bookingId, startMs, endMs } : null;
}

/** Events after which a booking may hold a (new) confirmed span; jobs planned for an earlier span find it moved. */
export const CONFIRMED_SPAN_EVENTS: readonly BookingEventType[] = ['booking.confirmed', 'booking.rescheduled'];

export const reminders: JobKind = {
  queue: 'reminders',
  applicableEvents: CONFIRMED_SPAN_EVENTS,
  plan: (event, settings, nowMs) => {
    const span = confirmedSpan(event);
    return span ? reminderJobs(span.bookingId, span.startMs, settings, nowMs) : [];
  },
  process: processReminder,
};
