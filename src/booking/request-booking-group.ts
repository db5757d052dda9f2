// requestBookingGroup: several instruments (possibly in several labs) for one session, booked all or nothing. Each
// item is checked by its own instrument's rules through the code single bookings use (access, then every scheduling
// rule against the bookings read under the lock); one item's problem and nothing is booked. Each part starts PENDING
// or CONFIRMED by its own lab's rule, exactly as a single booking would.
import { createHash } from 'node:crypto';
import { Interval, type DateTime } from 'luxon';
import type { Viewer } from '../access/viewer';
import { holdingBookingsByInstrument, loadHoldingBookingRows, loadScheduleFacts, MAX_BOOKING_MINUTES } from '../availability/schedules';
import { Booking } from '../db/models';
import { isDuplicateKey } from '../db/raw';
import type { BookingRow } from '../db/rows';
import { badInput, notFound } from '../errors';
import { eventForStatus } from '../events/types';
import { validateBooking } from '../scheduling';
import type { BusyBooking } from '../scheduling/types';
import { MINUTE_MS } from '../scheduling/zone-time';
import { groupFailure, MAX_GROUP_ITEMS, type BookingGroupResult } from './booking-groups';
import { BookingRejected, type BookingError } from './errors';
import { bookingSpanError, checkBookingAccess, inputErrors, commandViewer, type BookingDeps } from './request-booking';
import { initialStatus } from './state-machine';
import {
  findBookingGroupByIdempotencyKey, findGroupParts, insertBooking, insertBookingGroup, InstrumentNotFound, withInstrumentLocks,
} from './store';

export interface BookingGroupItem {
  instrumentId: number;
  start: DateTime;
  end: DateTime;
}

export interface RequestBookingGroupInput {
  items: BookingGroupItem[];
  purpose?: string;
  /** Same key from the same user returns the original group. */
  idempotencyKey?: string;
}

function fingerprint(input: RequestBookingGroupInput): string {
  const items = input.items.map((i) => [i.instrumentId, i.start.toMillis(), i.end.toMillis()]);
  return createHash('sha256').update(JSON.stringify([items, input.purpose ?? ''])).digest('hex');
}

const overlaps = (a: BookingGroupItem, b: BookingGroupItem) => a.start < b.end && b.start < a.end;

/** Mistakes in the request itself, before anything is read: the count, each span, items that collide, the whole span. */
function requestErrors(input: RequestBookingGroupInput): BookingError[] {
  const errors = inputErrors(input);
  const { items } = input;
  if (items.length === 0 || items.length > MAX_GROUP_ITEMS) {
    return [...errors, badInput('items', 'GROUP_SIZE', { max: MAX_GROUP_ITEMS, count: items.length })];
  }
  items.forEach((item, i) => {
    const spanError = bookingSpanError(item.start, item.end);
    if (spanError) errors.push({ ...spanError, field: `items.${i}.${spanError.field}` });
  });
  if (errors.length) return errors;
  items.forEach((item, j) => {
    const i = items.findIndex((other, k) => k < j && other.instrumentId === item.instrumentId && overlaps(other, item));
    if (i >= 0) errors.push(badInput(`items.${j}.start`, 'GROUP_ITEMS_OVERLAP', { first: i + 1, second: j + 1 }));
  });
  // One session's resources: the calendar of the whole span is read at once, so it is bounded like one booking's.
  const from = Math.min(...items.map((i) => i.start.toMillis()));
  const to = Math.max(...items.map((i) => i.end.toMillis()));
  if (to - from > MAX_BOOKING_MINUTES * MINUTE_MS) errors.push(badInput('items', 'GROUP_SPAN_TOO_LONG', { maxDays: MAX_BOOKING_MINUTES / 1440 }));
  return errors;
}

async function replay(userId: number, input: RequestBookingGroupInput): Promise<BookingGroupResult | null> {
  if (!input.idempotencyKey) return null;
  const existing = await findBookingGroupByIdempotencyKey(userId, input.idempotencyKey);
  if (!existing) return null;
  if (existing.requestFingerprint !== fingerprint(input)) return groupFailure({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
  const parts = await findGroupParts([existing.id]);
  return { group: { ...existing, parts: parts.map((p) => p.booking) }, errors: [] };
}

export async function requestBookingGroup(viewer: Viewer, input: RequestBookingGroupInput, deps: BookingDeps = {}): Promise<BookingGroupResult> {
  const { user, clock, viewerZone } = commandViewer(viewer, deps);
  const mistakes = requestErrors(input);
  if (mistakes.length) return groupFailure(...mistakes);
  const replayed = await replay(user.userId, input);
  if (replayed) return replayed;

  const { items } = input;
  const instrumentIds = [...new Set(items.map((i) => i.instrumentId))];
  const range = Interval.fromDateTimes(
    items.reduce((a, i) => (i.start < a ? i.start : a), items[0].start),
    items.reduce((a, i) => (i.end > a ? i.end : a), items[0].end),
  );
  // As for one booking: hours, rules, closures and access before the lock, the bookings under it.
  const facts = await loadScheduleFacts(Booking.sequelize!, instrumentIds, range, { roleOfUserId: user.userId, holidayLanguage: user.locale });
  const problems: BookingError[] = [];
  const managesLab = new Map<number, boolean>();
  for (const [i, item] of items.entries()) {
    const fact = facts.get(item.instrumentId);
    if (!fact) {
      problems.push(notFound(`items.${i}.instrumentId`, 'instrument'));
      continue;
    }
    const access = await checkBookingAccess(user, fact.instrument, deps, `items.${i}.instrumentId`);
    if (access.error) problems.push(access.error);
    else managesLab.set(item.instrumentId, access.managesLab);
  }
  if (problems.length) return groupFailure(...problems);

  try {
    return await withInstrumentLocks(instrumentIds, async (transaction): Promise<BookingGroupResult> => {
      // First under the locks: a retry of this very request that committed while this one waited fails it here on
      // the unique key, and is answered as a replay below.
      const group = await insertBookingGroup({
        userId: user.userId, purpose: input.purpose ?? '', idempotencyKey: input.idempotencyKey ?? null,
        requestFingerprint: input.idempotencyKey ? fingerprint(input) : null,
      }, transaction);
      const bufferMinutes = Math.max(...instrumentIds.map((id) => facts.get(id)!.schedule.rules.bufferAfterMinutes));
      const holding = holdingBookingsByInstrument(await loadHoldingBookingRows(Booking.sequelize!, instrumentIds, range, { transaction, bufferMinutes }));

      const violations = items.flatMap((item, i) => {
        const fact = facts.get(item.instrumentId)!;
        // The group's other items on the same instrument count as bookings: its buffer applies between them too.
        const siblings: BusyBooking[] = items
          .filter((other, k) => k !== i && other.instrumentId === item.instrumentId)
          .map((other) => ({ interval: Interval.fromDateTimes(other.start, other.end) }));
        const schedule = { ...fact.schedule, bookings: [...(holding.get(item.instrumentId) ?? []), ...siblings] };
        return validateBooking(schedule, { start: item.start, end: item.end }, { now: clock.now(), viewerZone })
          .map((v) => ({ ...v, field: `items.${i}.${v.code === 'INSTRUMENT_UNAVAILABLE' ? 'instrumentId' : 'start'}` }));
      });
      if (violations.length) throw new BookingRejected(violations);

      const parts: BookingRow[] = [];
      for (const item of items) {
        const status = initialStatus(facts.get(item.instrumentId)!.instrument, { managesLab: managesLab.get(item.instrumentId)! });
        parts.push(await insertBooking({
          instrumentId: item.instrumentId, userId: user.userId, startAt: item.start.toJSDate(), endAt: item.end.toJSDate(), status,
          purpose: input.purpose ?? '', idempotencyKey: null, requestFingerprint: null, groupId: group.id,
        }, { actorUserId: user.userId, event: eventForStatus(status) }, transaction));
      }
      return { group: { ...group, parts }, errors: [] };
    });
  } catch (error) {
    if (error instanceof BookingRejected) return groupFailure(...error.errors);
    if (error instanceof InstrumentNotFound) {
      return groupFailure(...items.flatMap((item, i) => (item.instrumentId === error.instrumentId ? [notFound(`items.${i}.instrumentId`, 'instrument')] : [])));
    }
    // A concurrent retry with the same key won the insert: answer as the replay would.
    if (isDuplicateKey(error)) {
      const again = await replay(user.userId, input);
      if (again) return again;
    }
    throw error;
  }
}
