// The baselines' loader: the SQL src/availability/schedules.ts issues, sent through bare mysql2, mapped to the
// same plain InstrumentSchedule the pure scheduling core takes. No Sequelize, no GraphQL.
import { DateTime, Interval } from 'luxon';
import type mysql from 'mysql2/promise';
import { publicHolidays } from '../../src/scheduling';
import type { ClosedDay, InstrumentSchedule, Weekday } from '../../src/scheduling/types';

export const MAX_BOOKING_MINUTES = 14 * 24 * 60;

export interface BareInstrument {
  id: number;
  labId: number;
  name: string;
  status: 'AVAILABLE' | 'MAINTENANCE' | 'RETIRED';
  requiresApproval: boolean;
  accessPolicy: 'OPEN' | 'MEMBERS' | 'QUALIFIED';
  zone: string;
}

export interface BareSchedule {
  instrument: BareInstrument;
  schedule: InstrumentSchedule;
}

/** A pool or one connection (inside a transaction). */
type Queryable = Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>;

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const utc = (d: Date) => DateTime.fromMillis(d.getTime(), { zone: 'utc' });

async function select(db: Queryable, sql: string, params: unknown[]): Promise<Row[]> {
  const [rows] = await db.query(sql, params);
  return rows as Row[];
}

/** Four statements for any number of instruments, as the application's loader. */
export async function bareLoadSchedules(db: Queryable, instrumentIds: number[], range: Interval): Promise<Map<number, BareSchedule>> {
  const out = new Map<number, BareSchedule>();
  if (instrumentIds.length === 0) return out;
  const ids = [...new Set(instrumentIds)];
  const instruments = await select(
    db,
    `SELECT i.id, i.lab_id, i.name, i.status, i.requires_approval, i.requires_check_in, i.access_policy, i.slot_minutes,
            i.min_minutes, i.max_minutes, i.min_notice_minutes, i.max_advance_days, i.buffer_after_minutes,
            l.name AS lab_name, l.time_zone, l.country_code, l.observes_public_holidays, l.holiday_region
       FROM instruments i JOIN labs l ON l.id = i.lab_id
      WHERE i.id IN (?)`,
    [ids],
  );
  if (instruments.length === 0) return out;
  const labIds = [...new Set(instruments.map((i) => i.lab_id as number))];
  const maxBuffer = Math.max(...instruments.map((i) => i.buffer_after_minutes as number));
  const rangeStart = range.start as DateTime;
  const rangeEnd = range.end as DateTime;
  const fromDay = rangeStart.minus({ days: 1 }).toISODate();
  const toDay = rangeEnd.plus({ days: 1 }).toISODate();
  const busyFrom = rangeStart.minus({ minutes: maxBuffer }).toJSDate();
  const busyTo = rangeEnd.plus({ minutes: maxBuffer }).toJSDate();
  const earliestStart = new Date(busyFrom.getTime() - MAX_BOOKING_MINUTES * 60_000);

  const [hours, closures, bookings] = await Promise.all([
    select(
      db,
      `SELECT lab_id, instrument_id, weekday, start_minute, end_minute FROM opening_hours
        WHERE lab_id IN (?) AND (instrument_id IS NULL OR instrument_id IN (?))`,
      [labIds, ids],
    ),
    select(
      db,
      `SELECT 'BLACKOUT' AS kind, lab_id, instrument_id, start_at, end_at, NULL AS day, reason FROM blackouts
        WHERE lab_id IN (?) AND (instrument_id IS NULL OR instrument_id IN (?)) AND start_at < ? AND end_at > ?
       UNION ALL
       SELECT 'CLOSURE', lab_id, NULL, NULL, NULL, DATE_FORMAT(day, '%Y-%m-%d'), reason FROM lab_closures
        WHERE lab_id IN (?) AND day BETWEEN ? AND ?`,
      [labIds, ids, rangeEnd.toJSDate(), rangeStart.toJSDate(), labIds, fromDay, toDay],
    ),
    select(
      db,
      `SELECT id, instrument_id, start_at, end_at FROM bookings
        WHERE instrument_id IN (?) AND start_at < ? AND start_at > ? AND end_at > ?
          AND status IN ('PENDING', 'CONFIRMED')`,
      [ids, busyTo, earliestStart, busyFrom],
    ),
  ]);

  for (const row of instruments) {
    const own = hours.filter((h) => h.instrument_id === row.id);
    const windows = (own.length ? own : hours.filter((h) => h.instrument_id === null && h.lab_id === row.lab_id)).map((h) => ({
      weekday: h.weekday as Weekday, startMinute: h.start_minute as number, endMinute: h.end_minute as number,
    }));
    const closedDays: ClosedDay[] = closures
      .filter((c) => c.kind === 'CLOSURE' && c.lab_id === row.lab_id)
      .map((c) => ({ date: c.day as string, reason: c.reason || 'Lab closed', kind: 'CLOSURE' }));
    if (row.observes_public_holidays) closedDays.push(...publicHolidays(row.country_code, row.holiday_region ?? undefined, range, row.time_zone));
    out.set(row.id, {
      instrument: {
        id: row.id, labId: row.lab_id, name: row.name, status: row.status, requiresApproval: Boolean(row.requires_approval),
        accessPolicy: row.access_policy, zone: row.time_zone,
      },
      schedule: {
        zone: row.time_zone,
        openingHours: windows,
        rules: {
          slotMinutes: row.slot_minutes, minMinutes: row.min_minutes, maxMinutes: row.max_minutes,
          minNoticeMinutes: row.min_notice_minutes, maxAdvanceDays: row.max_advance_days, bufferAfterMinutes: row.buffer_after_minutes,
        },
        status: row.status,
        blackouts: closures
          .filter((b) => b.kind === 'BLACKOUT' && b.lab_id === row.lab_id && (b.instrument_id === null || b.instrument_id === row.id))
          .map((b) => ({ interval: Interval.fromDateTimes(utc(b.start_at), utc(b.end_at)), reason: b.reason || 'Blackout' })),
        closedDays,
        bookings: bookings
          .filter((b) => b.instrument_id === row.id)
          .map((b) => ({ interval: Interval.fromDateTimes(utc(b.start_at), utc(b.end_at)) })),
      },
    });
  }
  return out;
}
