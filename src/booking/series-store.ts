// The series store: the only code that writes booking_series and booking_series_occurrences. Its bookings are written
// by the booking store (store.ts) like any other; this file keeps what ties them together. Plain statements through
// the primary pool, in the caller's transaction (which holds the instrument lock first: lock order instrument row,
// series row, booking rows).
import { Booking } from '../db/models';
import { rawQuery, type PlainTransaction, type WriteResult } from '../db/raw';
import type { BookingRow } from '../db/rows';
import { sqlInstant } from '../db/sql-instant';
import { recordEvent } from '../events/outbox';
import type { SeriesEventPayload, SeriesEventType } from '../events/types';
import { bookingColumnsOf } from './columns';

export type BookingSeriesMode = 'ALL_OR_NOTHING' | 'SKIP_CONFLICTS';

export interface BookingSeriesRow {
  id: number;
  instrumentId: number;
  userId: number;
  recurrence: string;
  timeZone: string;
  startAt: Date;
  endAt: Date;
  mode: BookingSeriesMode;
  purpose: string;
  idempotencyKey: string | null;
  requestFingerprint: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One occurrence the rule produced: BOOKED with its booking, or the first rule it broke. */
export interface SeriesOccurrenceRow {
  seriesId: number;
  occurrenceStart: Date;
  occurrenceEnd: Date;
  bookingId: number | null;
  outcome: string;
}

const db = () => Booking.sequelize!;

const SERIES_COLUMN_OF: Record<keyof BookingSeriesRow, string> = {
  id: 'id', instrumentId: 'instrument_id', userId: 'user_id', recurrence: 'recurrence', timeZone: 'time_zone', startAt: 'start_at',
  endAt: 'end_at', mode: 'mode', purpose: 'purpose', idempotencyKey: 'idempotency_key', requestFingerprint: 'request_fingerprint',
  version: 'version', createdAt: 'created_at', updatedAt: 'updated_at',
};
const seriesColumnsOf = (alias?: string) =>
  Object.entries(SERIES_COLUMN_OF).map(([attribute, column]) => `${alias ? `${alias}.` : ''}${column} AS ${attribute}`).join(', ');
const SERIES_COLUMNS = seriesColumnsOf();
const OCCURRENCE_COLUMNS = `series_id AS seriesId, occurrence_start AS occurrenceStart, occurrence_end AS occurrenceEnd,
  booking_id AS bookingId, outcome`;

export type NewSeries = Omit<BookingSeriesRow, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** Inserts the series row; its occurrences follow once their bookings exist (insertSeriesOccurrences). */
export async function insertSeries(values: NewSeries, transaction: PlainTransaction): Promise<BookingSeriesRow> {
  const now = new Date();
  const inserted = await rawQuery<WriteResult>(
    db(),
    `INSERT INTO booking_series (instrument_id, user_id, recurrence, time_zone, start_at, end_at, mode, purpose, idempotency_key,
       request_fingerprint, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    [values.instrumentId, values.userId, values.recurrence, values.timeZone, sqlInstant(values.startAt), sqlInstant(values.endAt),
      values.mode, values.purpose, values.idempotencyKey, values.requestFingerprint, sqlInstant(now), sqlInstant(now)],
    { transaction },
  );
  return { id: inserted.insertId, ...values, version: 1, createdAt: now, updatedAt: now };
}

/** Every occurrence of a new series in one statement. */
export async function insertSeriesOccurrences(rows: SeriesOccurrenceRow[], transaction: PlainTransaction): Promise<void> {
  if (rows.length === 0) return;
  await rawQuery(
    db(),
    `INSERT INTO booking_series_occurrences (series_id, occurrence_start, occurrence_end, booking_id, outcome) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
    rows.flatMap((r) => [r.seriesId, sqlInstant(r.occurrenceStart), sqlInstant(r.occurrenceEnd), r.bookingId, r.outcome]),
    { transaction },
  );
}

/** The series a user made under an idempotency key, if any. */
export async function findSeriesByIdempotencyKey(userId: number, key: string, transaction?: PlainTransaction): Promise<BookingSeriesRow | null> {
  const [row] = await rawQuery<BookingSeriesRow[]>(
    db(), `SELECT ${SERIES_COLUMNS} FROM booking_series WHERE user_id = ? AND idempotency_key = ?`, [userId, key], { transaction },
  );
  return row ?? null;
}

/** A series as committed, with its instrument's lab (policies need it), read on the primary before any lock. */
export async function findSeriesWithLab(seriesId: number): Promise<{ series: BookingSeriesRow; labId: number } | null> {
  const [row] = await rawQuery<(BookingSeriesRow & { labIdOfInstrument: number })[]>(
    db(),
    `SELECT ${seriesColumnsOf('s')}, i.lab_id AS labIdOfInstrument
       FROM booking_series s JOIN instruments i ON i.id = s.instrument_id WHERE s.id = ?`,
    [seriesId],
  );
  if (!row) return null;
  const { labIdOfInstrument: labId, ...series } = row;
  return { series, labId };
}

/** Series by id (for loaders). */
export async function findSeriesByIds(ids: readonly number[]): Promise<BookingSeriesRow[]> {
  if (ids.length === 0) return [];
  return rawQuery<BookingSeriesRow[]>(db(), `SELECT ${SERIES_COLUMNS} FROM booking_series WHERE id IN (?)`, [[...ids]]);
}

/** The series row, locked for the rest of the transaction (after the instrument lock, before its bookings). */
export async function lockSeries(seriesId: number, transaction: PlainTransaction): Promise<BookingSeriesRow | null> {
  const [row] = await rawQuery<BookingSeriesRow[]>(db(), `SELECT ${SERIES_COLUMNS} FROM booking_series WHERE id = ? FOR UPDATE`, [seriesId], { transaction });
  return row ?? null;
}

/** The series' bookings in time order, locked for the rest of the transaction. */
export async function lockSeriesBookings(seriesId: number, transaction: PlainTransaction): Promise<BookingRow[]> {
  return rawQuery<BookingRow[]>(db(), `SELECT ${bookingColumnsOf()} FROM bookings WHERE series_id = ? ORDER BY start_at, id FOR UPDATE`, [seriesId], { transaction });
}

/** Bumps the series' version after a decision on the whole series. */
export async function bumpSeriesVersion(series: BookingSeriesRow, transaction: PlainTransaction): Promise<BookingSeriesRow> {
  const now = new Date();
  await rawQuery(db(), 'UPDATE booking_series SET version = version + 1, updated_at = ? WHERE id = ?', [sqlInstant(now), series.id], { transaction });
  return { ...series, version: series.version + 1, updatedAt: now };
}

/** The occurrences of several series in time order (loaders, calendar files, e-mails). */
export async function findSeriesOccurrences(seriesIds: readonly number[], transaction?: PlainTransaction): Promise<SeriesOccurrenceRow[]> {
  if (seriesIds.length === 0) return [];
  return rawQuery<SeriesOccurrenceRow[]>(
    db(), `SELECT ${OCCURRENCE_COLUMNS} FROM booking_series_occurrences WHERE series_id IN (?) ORDER BY series_id, occurrence_start`, [[...seriesIds]],
    { transaction },
  );
}

/** The occurrence a booking was booked for (its RECURRENCE-ID), if it belongs to a series. */
export async function findOccurrenceOfBooking(bookingId: number): Promise<SeriesOccurrenceRow | null> {
  const [row] = await rawQuery<SeriesOccurrenceRow[]>(db(), `SELECT ${OCCURRENCE_COLUMNS} FROM booking_series_occurrences WHERE booking_id = ?`, [bookingId]);
  return row ?? null;
}

/** Bookings of several series in time order (loaders). */
export async function findSeriesBookings(seriesIds: readonly number[], transaction?: PlainTransaction): Promise<BookingRow[]> {
  if (seriesIds.length === 0) return [];
  return rawQuery<BookingRow[]>(db(), `SELECT ${bookingColumnsOf()} FROM bookings WHERE series_id IN (?) ORDER BY start_at, id`, [[...seriesIds]], { transaction });
}

/** Writes the series' own event in the transaction (its bookings' events are written by the booking store). */
export async function recordSeriesEvent(type: SeriesEventType, payload: SeriesEventPayload, transaction: PlainTransaction): Promise<void> {
  await recordEvent({ type, aggregateType: 'booking_series', aggregateId: payload.seriesId, payload: payload as unknown as Record<string, unknown> }, transaction);
}
