// The baselines' loader: the statements src/availability/schedules.ts issues (its own SQL and parameters), sent
// through bare mysql2 instead of the pool behind Sequelize, and mapped by the same row mappers to the same plain
// InstrumentSchedule the pure scheduling core takes. No Sequelize, no GraphQL.
import type { Interval } from 'luxon';
import type mysql from 'mysql2/promise';
import {
  CALENDAR_RULES_SQL, HOLDING_BOOKINGS_SQL, calendarRulesParams, holdingBookingsByInstrument, holdingBookingsParams, instrumentFactsSql,
  scheduleFactsFromRows, withBookings, type CalendarRuleRow, type HoldingBookingRow, type InstrumentLabRow, type LoadedSchedule,
  type ScheduleFacts, type InstrumentFacts,
} from '../../src/availability/schedules';

export type BareFacts = Map<number, { instrument: InstrumentFacts; schedule: ScheduleFacts }>;

/** A pool or one connection (inside a transaction). */
type Queryable = Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>;

async function select<T>(db: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  const [rows] = await db.query(sql, params);
  return rows as T[];
}

/** Everything but the bookings, two statements sent at once, as loadScheduleFacts (with the user's lab role if given). */
export async function bareLoadScheduleFacts(db: Queryable, instrumentIds: number[], range: Interval, roleOfUserId?: number): Promise<BareFacts> {
  if (instrumentIds.length === 0) return new Map();
  const ids = [...new Set(instrumentIds)];
  const [instruments, rules] = await Promise.all([
    select<InstrumentLabRow>(db, instrumentFactsSql(roleOfUserId !== undefined), roleOfUserId === undefined ? [ids] : [roleOfUserId, ids]),
    select<CalendarRuleRow>(db, CALENDAR_RULES_SQL, calendarRulesParams(ids, range)),
  ]);
  return scheduleFactsFromRows(instruments, rules, range, roleOfUserId !== undefined);
}

/** Holding bookings, one statement, as loadHoldingBookingRows (with the instrument's own buffer when given). */
export async function bareLoadHoldingRows(db: Queryable, instrumentIds: number[], range: Interval, bufferMinutes?: number): Promise<HoldingBookingRow[]> {
  if (instrumentIds.length === 0) return [];
  return select<HoldingBookingRow>(db, HOLDING_BOOKINGS_SQL, holdingBookingsParams(instrumentIds, range, bufferMinutes));
}

/** Three statements sent at once for any number of instruments, as the application's loadSchedules. */
export async function bareLoadSchedules(db: Queryable, instrumentIds: number[], range: Interval): Promise<Map<number, LoadedSchedule>> {
  const [facts, holding] = await Promise.all([bareLoadScheduleFacts(db, instrumentIds, range), bareLoadHoldingRows(db, instrumentIds, range)]);
  return withBookings(facts, holdingBookingsByInstrument(holding));
}
