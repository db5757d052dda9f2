// confirmations: emails about a booking's state change, to the booker and (for requests) the lab's managers,
// each in the recipient's language and zone, with a calendar invitation when the calendar should change.
import type { Job } from 'bullmq';
import { SERIES_EVENT_TYPES, type BookingEventPayload, type BookingEventType, type SeriesEventPayload, type SeriesEventType } from '../src/events/types';
import { findOccurrenceOfBooking, findSeriesByIds } from '../src/booking/series-store';
import { labManagers, loadBookingFacts, type BookingFacts, type Manager } from '../src/notifications/booking-facts';
import { loadSeriesFacts, seriesCalendar, seriesHoldsTime } from '../src/notifications/series-facts';
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

/** A series event: one e-mail (per recipient) for all the occurrences it concerns. */
export interface SeriesConfirmationJob {
  eventId: string;
  type: SeriesEventType;
  occurredAt: string;
  series: SeriesEventPayload;
}

/** Events that email someone; completed and no_show reach partners by webhook only. */
export const CONFIRMATION_EVENT_TYPES: readonly (BookingEventType | SeriesEventType)[] = [
  'booking.requested', 'booking.confirmed', 'booking.rejected', 'booking.cancelled', 'booking.rescheduled', 'booking.expired',
  ...SERIES_EVENT_TYPES,
];

const SERIES_MESSAGES: Record<SeriesEventType, MessageKind> = {
  'booking_series.requested': 'seriesRequestReceived',
  'booking_series.confirmed': 'seriesConfirmed',
  'booking_series.rejected': 'seriesRejected',
  'booking_series.cancelled': 'seriesCancelled',
};

/**
 * One e-mail to the booker for the whole series (and, for a request, one to each manager who takes each request): a
 * confirmation carries the series as one calendar event (RRULE, EXDATEs); a cancellation of a series whose calendar got
 * it carries METHOD:CANCEL for the series, or for the cancelled occurrences when others still hold time. Composed like
 * every other e-mail (email.json, HTML and text, reference and links of the first occurrence concerned, both zones).
 */
async function processSeriesConfirmation(job: Job<SeriesConfirmationJob>, deps: JobDeps): Promise<string> {
  const event = job.data.series;
  const facts = await loadSeriesFacts(event.seriesId);
  if (!facts) return 'series no longer exists';
  const touched = facts.bookings.filter((b) => event.bookingIds.includes(b.id));
  const first = touched[0] ?? facts.bookings[0];
  if (!first) return 'series has no bookings';
  const last = touched[touched.length - 1] ?? first;
  const stamp = new Date(job.data.occurredAt);
  const calendar = (method: 'REQUEST' | 'CANCEL', recipient: Recipient, cancelledBookingIds?: number[]) => ({
    method,
    content: (words: { summary: string; description: string }) => seriesCalendar(facts, {
      method, mailFrom: deps.settings.mailFrom, attendee: { name: recipient.name, email: recipient.email }, stamp, cancelledBookingIds, ...words,
    }),
  });
  const booker = facts.booker;
  const planned: { recipient: Recipient; kind: MessageKind; seriesCalendar?: ReturnType<typeof calendar> }[] = [];
  if (job.data.type === 'booking_series.confirmed') planned.push({ recipient: booker, kind: 'seriesConfirmed', seriesCalendar: calendar('REQUEST', booker) });
  else if (job.data.type === 'booking_series.cancelled') {
    const invited = event.previousStatus === 'CONFIRMED';
    planned.push({
      recipient: booker, kind: 'seriesCancelled',
      ...(invited ? { seriesCalendar: calendar('CANCEL', booker, seriesHoldsTime(facts) ? event.bookingIds : undefined) } : {}),
    });
  } else planned.push({ recipient: booker, kind: SERIES_MESSAGES[job.data.type] });
  if (job.data.type === 'booking_series.requested' && facts.bookings.some((b) => b.status === 'PENDING')) {
    // Managers who chose the daily digest see the pending occurrences there (jobs/digests.ts).
    for (const manager of await labManagers(facts.lab.id)) {
      if (manager.email !== booker.email && manager.approvalMail === 'EACH_REQUEST') planned.push({ recipient: manager, kind: 'seriesRequestForManager' });
    }
  }
  const messageFacts: MessageFacts = {
    bookingId: first.id,
    instrument: facts.instrument.name,
    lab: facts.lab.name,
    labTimeZone: facts.lab.timeZone,
    purpose: facts.series.purpose,
    start: first.startAt,
    end: first.endAt,
    requesterName: booker.name,
    note: event.note,
    series: { occurrences: Math.max(touched.length, 1), lastStart: last.startAt, lastEnd: last.endAt },
  };
  const context = {
    mailer: deps.mailer, mailFrom: deps.settings.mailFrom, publicUrl: deps.settings.publicUrl, finalAttempt: isFinalAttempt(job), beforeSend: () => pauseForTests(deps.settings),
  };
  const outcomes: string[] = [];
  for (const email of planned) {
    const request: EmailRequest = { eventKey: job.data.eventId, kind: email.kind, recipient: email.recipient, facts: messageFacts, seriesCalendar: email.seriesCalendar };
    outcomes.push(`${email.kind}:${await sendEmailOnce(request, context)}`);
  }
  return outcomes.join(', ');
}

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

export async function processConfirmation(job: Job<ConfirmationJob | SeriesConfirmationJob>, deps: JobDeps): Promise<string> {
  if ('series' in job.data) return processSeriesConfirmation(job as Job<SeriesConfirmationJob>, deps);
  const event = job.data.booking;
  // A change to a whole series is told once, by the series' own event.
  if (event.bySeries) return 'told by the series event';
  const facts = await loadBookingFacts(event.bookingId);
  if (!facts) return 'booking no longer exists';
  // A booking of a series is, in calendars, the series' event at its occurrence (in the zone the series was expanded in).
  const [occurrence, [series]] = facts.booking.seriesId
    ? await Promise.all([findOccurrenceOfBooking(facts.booking.id), findSeriesByIds([facts.booking.seriesId])])
    : [null, []];
  const occurrenceOf = occurrence && series ? { seriesId: occurrence.seriesId, recurrenceId: occurrence.occurrenceStart, zone: series.timeZone } : undefined;
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
      invite: email.invite && { method: email.invite, version: event.version, stamp: new Date(job.data.occurredAt), occurrenceOf },
    };
    outcomes.push(`${email.kind}:${await sendEmailOnce(request, context)}`);
  }
  return outcomes.join(', ') || 'nobody to tell';
}

export const confirmations: JobKind = {
  queue: 'confirmations',
  applicableEvents: CONFIRMATION_EVENT_TYPES,
  plan: (event) => {
    const common = { eventId: event.eventId, occurredAt: event.createdAt.toISOString() };
    const data: ConfirmationJob | SeriesConfirmationJob = event.aggregateType === 'booking_series'
      ? { ...common, type: event.type as SeriesEventType, series: event.payload as unknown as SeriesEventPayload }
      : { ...common, type: event.type as BookingEventType, booking: event.payload as unknown as BookingEventPayload };
    return [{ queue: 'confirmations', name: event.type, data, opts: { jobId: event.eventId } }];
  },
  process: processConfirmation,
};
