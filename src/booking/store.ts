// The booking store (its columns are in columns.ts): the only code that writes bookings, booking_history and booking events, and the one lock helper
// of the booking wing. Plain statements through the project's primary pool (src/db/raw.ts) in the project's
// transaction runner (src/db/transaction.ts): a command's reads here never go to a replica, so it sees its own writes.
import type { BookingStatus } from '../db/models/booking';
import { Booking } from '../db/models';
import { rawQuery, type PlainTransaction, type WriteResult } from '../db/raw';
import type { BookingGroupRow, BookingRow } from '../db/rows';
import { sqlInstant } from '../db/sql-instant';
import { bookingColumnsOf, COLUMN_OF } from './columns';
import { runTransaction } from '../db/transaction';
import { recordEvent, recordEvents } from '../events/outbox';
import type { BookingEventPayload, BookingEventType, OutboxEventInput } from '../events/types';

const COLUMNS = bookingColumnsOf();

const db = () => Booking.sequelize!;
const sqlValue = (value: unknown) => (value instanceof Date ? sqlInstant(value) : value);

export class InstrumentNotFound extends Error {
  constructor(readonly instrumentId: number) {
    super(`Instrument ${instrumentId} not found`);
    this.name = 'InstrumentNotFound';
  }
}

/**
 * Runs fn in one transaction that first takes the instrument's write lock; retried whole on deadlock. Writers of one
 * instrument are serialised by writing its row first (UPDATE ... booking_seq + 1): the row lock orders writers on one
 * server, and because the row is written, Galera's certification aborts all but one of two concurrent writers on
 * different nodes; the runner retries the loser, which then sees the winner's booking. READ COMMITTED: reads after the
 * lock see every booking committed before it was granted. Lock order is always instrument row, then booking row.
 */
export async function withInstrumentLock<T>(instrumentId: number, fn: (transaction: PlainTransaction) => Promise<T>): Promise<T> {
  return withInstrumentLocks([instrumentId], fn);
}

/**
 * The same lock on several instruments (a booking group's), taken one statement at a time in ascending instrument id,
 * whatever order they were given in. Every writer takes instrument locks in this one global order and booking rows
 * only after them, so two groups, or a group and single bookings, never wait on each other in a cycle; a deadlock the
 * database still reports (Galera certification) is retried whole by the runner, within its bound.
 */
export async function withInstrumentLocks<T>(instrumentIds: readonly number[], fn: (transaction: PlainTransaction) => Promise<T>): Promise<T> {
  const ascending = [...new Set(instrumentIds)].sort((a, b) => a - b);
  return runTransaction(db(), async (transaction) => {
    for (const instrumentId of ascending) {
      const locked = await rawQuery<WriteResult>(db(), 'UPDATE instruments SET booking_seq = booking_seq + 1 WHERE id = ?', [instrumentId], { transaction });
      if (locked.affectedRows === 0) throw new InstrumentNotFound(instrumentId);
    }
    return fn(transaction);
  });
}

export interface BookingWithLab {
  booking: BookingRow;
  labId: number;
}

/** A booking and its instrument's lab, in one statement on the primary (before any lock: policies need the lab). */
export async function findBookingWithLab(bookingId: number): Promise<BookingWithLab | null> {
  const [row] = await rawQuery<(BookingRow & { labIdOfInstrument: number })[]>(
    db(),
    `SELECT ${bookingColumnsOf('b')}, i.lab_id AS labIdOfInstrument FROM bookings b JOIN instruments i ON i.id = b.instrument_id WHERE b.id = ?`,
    [bookingId],
  );
  if (!row) return null;
  const { labIdOfInstrument: labId, ...booking } = row;
  return { booking, labId };
}

/** A booking as committed, read on the primary. */
export async function findBooking(bookingId: number): Promise<BookingRow | null> {
  const [row] = await rawQuery<BookingRow[]>(db(), `SELECT ${COLUMNS} FROM bookings WHERE id = ?`, [bookingId]);
  return row ?? null;
}

/** The booking row, locked for the rest of the transaction (taken after the instrument lock). */
export async function lockBooking(bookingId: number, transaction: PlainTransaction): Promise<BookingRow | null> {
  const [row] = await rawQuery<BookingRow[]>(db(), `SELECT ${COLUMNS} FROM bookings WHERE id = ? FOR UPDATE`, [bookingId], { transaction });
  return row ?? null;
}

/** The booking a user made under an idempotency key, if any. */
export async function findByIdempotencyKey(userId: number, key: string, transaction?: PlainTransaction): Promise<BookingRow | null> {
  const [row] = await rawQuery<BookingRow[]>(db(), `SELECT ${COLUMNS} FROM bookings WHERE user_id = ? AND idempotency_key = ?`, [userId, key], { transaction });
  return row ?? null;
}

export type NewBooking = Pick<BookingRow, 'instrumentId' | 'userId' | 'startAt' | 'endAt' | 'status' | 'purpose' | 'idempotencyKey' | 'requestFingerprint'>
  & { seriesId?: number | null; groupId?: number | null };

/** What a change records beside the row: its history line and its event. */
export interface ChangeRecord {
  actorUserId: number | null;
  note?: string | null;
  /** The event this change emits; none for changes no one is told about (check-in, check-out). */
  event?: BookingEventType;
  previousStart?: Date;
  previousEnd?: Date;
  /** Part of a change to a whole series, which tells people once in the series' own event (no e-mail per booking). */
  bySeries?: boolean;
}

async function writeHistory(bookingId: number, from: BookingStatus | null, to: BookingStatus, record: ChangeRecord, at: Date, transaction: PlainTransaction) {
  await writeHistories([{ bookingId, from, to }], record, at, transaction);
}

/** History lines of one change in one statement (one line, or one per booking of a series). */
async function writeHistories(
  lines: { bookingId: number; from: BookingStatus | null; to: BookingStatus }[], record: ChangeRecord, at: Date, transaction: PlainTransaction,
) {
  await rawQuery(
    db(),
    `INSERT INTO booking_history (booking_id, actor_user_id, from_status, to_status, note, created_at) VALUES ${lines.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
    lines.flatMap((l) => [l.bookingId, record.actorUserId, l.from, l.to, record.note ?? null, sqlInstant(at)]),
    { transaction },
  );
}

/** The event a change of this booking records (see ChangeRecord.event). */
function bookingEvent(booking: BookingRow, previousStatus: BookingStatus | null, record: ChangeRecord & { event: BookingEventType }): OutboxEventInput {
  const payload: BookingEventPayload = {
    bookingId: booking.id,
    instrumentId: booking.instrumentId,
    userId: booking.userId,
    status: booking.status,
    previousStatus,
    start: booking.startAt.toISOString(),
    end: booking.endAt.toISOString(),
    ...(record.previousStart ? { previousStart: record.previousStart.toISOString() } : {}),
    ...(record.previousEnd ? { previousEnd: record.previousEnd.toISOString() } : {}),
    version: booking.version,
    actorUserId: record.actorUserId,
    note: record.note ?? null,
    ...(booking.seriesId ? { seriesId: booking.seriesId } : {}),
    ...(record.bySeries ? { bySeries: true } : {}),
    ...(booking.groupId ? { groupId: booking.groupId } : {}),
  };
  return { type: record.event, aggregateType: 'booking', aggregateId: booking.id, payload };
}

/** Writes the change's event to the outbox in the transaction (nothing without record.event). */
export async function recordBookingEvent(booking: BookingRow, previousStatus: BookingStatus | null, record: ChangeRecord, transaction: PlainTransaction): Promise<void> {
  if (!record.event) return;
  await recordEvent(bookingEvent(booking, previousStatus, { ...record, event: record.event }), transaction);
}

/** Inserts a booking with its first history line and its event; the row is assembled from what was written. */
export async function insertBooking(values: NewBooking, record: ChangeRecord, transaction: PlainTransaction): Promise<BookingRow> {
  return (await insertBookings([values], record, transaction))[0];
}

const BOOKING_INSERT = `INSERT INTO bookings (instrument_id, user_id, start_at, end_at, status, purpose, idempotency_key, request_fingerprint, series_id, group_id, version, created_at, updated_at)
     VALUES`;
const BOOKING_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)';

/**
 * Inserts the bookings of one command (one, or a series' occurrences) with their first history lines and their events:
 * three statements whatever their number, so a series holds its instrument's lock no longer than it must. Several rows
 * take their ids from INSERT ... RETURNING (MariaDB), which answers in the order of the VALUES.
 */
export async function insertBookings(values: NewBooking[], record: ChangeRecord, transaction: PlainTransaction): Promise<BookingRow[]> {
  if (values.length === 0) return [];
  // A booking belongs to at most one of a series and a group: series commands change bookings by series_id and group
  // commands by group_id, so a booking in both would be moved or cancelled by one without the other knowing.
  if (values.some((v) => v.seriesId && v.groupId)) throw new Error('A booking belongs to a series or to a booking group, not to both');
  const now = new Date();
  // One statement shape for a single booking, a series' occurrences and a group's part (the bench's bare baseline sends it too).
  const parameters = values.flatMap((v) => [v.instrumentId, v.userId, sqlInstant(v.startAt), sqlInstant(v.endAt), v.status, v.purpose,
    v.idempotencyKey, v.requestFingerprint, v.seriesId ?? null, v.groupId ?? null, sqlInstant(now), sqlInstant(now)]);
  let ids: number[];
  if (values.length === 1) {
    ids = [(await rawQuery<WriteResult>(db(), `${BOOKING_INSERT} ${BOOKING_VALUES}`, parameters, { transaction })).insertId];
  } else {
    const returned = await rawQuery<{ id: number }[]>(
      db(), `${BOOKING_INSERT} ${values.map(() => BOOKING_VALUES).join(', ')} RETURNING id`, parameters, { transaction },
    );
    ids = returned.map((r) => r.id);
  }
  const rows: BookingRow[] = values.map((v, i) => ({
    id: ids[i], ...v, seriesId: v.seriesId ?? null, groupId: v.groupId ?? null, decidedBy: null, decidedAt: null, decisionNote: null,
    checkedInAt: null, checkedOutAt: null, version: 1, createdAt: now, updatedAt: now,
  }));
  await writeHistories(rows.map((r) => ({ bookingId: r.id, from: null, to: r.status })), record, now, transaction);
  if (record.event) await recordEvents(rows.map((r) => bookingEvent(r, null, { ...record, event: record.event! })), transaction);
  return rows;
}

export type BookingChanges = Partial<Omit<BookingRow, 'id' | 'version' | 'createdAt' | 'updatedAt'>>;

/**
 * Applies changes to a locked booking and bumps its version; writes a history line when the status changed or the
 * change has a note, and the change's event.
 */
export async function updateBooking(current: BookingRow, changes: BookingChanges, record: ChangeRecord, transaction: PlainTransaction): Promise<BookingRow> {
  const now = new Date();
  const updated: BookingRow = { ...current, ...changes, version: current.version + 1, updatedAt: now };
  const names = [...(Object.keys(changes) as (keyof BookingChanges)[]), 'version', 'updatedAt'] as (keyof BookingRow)[];
  await rawQuery(
    db(),
    `UPDATE bookings SET ${names.map((n) => `${COLUMN_OF[n]} = ?`).join(', ')} WHERE id = ?`,
    [...names.map((n) => sqlValue(updated[n])), current.id],
    { transaction },
  );
  if (updated.status !== current.status || record.note !== undefined) {
    await writeHistory(current.id, current.status, updated.status, record, now, transaction);
  }
  await recordBookingEvent(updated, current.status, record, transaction);
  return updated;
}

/**
 * The same change to several locked bookings of one command (a decision on a whole series): one UPDATE, one statement of
 * history lines and one of events, so the instrument's lock is held for less. Each booking's version goes up by one.
 */
export async function updateBookings(currents: BookingRow[], changes: BookingChanges, record: ChangeRecord, transaction: PlainTransaction): Promise<BookingRow[]> {
  if (currents.length <= 1) return Promise.all(currents.map((current) => updateBooking(current, changes, record, transaction)));
  const now = new Date();
  const updated: BookingRow[] = currents.map((current) => ({ ...current, ...changes, version: current.version + 1, updatedAt: now }));
  const names = Object.keys(changes) as (keyof BookingChanges)[];
  await rawQuery(
    db(),
    `UPDATE bookings SET ${[...names.map((n) => `${COLUMN_OF[n]} = ?`), 'version = version + 1', `${COLUMN_OF.updatedAt} = ?`].join(', ')} WHERE id IN (?)`,
    [...names.map((n) => sqlValue(changes[n])), sqlInstant(now), currents.map((c) => c.id)],
    { transaction },
  );
  const lines = updated.flatMap((u, i) => (u.status !== currents[i].status || record.note !== undefined ? [{ bookingId: u.id, from: currents[i].status, to: u.status }] : []));
  if (lines.length) await writeHistories(lines, record, now, transaction);
  if (record.event) await recordEvents(updated.map((u, i) => bookingEvent(u, currents[i].status, { ...record, event: record.event! })), transaction);
  return updated;
}

// Booking groups: the group row, and its parts (bookings with group_id) read and locked together.

export type NewBookingGroup = Pick<BookingGroupRow, 'userId' | 'purpose' | 'idempotencyKey' | 'requestFingerprint'>;

const GROUP_COLUMNS = 'id, user_id AS userId, purpose, idempotency_key AS idempotencyKey, request_fingerprint AS requestFingerprint, created_at AS createdAt, updated_at AS updatedAt';

/** Inserts a group row (its parts are inserted with insertBooking, naming it). A second row under one key is a duplicate-key error. */
export async function insertBookingGroup(values: NewBookingGroup, transaction: PlainTransaction): Promise<BookingGroupRow> {
  const now = new Date();
  const inserted = await rawQuery<WriteResult>(
    db(),
    'INSERT INTO booking_groups (user_id, purpose, idempotency_key, request_fingerprint, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [values.userId, values.purpose, values.idempotencyKey, values.requestFingerprint, sqlInstant(now), sqlInstant(now)],
    { transaction },
  );
  return { id: inserted.insertId, ...values, createdAt: now, updatedAt: now };
}

/** A group as committed, read on the primary. */
export async function findBookingGroup(groupId: number): Promise<BookingGroupRow | null> {
  const [row] = await rawQuery<BookingGroupRow[]>(db(), `SELECT ${GROUP_COLUMNS} FROM booking_groups WHERE id = ?`, [groupId]);
  return row ?? null;
}

/** The group a user made under an idempotency key, if any. */
export async function findBookingGroupByIdempotencyKey(userId: number, key: string): Promise<BookingGroupRow | null> {
  const [row] = await rawQuery<BookingGroupRow[]>(db(), `SELECT ${GROUP_COLUMNS} FROM booking_groups WHERE user_id = ? AND idempotency_key = ?`, [userId, key]);
  return row ?? null;
}

/** The parts of groups with their instruments' labs (for policies and the lock set), in the order they were requested. */
export async function findGroupParts(groupIds: readonly number[]): Promise<BookingWithLab[]> {
  if (groupIds.length === 0) return [];
  const rows = await rawQuery<(BookingRow & { labIdOfInstrument: number })[]>(
    db(),
    `SELECT ${bookingColumnsOf('b')}, i.lab_id AS labIdOfInstrument FROM bookings b JOIN instruments i ON i.id = b.instrument_id
      WHERE b.group_id IN (?) ORDER BY b.id`,
    [[...groupIds]],
  );
  return rows.map(({ labIdOfInstrument: labId, ...booking }) => ({ booking, labId }));
}

/** A group's parts, locked for the rest of the transaction (taken after every part's instrument lock), in id order. */
export async function lockGroupParts(groupId: number, transaction: PlainTransaction): Promise<BookingRow[]> {
  return rawQuery<BookingRow[]>(db(), `SELECT ${COLUMNS} FROM bookings WHERE group_id = ? ORDER BY id FOR UPDATE`, [groupId], { transaction });
}
