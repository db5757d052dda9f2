import type { Catalog } from './catalog';

const when = (p: { start: string; end: string }) => `When: ${p.start} – ${p.end}`;
const where = (p: { instrument: string; lab: string }) => `Instrument: ${p.instrument}, ${p.lab}`;
const series = (p: { occurrences?: number; start: string; end: string; lastStart?: string }) =>
  [`Occurrences: ${p.occurrences ?? '?'}`, `First: ${p.start} – ${p.end}`, `Last starts: ${p.lastStart ?? '?'}`];

export const en: Catalog = {
  locale: 'en',
  greeting: (name) => `Dear ${name},`,
  note: (note) => `Note: ${note}`,
  closing: '— LabShare',
  messages: {
    requestReceived: (p) => ({
      subject: `Request received: ${p.instrument}, ${p.start}`,
      lines: ['Your booking request was received and waits for a lab manager to approve it.', where(p), when(p)],
    }),
    requestForManager: (p) => ({
      subject: `Approval needed: ${p.instrument}, ${p.start}`,
      lines: [`${p.requesterName ?? 'A researcher'} asks to book an instrument of your lab. Please approve or reject the request.`, where(p), when(p)],
    }),
    confirmed: (p) => ({
      subject: `Booking confirmed: ${p.instrument}, ${p.start}`,
      lines: ['Your booking is confirmed. The calendar invitation is attached.', where(p), when(p)],
    }),
    rejected: (p) => ({
      subject: `Request declined: ${p.instrument}, ${p.start}`,
      lines: ['A lab manager declined your booking request.', where(p), when(p)],
    }),
    cancelled: (p) => ({
      subject: `Booking cancelled: ${p.instrument}, ${p.start}`,
      lines: ['This booking was cancelled and the time is free again.', where(p), when(p)],
    }),
    rescheduled: (p) => ({
      subject: `Booking moved: ${p.instrument}, now ${p.start}`,
      lines: ['Your booking was moved. The updated calendar invitation is attached.', where(p), when(p), `Before: ${p.previousStart ?? '?'} – ${p.previousEnd ?? '?'}`],
    }),
    rescheduledPending: (p) => ({
      subject: `Booking moved, awaiting approval: ${p.instrument}, ${p.start}`,
      lines: ['Your booking was moved and needs a lab manager to approve the new time.', where(p), when(p), `Before: ${p.previousStart ?? '?'} – ${p.previousEnd ?? '?'}`],
    }),
    expired: (p) => ({
      subject: `Request expired: ${p.instrument}, ${p.start}`,
      lines: ['Your booking request was not decided before it was due to start, so it has expired.', where(p), when(p)],
    }),
    reminder: (p) => ({
      subject: `Reminder: ${p.instrument} ${p.startsIn ? `starts in ${p.startsIn}` : 'starts soon'}`,
      lines: [`Your booking starts ${p.startsIn ? `in ${p.startsIn}` : 'soon'}.`, where(p), when(p)],
    }),
    seriesRequestReceived: (p) => ({
      subject: `Series request received: ${p.instrument}, ${p.occurrences} from ${p.start}`,
      lines: ['Your recurring booking request was received and waits for a lab manager to approve it.', where(p), ...series(p)],
    }),
    seriesRequestForManager: (p) => ({
      subject: `Approval needed for a series: ${p.instrument}, ${p.occurrences} from ${p.start}`,
      lines: [`${p.requesterName ?? 'A researcher'} asks to book an instrument of your lab repeatedly. Please approve or reject the series.`, where(p), ...series(p)],
    }),
    seriesConfirmed: (p) => ({
      subject: `Series confirmed: ${p.instrument}, ${p.occurrences} from ${p.start}`,
      lines: ['Your recurring booking is confirmed. One calendar invitation for the whole series is attached.', where(p), ...series(p)],
    }),
    seriesRejected: (p) => ({
      subject: `Series declined: ${p.instrument}, ${p.occurrences} from ${p.start}`,
      lines: ['A lab manager declined your recurring booking request.', where(p), ...series(p)],
    }),
    seriesCancelled: (p) => ({
      subject: `Series cancelled: ${p.instrument}, ${p.occurrences} from ${p.start}`,
      lines: ['These occurrences of your recurring booking were cancelled and the time is free again.', where(p), ...series(p)],
    }),
  },
};
