// The booking command of src/booking/request-booking.ts, statement for statement, through bare mysql2:
// idempotency look-up; the two schedule-fact queries (the lab role read with the instrument), before the lock;
// then a transaction (READ COMMITTED is the pool's session default, as the application's), the instrument row lock,
// the holding bookings (a replay of the same key shows up among them), the same pure validateBooking,
// INSERT booking, history and outbox event; COMMIT.
import { createHash, randomUUID } from 'node:crypto';
import { DateTime, Interval } from 'luxon';
import type mysql from 'mysql2/promise';
import { bookingColumnsOf } from '../../src/booking/columns';
import { validateBooking } from '../../src/scheduling';
import { holdingBookingsByInstrument, withBookings } from '../../src/availability/schedules';
import { bareLoadHoldingRows, bareLoadScheduleFacts } from './bare-schedules';

export interface BareBookingRequest {
  userId: number;
  instrumentId: number;
  /** ISO instants */
  start: string;
  end: string;
  purpose: string;
  idempotencyKey: string;
}

export type BareOutcome = 'CONFIRMED' | 'PENDING' | 'REPLAYED' | string;

const RETRYABLE = new Set([1213, 1205, 1020, 1180]);
const MAX_ATTEMPTS = 6;

const BOOKING_COLUMNS = bookingColumnsOf();

function fingerprint(r: BareBookingRequest, start: DateTime, end: DateTime): string {
  return createHash('sha256').update(JSON.stringify([r.instrumentId, start.toMillis(), end.toMillis(), r.purpose])).digest('hex');
}

async function replay(db: Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>, r: BareBookingRequest): Promise<boolean> {
  const [rows] = await db.query(`SELECT ${BOOKING_COLUMNS} FROM bookings WHERE user_id = ? AND idempotency_key = ? LIMIT 1`, [r.userId, r.idempotencyKey]);
  return (rows as unknown[]).length > 0;
}

export async function bareRequestBooking(pool: mysql.Pool, r: BareBookingRequest, now: DateTime): Promise<BareOutcome> {
  const start = DateTime.fromISO(r.start, { zone: 'utc' });
  const end = DateTime.fromISO(r.end, { zone: 'utc' });
  if (await replay(pool, r)) return 'REPLAYED';
  const range = Interval.fromDateTimes(start, end);
  const facts = await bareLoadScheduleFacts(pool, [r.instrumentId], range, r.userId);
  const fact = facts.get(r.instrumentId);
  if (!fact) return 'NOT_FOUND';
  const managesLab = fact.instrument.viewerRole === 'MANAGER';
  for (let attempt = 1; ; attempt += 1) {
    const conn = await pool.getConnection();
    try {
      await conn.query('START TRANSACTION');
      const [lock] = await conn.query('UPDATE instruments SET booking_seq = booking_seq + 1 WHERE id = ?', [r.instrumentId]);
      if ((lock as mysql.ResultSetHeader).affectedRows === 0) {
        await conn.query('ROLLBACK');
        return 'NOT_FOUND';
      }
      const holding = await bareLoadHoldingRows(conn, [r.instrumentId], range, fact.schedule.rules.bufferAfterMinutes);
      if (holding.some((b) => b.user_id === r.userId && b.idempotency_key === r.idempotencyKey) && (await replay(conn, r))) {
        await conn.query('COMMIT');
        return 'REPLAYED';
      }
      const loaded = withBookings(new Map([[r.instrumentId, fact]]), holdingBookingsByInstrument(holding)).get(r.instrumentId)!;
      const violations = validateBooking(loaded.schedule, { start, end }, { now, viewerZone: loaded.schedule.zone });
      if (violations.length) {
        await conn.query('ROLLBACK');
        return violations[0].code;
      }
      const status = loaded.instrument.requiresApproval && !managesLab ? 'PENDING' : 'CONFIRMED';
      const at = new Date();
      const [inserted] = await conn.execute(
        'INSERT INTO bookings (instrument_id, user_id, start_at, end_at, status, purpose, idempotency_key, request_fingerprint, series_id, group_id, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
        [r.instrumentId, r.userId, start.toJSDate(), end.toJSDate(), status, r.purpose, r.idempotencyKey, fingerprint(r, start, end), null, null, 1, at, at],
      );
      const bookingId = (inserted as mysql.ResultSetHeader).insertId;
      await conn.execute(
        'INSERT INTO booking_history (booking_id, actor_user_id, from_status, to_status, note, created_at) VALUES (?,?,?,?,?,?)',
        [bookingId, r.userId, null, status, null, at],
      );
      const payload = {
        bookingId, instrumentId: r.instrumentId, userId: r.userId, status, previousStatus: null,
        start: start.toJSDate().toISOString(), end: end.toJSDate().toISOString(), version: 1, actorUserId: r.userId, note: null,
      };
      await conn.execute(
        'INSERT INTO outbox_events (event_id, type, aggregate_type, aggregate_id, payload, created_at, dispatch_attempts) VALUES (?,?,?,?,?,?,?)',
        [randomUUID(), status === 'PENDING' ? 'booking.requested' : 'booking.confirmed', 'booking', String(bookingId), JSON.stringify(payload), at, 0],
      );
      await conn.query('COMMIT');
      return status;
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      const errno = (error as { errno?: number }).errno;
      if (errno === undefined || !RETRYABLE.has(errno) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * attempt) + 5));
    } finally {
      conn.release();
    }
  }
}
