// Time taken by existing bookings (with their after-buffer) and blackouts.
import type { Interval } from 'luxon';
import type { InstrumentSchedule } from './types';
import { type Span, intervalOf, mergeSpans, spanOf } from './interval-set';
import { MINUTE_MS } from './zone-time';

export type BusyKind = 'BOOKING' | 'BLACKOUT';

/** Bookings (each extended by bufferAfterMinutes) and blackouts clipped to `range`, sorted by start; no identities. */
export function busyIntervals(schedule: InstrumentSchedule, range: Interval): { interval: Interval; kind: BusyKind }[] {
  const { start: from, end: to } = spanOf(range, 'range');
  const buffer = schedule.rules.bufferAfterMinutes * MINUTE_MS;
  const busy: { span: Span; kind: BusyKind }[] = [];
  const add = (s: Span, kind: BusyKind) => {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (start < end) busy.push({ span: { start, end }, kind });
  };
  for (const b of schedule.bookings) {
    const s = spanOf(b.interval, 'booking interval');
    if (s.end > s.start) add({ start: s.start, end: s.end + buffer }, 'BOOKING');
  }
  for (const b of schedule.blackouts) add(spanOf(b.interval, 'blackout interval'), 'BLACKOUT');
  busy.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return busy.map(({ span, kind }) => ({ interval: intervalOf(span), kind }));
}

/**
 * What a new booking may not overlap, as merged spans touching [from, to): each booking blocks
 * [start − buffer, end + buffer), so the new booking's own buffer cannot run into it and the new booking
 * cannot start inside its buffer.
 */
export function bookingBlocks(schedule: InstrumentSchedule, from: number, to: number): Span[] {
  const buffer = schedule.rules.bufferAfterMinutes * MINUTE_MS;
  const blocks: Span[] = [];
  for (const b of schedule.bookings) {
    const s = spanOf(b.interval, 'booking interval');
    if (s.end <= s.start) continue;
    const block = { start: s.start - buffer, end: s.end + buffer };
    if (block.start < to && from < block.end) blocks.push(block);
  }
  return mergeSpans(blocks);
}

/** Blackouts touching [from, to) as merged spans. */
export function blackoutSpans(schedule: InstrumentSchedule, from: number, to: number): Span[] {
  const spans: Span[] = [];
  for (const b of schedule.blackouts) {
    const s = spanOf(b.interval, 'blackout interval');
    if (s.start < to && from < s.end) spans.push(s);
  }
  return mergeSpans(spans);
}
