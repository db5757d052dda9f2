// Sends one email at most once per (event key, recipient): claim the delivery row, send, mark it SENT.
import type { InviteMethod, SeriesOccurrenceRef } from './calendar';
import { bookingInvite, parseMailbox } from './calendar';
import { claimDelivery, markFailed, markSent, stableMessageId } from './delivery-log';
import type { Mailer, OutgoingEmail } from './mailer';
import { renderMessage, type MessageFacts, type Recipient } from './messages';
import type { MessageKind } from './locales';

export interface EmailRequest {
  eventKey: string;
  kind: MessageKind;
  recipient: Recipient;
  facts: MessageFacts;
  invite?: { method: InviteMethod; bookingId: number; version: number; stamp: Date; purpose: string; occurrenceOf?: SeriesOccurrenceRef };
  /** A calendar made elsewhere (a series' event), instead of the booking's invite. */
  calendar?: { method: InviteMethod; content: string };
}

export interface EmailContext {
  mailer: Mailer;
  mailFrom: string;
  /** A failure on the job's last attempt marks the delivery FAILED. */
  finalAttempt: boolean;
  /** Runs between claim and send (the test-only pause). */
  beforeSend?: () => Promise<void>;
}

export type EmailOutcome = 'SENT' | 'ALREADY_SENT';

/** The message for one request: text in the recipient's language and zone, and the calendar invitation if any. */
export function composeEmail(request: EmailRequest, mailFrom: string): OutgoingEmail {
  const email = request.recipient.email;
  const organizer = parseMailbox(mailFrom);
  const rendered = renderMessage(request.kind, request.recipient, request.facts);
  const calendar = request.calendar ?? (request.invite && {
    method: request.invite.method,
    content: bookingInvite({
      method: request.invite.method,
      bookingId: request.invite.bookingId,
      version: request.invite.version,
      start: request.facts.start,
      end: request.facts.end,
      summary: `${request.facts.instrument} — ${request.facts.lab}`,
      description: request.invite.purpose,
      location: request.facts.lab,
      organizer,
      attendee: { name: request.recipient.name, email },
      stamp: request.invite.stamp,
      occurrenceOf: request.invite.occurrenceOf,
    }),
  });
  const domain = organizer.email.split('@')[1] || 'labshare';
  return {
    from: mailFrom,
    to: { name: request.recipient.name, email },
    subject: rendered.subject,
    text: rendered.text,
    messageId: stableMessageId(request.eventKey, email, domain),
    headers: { 'X-LabShare-Delivery': request.eventKey, 'Content-Language': rendered.locale },
    calendar,
  };
}

export async function sendEmailOnce(request: EmailRequest, context: EmailContext): Promise<EmailOutcome> {
  const email = request.recipient.email;
  const claim = await claimDelivery({ eventKey: request.eventKey, channel: 'EMAIL', recipient: email, recipientIdentity: email });
  if (!claim) return 'ALREADY_SENT';
  await context.beforeSend?.();
  try {
    await context.mailer.send(composeEmail(request, context.mailFrom));
  } catch (error) {
    await markFailed(claim.id, (error as Error).message, context.finalAttempt);
    throw error;
  }
  await markSent(claim.id);
  return 'SENT';
}
