// Renders a notification in the recipient's language and zone. Texts live in ./locales, one file per language.
import { DateTime, Duration } from 'luxon';
import { catalogFor, type MessageKind } from './locales';

export interface Recipient {
  name: string;
  email: string;
  locale: string;
  timeZone: string;
}

export interface MessageFacts {
  instrument: string;
  lab: string;
  start: Date;
  end: Date;
  previousStart?: Date;
  previousEnd?: Date;
  requesterName?: string;
  note?: string | null;
  /** For reminders: how long before the start this message is meant to arrive. */
  startsInMs?: number;
  /** For a series: how many occurrences the message is about, and the last one's start (start/end are the first's). */
  occurrences?: number;
  lastStart?: Date;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  locale: string;
}

/** Wall-clock time in the recipient's zone, in their language, with the offset spelled out (never ambiguous). */
export function formatForRecipient(instant: Date, timeZone: string, locale: string): string {
  let local = DateTime.fromJSDate(instant).setZone(timeZone);
  if (!local.isValid) local = DateTime.fromJSDate(instant).setZone('utc');
  const text = local.setLocale(locale).toLocaleString({
    weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  return `${text} (UTC${local.toFormat('ZZ')})`;
}

function humanDuration(ms: number, locale: string): string {
  const minutes = Math.round(ms / 60_000);
  const parts = minutes >= 60 && minutes % 60 === 0 ? { hours: minutes / 60 } : minutes >= 60
    ? { hours: Math.floor(minutes / 60), minutes: minutes % 60 }
    : { minutes: Math.max(1, minutes) };
  return Duration.fromObject(parts).reconfigure({ locale }).toHuman();
}

export function renderMessage(kind: MessageKind, recipient: Recipient, facts: MessageFacts): RenderedMessage {
  const catalog = catalogFor(recipient.locale);
  const at = (d: Date | undefined) => (d ? formatForRecipient(d, recipient.timeZone, catalog.locale) : undefined);
  const { subject, lines } = catalog.messages[kind]({
    recipientName: recipient.name,
    instrument: facts.instrument,
    lab: facts.lab,
    start: at(facts.start)!,
    end: at(facts.end)!,
    previousStart: at(facts.previousStart),
    previousEnd: at(facts.previousEnd),
    requesterName: facts.requesterName,
    startsIn: facts.startsInMs !== undefined ? humanDuration(facts.startsInMs, catalog.locale) : undefined,
    occurrences: facts.occurrences,
    lastStart: at(facts.lastStart),
  });
  const body = [catalog.greeting(recipient.name), '', ...lines, ...(facts.note ? ['', catalog.note(facts.note)] : []), '', catalog.closing];
  return { subject, text: `${body.join('\n')}\n`, locale: catalog.locale };
}
