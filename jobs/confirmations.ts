// confirmations: emails about a booking's state change, to the booker and (for requests) the lab's managers,
// each in the recipient's language and zone, with a calendar invitation when the calendar should change.
import type { Job } from 'bullmq';
import type { BookingEventPayload, BookingEventType } from '../src/events/types';
import { labManagers, loadBookingFacts, type BookingFacts, type Manager } from '../src/notifications/booking-facts';
import type { MessageFacts, MessageKind, Recipient } from '../src/notifications/messages';
import { sendEmailOnce, type EmailRequest } from '../src/notifications/send-email';
import { isFinalAttempt, pauseForTests, type JobDeps } from './context';
import type { JobKind } from './kind';

export interface ConfirmationJob {
  eventId: string;
  type: BookingEventType;
  /** When the event was committed (ISO). */
  occurredAt: string;
  booking: BookingEventPayload;
}

/** Events that email someone; completed and no_show reach partners by webhook only. */
export const CONFIRMATION_EVENT_TYPES: readonly BookingEventType[] = [
  'booking.requested', 'booking.confirmed', 'booking.rejected', 'booking.cancelled', 'booking.rescheduled', 'booking.expired',
];

interface PlannedEmail {
  recipient: Recipient;
  kind: MessageKind;
  invite?: 'REQUEST' | 'CANCEL';
}

/** Who hears about this event, and what. The texts describe the event itself, not the booking's later state. */
function emailsFor(job: ConfirmationJob, facts: BookingFacts, managers: Manager[]): PlannedEmail[] {
  const event = job.booking;
  const booker = facts.booker;
  // A calendar that received a REQUEST must get a CANCEL when the booking stops being confirmed.
  const wasConfirmed = event.previousStatus === 'CONFIRMED';
  // Managers are asked to decide only while the request is still undecided at this version.
  const stillUndecided = facts.booking.status === 'PENDING' && facts.booking.version === event.version;
  // Managers who chose the daily digest hear about it the next morning instead (jobs/digests.ts).
  const askManagers = stillUndecided
    ? managers.filter((m) => m.email !== booker.email && m.approvalMail === 'EACH_REQUEST').map((m) => ({ recipient: m, kind: 'requestForManager' as const }))
    : [];
  switch (job.type) {
    case 'booking.requested':
      return [{ recipient: booker, kind: 'requestReceived' }, ...askManagers];
    case 'booking.confirmed':
      return [{ recipient: booker, kind: 'confirmed', invite: 'REQUEST' }];
    case 'booking.rejected':
      return [{ recipient: booker, kind: 'rejected' }];
    case 'booking.cancelled':
      return [{ recipient: booker, kind: 'cancelled', ...(wasConfirmed ? { invite: 'CANCEL' as const } : {}) }];
    case 'booking.rescheduled':
      return event.status === 'CONFIRMED'
        ? [{ recipient: booker, kind: 'rescheduled', invite: 'REQUEST' }]
        : [{ recipient: booker, kind: 'rescheduledPending', ...(wasConfirmed ? { invite: 'CANCEL' as const } : {}) }, ...askManagers];
    case 'booking.expired':
      return [{ recipient: booker, kind: 'expired' }];
    default:
      return [];
  }
}

export async function processConfirmation(job: Job<ConfirmationJob>, deps: JobDeps): Promise<string> {
  const event = job.data.booking;
  const facts = await loadBookingFacts(event.bookingId);
  if (!facts) return 'booking no longer exists';
  const needsManagers = job.data.type === 'booking.requested' || (job.data.type === 'booking.rescheduled' && event.status === 'PENDING');
  const managers = needsManagers ? await labManagers(facts.lab.id) : [];
  const messageFacts: MessageFacts = {
    bookingId: event.bookingId,
    instrument: facts.instrument.name,
    lab: facts.lab.name,
    labTimeZone: facts.lab.timeZone,
    purpose: facts.booking.purpose,
    start: new Date(event.start),
    end: new Date(event.end),
    previousStart: event.previousStart ? new Date(event.previousStart) : undefined,
    previousEnd: event.previousEnd ? new Date(event.previousEnd) : undefined,
    requesterName: facts.booker.name,
    // A person's note (a manager's reason) is quoted as written; system notes (expiry) are already said by the text.
    note: job.data.type === 'booking.rescheduled' || event.actorUserId === null ? null : event.note,
  };
  const context = {
    mailer: deps.mailer, mailFrom: deps.settings.mailFrom, publicUrl: deps.settings.publicUrl, finalAttempt: isFinalAttempt(job), beforeSend: () => pauseForTests(deps.settings),
  };
  const outcomes: string[] = [];
  // One recipient at a time: a failure retries the job, and recipients already served are skipped by the log.
  for (const email of emailsFor(job.data, facts, managers)) {
    const request: EmailRequest = {
      eventKey: job.data.eventId,
      kind: email.kind,
      recipient: email.recipient,
      facts: messageFacts,
      invite: email.invite && { method: email.invite, version: event.version, stamp: new Date(job.data.occurredAt) },
    };
    outcomes.push(`${email.kind}:${await sendEmailOnce(request, context)}`);
  }
  return outcomes.join(', ') || 'nobody to tell';
}

export const confirmations: JobKind = {
  queue: 'confirmations',
  applicableEvents: CONFIRMATION_EVENT_TYPES,
  plan: (event) => {
    const data: ConfirmationJob = {
      eventId: event.eventId, type: event.type as BookingEventType, occurredAt: event.createdAt.toISOString(),
      booking: event.payload as unknown as BookingEventPayload,
    };
    return [{ queue: 'confirmations', name: event.type, data, opts: { jobId: event.eventId } }];
  },
  process: processConfirmation,
};
