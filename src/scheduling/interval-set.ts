// Sets of half-open time spans [start, end) in epoch milliseconds, and the Luxon Interval edge.
// The core computes on numbers (cheap to compare, no allocation of DateTimes in inner loops) and converts
// to UTC Intervals only when handing results back.
import { DateTime, Interval } from 'luxon';

export interface Span {
  start: number;
  end: number;
}

function byStart(a: Span, b: Span): number {
  return a.start - b.start || a.end - b.end;
}

function isSorted(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) if (spans[i - 1].start > spans[i].start) return false;
  return true;
}

/** Sorted, non-overlapping spans; touching spans are joined and empty ones dropped. Input may be unsorted. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = isSorted(spans) ? spans : [...spans].sort(byStart);
  const out: Span[] = [];
  for (const s of sorted) {
    if (!(s.end > s.start)) continue;
    const last = out[out.length - 1];
    if (last && s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
    } else {
      out.push({ start: s.start, end: s.end });
    }
  }
  return out;
}

/** a − b, both sorted and merged (as mergeSpans returns). Linear in the sizes of a and b. */
export function subtractSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  if (b.length === 0) return a.map((s) => ({ start: s.start, end: s.end }));
  const out: Span[] = [];
  let j = 0;
  for (const s of a) {
    let cur = s.start;
    while (j < b.length && b[j].end <= cur) j++;
    let k = j;
    while (k < b.length && b[k].start < s.end) {
      if (b[k].start > cur) out.push({ start: cur, end: b[k].start });
      if (b[k].end > cur) cur = b[k].end;
      if (cur >= s.end) break;
      k++;
    }
    if (cur < s.end) out.push({ start: cur, end: s.end });
  }
  return out;
}

/** a ∩ b, both sorted and merged. Linear in the sizes of a and b. */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (start < end) out.push({ start, end });
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return out;
}

/** Spans cut to [from, to); sorted input stays sorted. */
export function clipSpans(spans: readonly Span[], from: number, to: number): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (start < end) out.push({ start, end });
  }
  return out;
}

/** True when the half-open spans share at least one instant. */
export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Epoch-ms span of a valid Interval; throws RangeError for an invalid one (never silently dropped). */
export function spanOf(interval: Interval, what = 'interval'): Span {
  if (!interval.isValid || !interval.start || !interval.end) {
    throw new RangeError(`Invalid ${what}: ${interval.invalidExplanation ?? interval.invalidReason ?? 'not a valid Interval'}`);
  }
  return { start: interval.start.toMillis(), end: interval.end.toMillis() };
}

export function utcDateTime(ms: number): DateTime<true> {
  return DateTime.fromMillis(ms, { zone: 'utc' }) as DateTime<true>;
}

export function intervalOf(span: Span): Interval<true> {
  return Interval.fromDateTimes(utcDateTime(span.start), utcDateTime(span.end)) as Interval<true>;
}

/** Union of intervals (any order) as sorted, non-overlapping UTC intervals; touching ones are joined. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  return mergeSpans(intervals.map((i) => spanOf(i))).map(intervalOf);
}

/** Everything in `from` not covered by `remove` (both any order), as sorted UTC intervals. */
export function subtractIntervals(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  return subtractSpans(mergeSpans(from.map((i) => spanOf(i))), mergeSpans(remove.map((i) => spanOf(i)))).map(intervalOf);
}

/** Instants covered by both `a` and `b` (any order), as sorted UTC intervals. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return intersectSpans(mergeSpans(a.map((i) => spanOf(i))), mergeSpans(b.map((i) => spanOf(i)))).map(intervalOf);
}
