// Renders a notification in the recipient's language and zone, as plain text and as simple, accessible HTML built
// from the same parts. Words come from email.json (./email-catalog.ts); this file only arranges them.
import { DateTime } from 'luxon';
import { bookingReference } from './booking-reference';
import { emailLanguage, emailText, textDirection, type EmailMessageKey, type EmailValues } from './email-catalog';
import type { AppLinks } from './links';

export interface Recipient {
  name: string;
  email: string;
  locale: string;
  timeZone: string;
}

export type MessageKind =
  | 'requestReceived' // to the booker: a PENDING request waits for a manager
  | 'requestForManager' // to each lab manager: decide on a PENDING request
  | 'confirmed'
  | 'rejected'
  | 'cancelled'
  | 'rescheduled' // moved, still confirmed
  | 'rescheduledPending' // moved, needs approval again
  | 'expired'
  | 'reminder'
  // A booking series: one message for all the occurrences an event concerns (start/end are the first one's).
  | 'seriesRequestReceived'
  | 'seriesRequestForManager'
  | 'seriesConfirmed'
  | 'seriesRejected'
  | 'seriesCancelled';

export interface MessageFacts {
  bookingId: number;
  instrument: string;
  lab: string;
  labTimeZone: string;
  start: Date;
  end: Date;
  previousStart?: Date;
  previousEnd?: Date;
  requesterName?: string;
  purpose?: string;
  note?: string | null;
  /** For reminders: how long before the start this message is meant to arrive. */
  startsInMs?: number;
  /** A calendar invitation (or its cancellation) is attached. */
  withInvite?: boolean;
  /** A series message: how many occurrences it is about and the last one's span (bookingId is the first one's). */
  series?: { occurrences: number; lastStart: Date; lastEnd: Date };
}

/** One pending request in a manager's morning digest. */
export interface DigestItem {
  bookingId: number;
  instrument: string;
  lab: string;
  labTimeZone: string;
  start: Date;
  end: Date;
  requesterName: string;
  purpose: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** The catalog's language tag (Content-Language, the HTML's lang). */
  language: string;
}

interface Action {
  label: string;
  url: string;
  hint?: string;
}

/** A message's parts; toText and toHtml lay the same parts out. */
interface Layout {
  language: string;
  subject: string;
  title: string;
  greeting: string;
  intro: string;
  facts: [string, string][];
  sections: { heading: string; facts: [string, string][]; action: Action }[];
  actions: Action[];
  closing: string;
  footer: string[];
}

function inZone(instant: Date, zone: string): DateTime {
  const local = DateTime.fromJSDate(instant).setZone(zone);
  return local.isValid ? local : DateTime.fromJSDate(instant).setZone('UTC');
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** Intl.DateTimeFormat is costly to build and every e-mail needs a few: one per (language, zone, style), kept. */
function dateTimeFormat(language: string, zone: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${language}|${zone}|${withYear}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, {
      timeZone: zone, weekday: 'short', ...(withYear ? { year: 'numeric' } : {}), month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    if (formats.size > 2000) formats.clear();
    formats.set(key, format);
  }
  return format;
}

/** A span as wall-clock time in `zone`, in the language, naming the zone and its UTC offset (both offsets across a DST change). */
export function formatSpan(start: Date, end: Date, zone: string, language: string): string {
  const from = inZone(start, zone);
  const to = inZone(end, zone);
  const format = dateTimeFormat(language, from.zoneName ?? 'UTC', true);
  if (from.offset === to.offset) {
    return emailText(language, 'time.span', { range: format.formatRange(start, end), zone: from.zoneName ?? 'UTC', offset: from.toFormat('ZZ') });
  }
  return emailText(language, 'time.spanAcrossOffsets', {
    start: format.format(start), end: format.format(end), startOffset: from.toFormat('ZZ'), endOffset: to.toFormat('ZZ'), zone: from.zoneName ?? 'UTC',
  });
}

/** The start, short, for a subject line: the recipient's zone (the body names both zones with offsets). */
function shortWhen(start: Date, zone: string, language: string): string {
  return dateTimeFormat(language, inZone(start, zone).zoneName ?? 'UTC', false).format(start);
}

function humanDuration(ms: number, language: string): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return emailText(language, 'duration.minutes', { minutes });
  if (minutes % 60 === 0) return emailText(language, 'duration.hours', { hours: minutes / 60 });
  return emailText(language, 'duration.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

function footer(language: string, links: AppLinks): string[] {
  return [emailText(language, 'footer.preferences', { profileUrl: links.profile() })];
}

export function renderMessage(kind: MessageKind, recipient: Recipient, facts: MessageFacts, links: AppLinks): RenderedMessage {
  const language = emailLanguage(recipient.locale);
  const t = (key: EmailMessageKey, values?: EmailValues) => emailText(language, key, values);
  const reference = bookingReference(facts.bookingId);
  const values: EmailValues = {
    reference,
    instrument: facts.instrument,
    lab: facts.lab,
    requester: facts.requesterName ?? '',
    when: shortWhen(facts.start, recipient.timeZone, language),
    duration: facts.startsInMs !== undefined ? humanDuration(facts.startsInMs, language) : '',
    withInvite: facts.withInvite ? 'yes' : 'no',
    occurrences: facts.series?.occurrences ?? 1,
  };
  const forManager = kind === 'requestForManager' || kind === 'seriesRequestForManager';
  const { series } = facts;
  const spans: [string, string][] = series
    ? [
      [t('label.occurrences'), new Intl.NumberFormat(language).format(series.occurrences)],
      [t('label.firstYourTime'), formatSpan(facts.start, facts.end, recipient.timeZone, language)],
      [t('label.firstLabTime'), formatSpan(facts.start, facts.end, facts.labTimeZone, language)],
      ...(series.occurrences > 1 ? [
        [t('label.lastYourTime'), formatSpan(series.lastStart, series.lastEnd, recipient.timeZone, language)],
        [t('label.lastLabTime'), formatSpan(series.lastStart, series.lastEnd, facts.labTimeZone, language)],
      ] as [string, string][] : []),
    ]
    : [
      [t('label.yourTime'), formatSpan(facts.start, facts.end, recipient.timeZone, language)],
      [t('label.labTime'), formatSpan(facts.start, facts.end, facts.labTimeZone, language)],
    ];
  const rows: [string, string][] = [
    [t('label.reference'), reference],
    [t('label.instrument'), facts.instrument],
    [t('label.lab'), facts.lab],
    ...(forManager && facts.requesterName ? [[t('label.requester'), facts.requesterName] as [string, string]] : []),
    ...spans,
  ];
  if (facts.previousStart && facts.previousEnd) {
    rows.push([t('label.previousYourTime'), formatSpan(facts.previousStart, facts.previousEnd, recipient.timeZone, language)]);
    rows.push([t('label.previousLabTime'), formatSpan(facts.previousStart, facts.previousEnd, facts.labTimeZone, language)]);
  }
  if (forManager && facts.purpose) rows.push([t('label.purpose'), facts.purpose]);
  if (facts.note) rows.push([t('label.note'), facts.note]);
  const action: Action = forManager
    ? { label: t('action.reviewRequest'), url: links.approval(facts.bookingId), hint: t('action.reviewRequestHint') }
    : { label: t('action.viewBooking'), url: links.booking(facts.bookingId), hint: t('action.viewBookingHint') };
  return render({
    language,
    subject: t(`kind.${kind}.subject`, values),
    title: t(`kind.${kind}.title`, values),
    greeting: t('common.greeting', { name: recipient.name }),
    intro: t(`kind.${kind}.intro`, values),
    facts: rows,
    sections: [],
    actions: [action],
    closing: t('common.closing'),
    footer: footer(language, links),
  });
}

/** A manager's morning digest: every request waiting for them, earliest start first, each with its own link. */
export function renderDigest(recipient: Recipient, items: DigestItem[], links: AppLinks): RenderedMessage {
  const language = emailLanguage(recipient.locale);
  const t = (key: EmailMessageKey, values?: EmailValues) => emailText(language, key, values);
  const count = items.length;
  return render({
    language,
    subject: t('kind.digest.subject', { count }),
    title: t('kind.digest.title'),
    greeting: t('common.greeting', { name: recipient.name }),
    intro: t('kind.digest.intro', { count, name: recipient.name }),
    facts: [],
    sections: items.map((item) => ({
      heading: t('kind.digest.item', { reference: bookingReference(item.bookingId), instrument: item.instrument, lab: item.lab, requester: item.requesterName }),
      facts: [
        [t('label.yourTime'), formatSpan(item.start, item.end, recipient.timeZone, language)],
        [t('label.labTime'), formatSpan(item.start, item.end, item.labTimeZone, language)],
        ...(item.purpose ? [[t('label.purpose'), item.purpose] as [string, string]] : []),
      ],
      action: { label: t('action.reviewRequest'), url: links.approval(item.bookingId) },
    })),
    actions: [{ label: t('action.openApprovals'), url: links.approvals(), hint: t('action.reviewRequestHint') }],
    closing: t('common.closing'),
    footer: [t('kind.digest.footer'), ...footer(language, links)],
  });
}

function render(layout: Layout): RenderedMessage {
  return { subject: layout.subject, text: toText(layout), html: toHtml(layout), language: layout.language };
}

function toText(m: Layout): string {
  const facts = (rows: [string, string][]) => rows.map(([label, value]) => emailText(m.language, 'common.labelled', { label, value }));
  const lines = [
    m.greeting, '',
    m.intro, '',
    ...(m.facts.length ? [...facts(m.facts), ''] : []),
    ...m.sections.flatMap((s) => [s.heading, ...facts(s.facts).map((l) => `  ${l}`), `  ${emailText(m.language, 'common.labelled', { label: s.action.label, value: s.action.url })}`, '']),
    ...m.actions.flatMap((a) => [emailText(m.language, 'common.labelled', { label: a.label, value: a.url }), ...(a.hint ? [a.hint] : []), '']),
    m.closing, '',
    ...m.footer,
  ];
  return `${lines.join('\n')}\n`;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Inline styles only (mail clients drop <style> and external sheets); dark text on white, links with an underline,
// contrast well above WCAG AA. Fonts: the reader's system fonts, with Noto families named for Thai, Lao, Khmer and
// Burmese, which most systems that read those scripts have.
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Thai', 'Noto Sans Lao', 'Noto Sans Khmer', 'Noto Sans Myanmar', 'Microsoft YaHei', 'PingFang SC', sans-serif";

function toHtml(m: Layout): string {
  const e = escapeHtml;
  const table = (rows: [string, string][]) =>
    rows.length
      ? `<table style="border-collapse:collapse;margin:0 0 16px">${rows
        .map(([label, value]) => `<tr><th scope="row" style="text-align:start;vertical-align:top;padding:4px 16px 4px 0;font-weight:600">${e(label)}</th><td style="padding:4px 0">${e(value)}</td></tr>`)
        .join('')}</table>`
      : '';
  const link = (a: Action) => `<a href="${e(a.url)}" style="color:#0b4f9c;text-decoration:underline;font-weight:600">${e(a.label)}</a>`;
  const dir = textDirection(m.language);
  return [
    `<!DOCTYPE html>`,
    `<html lang="${e(m.language)}" dir="${dir}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(m.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:#ffffff;color:#1a1a1a;font-family:${e(FONT)};font-size:16px;line-height:1.5">`,
    `<div role="article" aria-label="${e(m.subject)}" lang="${e(m.language)}" dir="${dir}" style="max-width:40em;margin:0 auto;padding:16px">`,
    `<h1 style="font-size:22px;line-height:1.3;margin:0 0 16px;color:#1a1a1a">${e(m.title)}</h1>`,
    `<p style="margin:0 0 12px">${e(m.greeting)}</p>`,
    `<p style="margin:0 0 16px">${e(m.intro)}</p>`,
    table(m.facts),
    ...m.sections.map((s) => `<h2 style="font-size:18px;margin:20px 0 8px;color:#1a1a1a">${e(s.heading)}</h2>${table(s.facts)}<p style="margin:0 0 16px">${link(s.action)}</p>`),
    ...m.actions.map((a) => `<p style="margin:16px 0 4px">${link(a)}</p>${a.hint ? `<p style="margin:0 0 16px;color:#444444;font-size:14px">${e(a.hint)}</p>` : ''}`),
    `<p style="margin:16px 0">${e(m.closing)}</p>`,
    `<hr style="border:0;border-top:1px solid #cccccc;margin:16px 0">`,
    ...m.footer.map((line) => `<p style="margin:0 0 8px;color:#444444;font-size:14px">${e(line)}</p>`),
    `</div>`,
    `</body>`,
    `</html>`,
    '',
  ].join('\n');
}
