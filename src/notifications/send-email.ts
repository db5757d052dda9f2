// Sends one email at most once per (event key, recipient): claim the delivery row, send, mark it SENT.
import type { InviteMethod, SeriesOccurrenceRef } from './calendar';
import { bookingInvite, parseMailbox } from './calendar';
import { bookingReference } from './booking-reference';
import { claimDelivery, markFailed, markSent, stableMessageId } from './delivery-log';
import { emailText } from './email-catalog';
import { appLinks } from './links';
import type { Mailer, OutgoingEmail } from './mailer';
import { renderMessage, type MessageFacts, type MessageKind, type Recipient, type RenderedMessage } from './messages';

export interface EmailRequest {
  eventKey: string;
  kind: MessageKind;
  recipient: Recipient;
  facts: MessageFacts;
  /** The booking's invitation; a booking of a series is written as the series' event at its occurrence. */
  invite?: { method: InviteMethod; version: number; stamp: Date; occurrenceOf?: SeriesOccurrenceRef };
  /** A series' calendar instead (one event with RRULE and EXDATEs, or its cancellation), given this e-mail's words. */
  seriesCalendar?: { method: InviteMethod; content: (words: { summary: string; description: string }) => string };
}

/** Who sends, and where links lead. */
export interface Sender {
  mailFrom: string;
  /** PUBLIC_URL: the web app's address, the base of every link. */
  publicUrl: string;
}

export interface EmailContext extends Sender {
  mailer: Mailer;
  /** A failure on the job's last attempt marks the delivery FAILED. */
  finalAttempt: boolean;
  /** Runs between claim and send (the test-only pause). */
  beforeSend?: () => Promise<void>;
}

export type EmailOutcome = 'SENT' | 'ALREADY_SENT';

/** The envelope around a rendered message: addresses, the stable Message-ID, the language header. */
export function envelope(eventKey: string, recipient: Recipient, rendered: RenderedMessage, mailFrom: string): OutgoingEmail {
  const domain = parseMailbox(mailFrom).email.split('@')[1] || 'labshare';
  return {
    from: mailFrom,
    to: { name: recipient.name, email: recipient.email },
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: stableMessageId(eventKey, recipient.email, domain),
    headers: { 'X-LabShare-Delivery': eventKey, 'Content-Language': rendered.language },
  };
}

/** The message for one request: text and HTML in the recipient's language and zone, and the calendar invitation if any. */
export function composeEmail(request: EmailRequest, sender: Sender): OutgoingEmail {
  const { recipient, facts, invite, seriesCalendar } = request;
  const links = appLinks(sender.publicUrl);
  const rendered = renderMessage(request.kind, recipient, { ...facts, withInvite: Boolean(invite ?? seriesCalendar) }, links);
  const reference = bookingReference(facts.bookingId);
  const summary = emailText(rendered.language, 'invite.summary', { instrument: facts.instrument, lab: facts.lab, reference });
  const description = [facts.purpose, emailText(rendered.language, 'invite.description', { reference, url: links.booking(facts.bookingId) })].filter(Boolean).join('\n\n');
  const calendar = seriesCalendar ? { method: seriesCalendar.method, content: seriesCalendar.content({ summary, description }) } : invite && {
    method: invite.method,
    content: bookingInvite({
      method: invite.method,
      bookingId: facts.bookingId,
      version: invite.version,
      start: facts.start,
      end: facts.end,
      timeZone: facts.labTimeZone,
      summary,
      description,
      location: facts.lab,
      organizer: parseMailbox(sender.mailFrom),
      attendee: { name: recipient.name, email: recipient.email },
      stamp: invite.stamp,
      occurrenceOf: invite.occurrenceOf,
    }),
  };
  return { ...envelope(request.eventKey, recipient, rendered, sender.mailFrom), calendar };
}

/** Claims the delivery row for (eventKey, recipient), sends what `compose` makes, and marks it SENT (or failed). */
export async function sendOnce(eventKey: string, recipient: Recipient, compose: () => OutgoingEmail, context: EmailContext): Promise<EmailOutcome> {
  const email = recipient.email;
  const claim = await claimDelivery({ eventKey, channel: 'EMAIL', recipient: email, recipientIdentity: email });
  if (!claim) return 'ALREADY_SENT';
  await context.beforeSend?.();
  try {
    await context.mailer.send(compose());
  } catch (error) {
    await markFailed(claim.id, (error as Error).message, context.finalAttempt);
    throw error;
  }
  await markSent(claim.id);
  return 'SENT';
}

export async function sendEmailOnce(request: EmailRequest, context: EmailContext): Promise<EmailOutcome> {
  return sendOnce(request.eventKey, request.recipient, () => composeEmail(request, context), context);
}
