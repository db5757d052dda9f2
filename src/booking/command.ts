// The skeleton every command that changes an existing booking is written on: load the booking and its lab, authorise
// through the policy, take the instrument lock then the booking's, check the version, ask the state machine, let
// the use case decide, write through the store (which records history and the event). A use case supplies only its
// policy and its decision.
import type { PlainTransaction } from '../db/raw';
import { notFound } from '../errors';
import type { BookingGroupRow, BookingRow } from '../db/rows';
import type { BookingStatus } from '../db/models/booking';
import { systemClock, type Clock } from '../clock';
import { ENDS_GROUP, groupFailure, type BookingGroupResult } from './booking-groups';
import { BookingRejected, failure, type BookingError, type BookingResult } from './errors';
import { nextStatus, type BookingAction } from './state-machine';
import {
  findBookingGroup, findBookingWithLab, findGroupParts, lockBooking, lockGroupParts, updateBooking, withInstrumentLocks,
  type BookingChanges, type BookingWithLab, type ChangeRecord,
} from './store';

/** What a use case decides on the locked row: a change and what it records, or no change at all (a repeated check-in). */
export type Decision = { changes: BookingChanges; record: ChangeRecord } | 'UNCHANGED';

/** The policy's answer: go on (with what was read before the lock), a rule break, or HIDDEN (answered as NOT_FOUND). */
export type Authorised<P> = { prepared: P } | BookingError | 'HIDDEN';

export interface BookingChange<P> {
  bookingId: number;
  action: BookingAction;
  /** The version the caller saw; a different current version is STALE_VERSION. */
  expectedVersion?: number;
  /** The input field that names the booking (NOT_FOUND and INVALID_STATE name it). */
  field: 'id' | 'bookingId';
  /** What a missing or hidden booking is called in the message (default: booking). */
  notFound?: 'booking' | 'bookingOfYours';
  authorise(found: BookingWithLab): Promise<Authorised<P>>;
  /** Runs under both locks, after the version and state-machine checks; `to` is the status the action leads to. */
  decide(current: BookingRow, to: BookingStatus, prepared: P, transaction: PlainTransaction): Promise<Decision | BookingError | BookingError[]>;
  /** Tells which parts of a group have ended when this change cancels the rest of it (default: the system clock). */
  clock?: Clock;
}

const isError = (value: unknown): value is BookingError => typeof value === 'object' && value !== null && 'code' in value;

export async function changeBooking<P>(change: BookingChange<P>): Promise<BookingResult<BookingRow>> {
  const missing = notFound(change.field, change.notFound ?? 'booking');
  const found = await findBookingWithLab(change.bookingId);
  if (!found) return failure(missing);
  const authorised = await change.authorise(found);
  if (authorised === 'HIDDEN') return failure(missing);
  if (isError(authorised)) return failure(authorised);
  // A part of a group may take the rest of the group with it, so every part's instrument is locked (the set never
  // changes: a group keeps its instruments).
  const groupId = found.booking.groupId;
  const lockSet = groupId ? (await findGroupParts([groupId])).map((p) => p.booking.instrumentId) : [found.booking.instrumentId];
  try {
    const booking = await withInstrumentLocks(lockSet, async (transaction) => {
      const current = await lockBooking(change.bookingId, transaction);
      if (!current) throw new BookingRejected([missing]);
      if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) {
        throw new BookingRejected([{
          code: 'STALE_VERSION', field: 'version', params: { expected: change.expectedVersion, current: current.version, status: current.status },
        }]);
      }
      const to = nextStatus(current.status, change.action);
      if (!to) {
        throw new BookingRejected([{ code: 'INVALID_STATE', field: change.field, params: { reason: 'STATUS', status: current.status, action: change.action } }]);
      }
      const decision = await change.decide(current, to, authorised.prepared, transaction);
      if (Array.isArray(decision)) throw new BookingRejected(decision);
      if (isError(decision)) throw new BookingRejected([decision]);
      if (decision === 'UNCHANGED') return current;
      const updated = await updateBooking(current, decision.changes, decision.record, transaction);
      if (groupId && ENDS_GROUP.includes(updated.status)) {
        const why = `Cancelled with its group: booking ${updated.id} of the group was ${updated.status.toLowerCase()}`;
        await cancelGroupParts(groupId, { actorUserId: null, note: why, event: 'booking.cancelled' }, (change.clock ?? systemClock).now().toJSDate(), transaction);
      }
      return updated;
    });
    return { booking, errors: [] };
  } catch (error) {
    if (error instanceof BookingRejected) return failure(...error.errors);
    throw error;
  }
}

/**
 * Cancels every part of a group that still holds time and has not ended (one that ended keeps its record of use),
 * under the instrument locks of all its parts. Rejecting, cancelling or expiring one part cancels the group this way.
 */
export async function cancelGroupParts(groupId: number, record: ChangeRecord, now: Date, transaction: PlainTransaction): Promise<BookingRow[]> {
  const parts = await lockGroupParts(groupId, transaction);
  const result: BookingRow[] = [];
  for (const part of parts) {
    const to = nextStatus(part.status, 'CANCEL');
    result.push(to && part.endAt > now ? await updateBooking(part, { status: to }, record, transaction) : part);
  }
  return result;
}

/** What a group command decides for one locked part: the action (checked by the state machine), the change, its record. */
export interface PartDecision {
  part: BookingRow;
  action: BookingAction;
  changes: BookingChanges;
  record: ChangeRecord;
}

export interface BookingGroupChange<P> {
  groupId: number;
  /** See BookingChange.authorise; found holds every part with its lab, read before the locks. */
  authorise(found: { group: BookingGroupRow; parts: BookingWithLab[] }): Promise<Authorised<P>>;
  /** Runs with every part's instrument locked (ascending id), then every part's row locked; parts not named stay as they are. */
  decide(parts: BookingRow[], prepared: P, transaction: PlainTransaction): Promise<PartDecision[] | BookingError | BookingError[]>;
}

/** The skeleton of commands on a whole group (cancel it, move it): the same steps as changeBooking, for every part at once. */
export async function changeBookingGroup<P>(change: BookingGroupChange<P>): Promise<BookingGroupResult> {
  const missing = notFound('id', 'bookingGroup');
  const group = await findBookingGroup(change.groupId);
  if (!group) return groupFailure(missing);
  const parts = await findGroupParts([group.id]);
  const authorised = await change.authorise({ group, parts });
  if (authorised === 'HIDDEN') return groupFailure(missing);
  if (isError(authorised)) return groupFailure(authorised);
  try {
    const updated = await withInstrumentLocks(parts.map((p) => p.booking.instrumentId), async (transaction) => {
      const locked = await lockGroupParts(group.id, transaction);
      const decision = await change.decide(locked, authorised.prepared, transaction);
      if (!Array.isArray(decision)) throw new BookingRejected([decision]);
      if (decision.length && isError(decision[0])) throw new BookingRejected(decision as BookingError[]);
      const decided = new Map((decision as PartDecision[]).map((d) => [d.part.id, d]));
      const refused = (decision as PartDecision[]).flatMap((d, index): BookingError[] => {
        const status = nextStatus(d.part.status, d.action);
        return status ? [] : [{ code: 'INVALID_STATE', field: `parts.${index}`, params: { reason: 'STATUS', status: d.part.status, action: d.action } }];
      });
      if (refused.length) throw new BookingRejected(refused);
      const result: BookingRow[] = [];
      for (const part of locked) {
        const d = decided.get(part.id);
        result.push(d ? await updateBooking(part, { ...d.changes, status: nextStatus(part.status, d.action)! }, d.record, transaction) : part);
      }
      return result;
    });
    return { group: { ...group, parts: updated }, errors: [] };
  } catch (error) {
    if (error instanceof BookingRejected) return groupFailure(...error.errors);
    throw error;
  }
}
