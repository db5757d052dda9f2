// The baselines' loader: the SQL src/availability/schedules.ts issues, sent through bare mysql2, mapped to the
// same plain InstrumentSchedule the pure scheduling core takes. No Sequelize, no GraphQL.
import { DateTime, Interval } from 'luxon';
import type mysql from 'mysql2/promise';
import { CALENDAR_RULES_SQL, calendarRulesParams } from '../../src/availability/schedules';
import { publicHolidays } from '../../src/scheduling';
import type { ClosedDay, InstrumentSchedule, Weekday } from '../../src/scheduling/types';

export const MAX_BOOKING_MINUTES = 14 * 24 * 60;
export const MAX_BUFFER_MINUTES = 24 * 60;

export interface BareInstrument {
  id: number;
  labId: number;
  name: string;
  status: 'AVAILABLE' | 'MAINTENANCE' | 'RETIRED';
  requiresApproval: boolean;
  accessPolicy: 'OPEN' | 'MEMBERS' | 'QUALIFIED';
  zone: string;
  /** With roleOfUserId: that user's role in the lab (null: not a member). */
  viewerRole?: string | null;
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Everything but the bookings, two statements sent at once, as loadScheduleFacts (the calendar-rules SQL is the application's own). */
export async function bareLoadScheduleFacts(db: Queryable, instrumentIds: number[], range: Interval, roleOfUserId?: number): Promise<Map<number, BareSchedule>> {
  const out = new Map<number, BareSchedule>();
  if (instrumentIds.length === 0) return out;
  const ids = [...new Set(instrumentIds)];
  const rangeStart = range.start as DateTime;
  const rangeEnd = range.end as DateTime;
  const [instruments, rules] = await Promise.all([
    select(
      db,
      `SELECT i.id, i.lab_id, i.name, i.status, i.requires_approval, i.requires_check_in, i.access_policy, i.slot_minutes,
              i.min_minutes, i.max_minutes, i.min_notice_minutes, i.max_advance_days, i.buffer_after_minutes,
              l.name AS lab_name, l.time_zone, l.country_code, l.observes_public_holidays, l.holiday_region${
                roleOfUserId === undefined ? '' : ',\n              (SELECT m.role FROM lab_memberships m WHERE m.user_id = ? AND m.lab_id = i.lab_id LIMIT 1) AS viewer_role'
              }
         FROM instruments i JOIN labs l ON l.id = i.lab_id
        WHERE i.id IN (?)`,
      roleOfUserId === undefined ? [ids] : [roleOfUserId, ids],
    ),
    select(db, CALENDAR_RULES_SQL, calendarRulesParams(ids, rangeStart, rangeEnd)),
  ]);
  const ownHours = new Map<number, InstrumentSchedule['openingHours']>();
  const labHours = new Map<number, InstrumentSchedule['openingHours']>();
  const closuresByLab = new Map<number, ClosedDay[]>();
  const labBlackouts = new Map<number, InstrumentSchedule['blackouts']>();
  const instrumentBlackouts = new Map<number, InstrumentSchedule['blackouts']>();
  for (const c of rules) {
    const labId = Number(c.lab_id);
    if (c.kind === 'HOURS') {
      const window = { weekday: Number(c.weekday) as Weekday, startMinute: Number(c.start_minute), endMinute: Number(c.end_minute) };
      if (c.instrument_id === null) push(labHours, labId, window);
      else push(ownHours, Number(c.instrument_id), window);
    } else if (c.kind === 'CLOSURE') {
      push(closuresByLab, labId, { date: c.day as string, reason: c.reason || 'Lab closed', kind: 'CLOSURE' });
    } else {
      const blackout = { interval: Interval.fromDateTimes(utc(c.start_at), utc(c.end_at)), reason: c.reason || 'Blackout' };
      if (c.instrument_id === null) push(labBlackouts, labId, blackout);
      else push(instrumentBlackouts, Number(c.instrument_id), blackout);
    }
  }
  for (const row of instruments) {
    const closedDays: ClosedDay[] = [...(closuresByLab.get(row.lab_id) ?? [])];
    if (row.observes_public_holidays) closedDays.push(...publicHolidays(row.country_code, row.holiday_region ?? undefined, range, row.time_zone));
    out.set(row.id, {
      instrument: {
        id: row.id, labId: row.lab_id, name: row.name, status: row.status, requiresApproval: Boolean(row.requires_approval),
        accessPolicy: row.access_policy, zone: row.time_zone,
        ...(roleOfUserId === undefined ? {} : { viewerRole: row.viewer_role ?? null }),
      },
      schedule: {
        zone: row.time_zone,
        openingHours: ownHours.get(row.id) ?? labHours.get(row.lab_id) ?? [],
        rules: {
          slotMinutes: row.slot_minutes, minMinutes: row.min_minutes, maxMinutes: row.max_minutes,
          minNoticeMinutes: row.min_notice_minutes, maxAdvanceDays: row.max_advance_days, bufferAfterMinutes: row.buffer_after_minutes,
        },
        status: row.status,
        blackouts: [...(labBlackouts.get(row.lab_id) ?? []), ...(instrumentBlackouts.get(row.id) ?? [])],
        closedDays,
        bookings: [],
      },
    });
  }
  return out;
}

export interface BareHoldingRow {
  id: number;
  instrument_id: number;
  user_id: number;
  idempotency_key: string | null;
  start_at: Date;
  end_at: Date;
}

/** Holding bookings, one statement, widened by the longest buffer, as loadHoldingBookingRows. */
export async function bareLoadHoldingRows(db: Queryable, instrumentIds: number[], range: Interval): Promise<BareHoldingRow[]> {
  if (instrumentIds.length === 0) return [];
  const busyFrom = (range.start as DateTime).minus({ minutes: MAX_BUFFER_MINUTES });
  const busyTo = (range.end as DateTime).plus({ minutes: MAX_BUFFER_MINUTES });
  return (await select(
    db,
    `SELECT id, instrument_id, user_id, idempotency_key, start_at, end_at FROM bookings
      WHERE instrument_id IN (?) AND start_at < ? AND start_at > ? AND end_at > ?
        AND status IN ('PENDING', 'CONFIRMED')`,
    [[...new Set(instrumentIds)], busyTo.toJSDate(), busyFrom.minus({ minutes: MAX_BOOKING_MINUTES }).toJSDate(), busyFrom.toJSDate()],
  )) as BareHoldingRow[];
}

export function bareBookingsByInstrument(rows: BareHoldingRow[]): Map<number, InstrumentSchedule['bookings']> {
  const out = new Map<number, InstrumentSchedule['bookings']>();
  for (const b of rows) push(out, b.instrument_id, { interval: Interval.fromDateTimes(utc(b.start_at), utc(b.end_at)) });
  return out;
}

/** Holding bookings per instrument, as loadHoldingBookings. */
export async function bareLoadHoldingBookings(db: Queryable, instrumentIds: number[], range: Interval): Promise<Map<number, InstrumentSchedule['bookings']>> {
  return bareBookingsByInstrument(await bareLoadHoldingRows(db, instrumentIds, range));
}

export function bareWithBookings(facts: Map<number, BareSchedule>, bookings: Map<number, InstrumentSchedule['bookings']>): Map<number, BareSchedule> {
  for (const [id, fact] of facts) fact.schedule.bookings = bookings.get(id) ?? [];
  return facts;
}

/** Three statements sent at once for any number of instruments, as the application's loadSchedules. */
export async function bareLoadSchedules(db: Queryable, instrumentIds: number[], range: Interval): Promise<Map<number, BareSchedule>> {
  const [facts, bookings] = await Promise.all([bareLoadScheduleFacts(db, instrumentIds, range), bareLoadHoldingBookings(db, instrumentIds, range)]);
  return bareWithBookings(facts, bookings);
}
