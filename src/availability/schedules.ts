// Loads what the scheduling core needs for many instruments over a range, in a fixed number of SQL queries:
// (1) instruments with their labs, (2) the labs' calendar rules (opening hours, blackouts, closure days),
// (3) holding bookings, all three sent at once. Booking commands read (1)-(2) before taking the instrument lock and
// only (3) under it.
import { DateTime, Interval } from 'luxon';
import type { Sequelize } from 'sequelize';
import type { LabRole } from '../db/models/lab-membership';
import { rawQuery, type PlainTransaction } from '../db/raw';
import { sqlInstant } from '../db/sql-instant';
import { publicHolidays } from '../scheduling';
import { DAY_MS, MINUTE_MS } from '../scheduling/zone-time';
import type { Blackout, BusyBooking, ClosedDay, InstrumentSchedule, Weekday, WeeklyWindow } from '../scheduling/types';

/** Longest booking any instrument may allow; bounds the index range scan of the overlap query. */
export const MAX_BOOKING_MINUTES = 14 * 24 * 60;
/** Longest buffer after a booking any instrument may set. */
export const MAX_BUFFER_MINUTES = 24 * 60;

export interface InstrumentFacts {
  id: number;
  labId: number;
  name: string;
  status: 'AVAILABLE' | 'MAINTENANCE' | 'RETIRED';
  requiresApproval: boolean;
  requiresCheckIn: boolean;
  accessPolicy: 'OPEN' | 'MEMBERS' | 'QUALIFIED';
  /** With LoadFactsOptions.roleOfUserId: that user's role in the instrument's lab (null: not a member). */
  viewerRole?: LabRole | null;
  lab: { id: number; name: string; timeZone: string; countryCode: string; observesPublicHolidays: boolean; holidayRegion: string | null };
}

export interface LoadedSchedule {
  instrument: InstrumentFacts;
  schedule: InstrumentSchedule;
}

export interface LoadOptions {
  transaction?: PlainTransaction;
  /** Free/busy for readers, who may see a replica's slightly older state; commands read the primary (the default). */
  replica?: boolean;
  /** Leave this booking out of the busy time (when it is the one being moved). */
  excludeBookingId?: number;
  /** The instruments' after-booking buffer when known (one instrument's facts): default the longest allowed. */
  bufferMinutes?: number;
}

const toInterval = (start: Date, end: Date) =>
  Interval.fromDateTimes(DateTime.fromMillis(start.getTime(), { zone: 'utc' }), DateTime.fromMillis(end.getTime(), { zone: 'utc' }));

export interface InstrumentLabRow {
  id: number; lab_id: number; name: string; status: InstrumentFacts['status']; requires_approval: number; requires_check_in: number;
  access_policy: InstrumentFacts['accessPolicy']; slot_minutes: number; min_minutes: number; max_minutes: number;
  min_notice_minutes: number; max_advance_days: number; buffer_after_minutes: number;
  lab_name: string; time_zone: string; country_code: string; observes_public_holidays: number; holiday_region: string | null;
  viewer_role?: LabRole | null;
}

export interface LoadFactsOptions {
  transaction?: PlainTransaction;
  /** See LoadOptions.replica. */
  replica?: boolean;
  /** Also read this user's role in each instrument's lab, in the same statement (booking commands need it). */
  roleOfUserId?: number;
  /** The language public holidays are named in (a refusal quotes them to the person booking); English if not given. */
  holidayLanguage?: string;
}

export type ScheduleFacts = Omit<InstrumentSchedule, 'bookings'>;
export type CalendarRuleRow = {
  kind: 'HOURS' | 'BLACKOUT' | 'CLOSURE'; lab_id: number | string; instrument_id: number | string | null;
  weekday: number | string | null; start_minute: number | string | null; end_minute: number | string | null;
  start_at: Date | null; end_at: Date | null; day: string | null; reason: string | null;
};

const LABS_OF = 'SELECT lab_id FROM instruments WHERE id IN (?)';

/**
 * Opening hours, blackouts overlapping the range and closure days near it, for the labs of the given instruments
 * (and those instruments' own rules), as one UNION. Exported so the benchmark's bare baseline sends the same SQL.
 */
export const CALENDAR_RULES_SQL = `SELECT 'HOURS' AS kind, lab_id, instrument_id, weekday, start_minute, end_minute,
            NULL AS start_at, NULL AS end_at, NULL AS day, NULL AS reason FROM opening_hours
      WHERE lab_id IN (${LABS_OF}) AND (instrument_id IS NULL OR instrument_id IN (?))
     UNION ALL
     SELECT 'BLACKOUT', lab_id, instrument_id, NULL, NULL, NULL, start_at, end_at, NULL, reason FROM blackouts
      WHERE lab_id IN (${LABS_OF}) AND (instrument_id IS NULL OR instrument_id IN (?)) AND start_at < ? AND end_at > ?
     UNION ALL
     SELECT 'CLOSURE', lab_id, NULL, NULL, NULL, NULL, NULL, NULL, DATE_FORMAT(day, '%Y-%m-%d'), reason FROM lab_closures
      WHERE lab_id IN (${LABS_OF}) AND day BETWEEN ? AND ?`;

/** The parameters of CALENDAR_RULES_SQL. Days are padded by one on each side: a lab-local day can begin up to 14 hours before its UTC date. */
export function calendarRulesParams(ids: number[], range: Interval): unknown[] {
  const start = (range.start as DateTime).toMillis();
  const end = (range.end as DateTime).toMillis();
  // UTC dates (not the dates in whatever offset the range was given in), so one day of padding always suffices.
  const fromDay = new Date(start - DAY_MS).toISOString().slice(0, 10);
  const toDay = new Date(end + DAY_MS).toISOString().slice(0, 10);
  return [ids, ids, ids, ids, sqlInstant(end), sqlInstant(start), ids, fromDay, toDay];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The instruments with their labs (and, given a user id as the first parameter, that user's role in each lab). */
export function instrumentFactsSql(withRoleOfUser: boolean): string {
  return `SELECT i.id, i.lab_id, i.name, i.status, i.requires_approval, i.requires_check_in, i.access_policy, i.slot_minutes,
              i.min_minutes, i.max_minutes, i.min_notice_minutes, i.max_advance_days, i.buffer_after_minutes,
              l.name AS lab_name, l.time_zone, l.country_code, l.observes_public_holidays, l.holiday_region${
                withRoleOfUser ? ',\n              (SELECT m.role FROM lab_memberships m WHERE m.user_id = ? AND m.lab_id = i.lab_id LIMIT 1) AS viewer_role' : ''
              }
         FROM instruments i JOIN labs l ON l.id = i.lab_id
        WHERE i.id IN (?)`;
}

/**
 * Everything but the bookings: the instruments with their labs, and their calendar rules, in two queries sent at once
 * (the labs are reached through a subquery, so neither query waits for the other).
 */
export async function loadScheduleFacts(
  sequelize: Sequelize,
  instrumentIds: number[],
  range: Interval,
  options: LoadFactsOptions = {},
): Promise<Map<number, { instrument: InstrumentFacts; schedule: ScheduleFacts }>> {
  if (instrumentIds.length === 0) return new Map();
  const { transaction, roleOfUserId } = options;
  const ids = [...new Set(instrumentIds)];
  const raw = { transaction, type: options.replica ? ('read' as const) : ('write' as const) };
  const [instruments, rules] = await Promise.all([
    rawQuery<InstrumentLabRow[]>(sequelize, instrumentFactsSql(roleOfUserId !== undefined), roleOfUserId === undefined ? [ids] : [roleOfUserId, ids], raw),
    rawQuery<CalendarRuleRow[]>(sequelize, CALENDAR_RULES_SQL, calendarRulesParams(ids, range), raw),
  ]);
  return scheduleFactsFromRows(instruments, rules, range, roleOfUserId !== undefined, options.holidayLanguage);
}

/** The rows of instrumentFactsSql and CALENDAR_RULES_SQL as the scheduling core's schedules (without bookings). */
export function scheduleFactsFromRows(
  instruments: InstrumentLabRow[],
  rules: CalendarRuleRow[],
  range: Interval,
  withViewerRole: boolean,
  holidayLanguage = 'en',
): Map<number, { instrument: InstrumentFacts; schedule: ScheduleFacts }> {
  const ownHours = new Map<number, WeeklyWindow[]>();
  const labHours = new Map<number, WeeklyWindow[]>();
  const closuresByLab = new Map<number, ClosedDay[]>();
  const labBlackouts = new Map<number, Blackout[]>();
  const instrumentBlackouts = new Map<number, Blackout[]>();
  for (const row of rules) {
    // Number(): MariaDB types the columns of this UNION so that mysql2 may hand numbers back as strings.
    const labId = Number(row.lab_id);
    if (row.kind === 'HOURS') {
      const window: WeeklyWindow = { weekday: Number(row.weekday) as Weekday, startMinute: Number(row.start_minute), endMinute: Number(row.end_minute) };
      if (row.instrument_id === null) push(labHours, labId, window);
      else push(ownHours, Number(row.instrument_id), window);
    } else if (row.kind === 'CLOSURE') {
      push(closuresByLab, labId, { date: row.day as string, reason: row.reason || 'Lab closed', kind: 'CLOSURE' });
    } else {
      const blackout = { interval: toInterval(row.start_at as Date, row.end_at as Date), reason: row.reason || 'Blackout' };
      if (row.instrument_id === null) push(labBlackouts, labId, blackout);
      else push(instrumentBlackouts, Number(row.instrument_id), blackout);
    }
  }

  const result = new Map<number, { instrument: InstrumentFacts; schedule: ScheduleFacts }>();
  for (const row of instruments) {
    const closedDays: ClosedDay[] = [...(closuresByLab.get(row.lab_id) ?? [])];
    if (row.observes_public_holidays) {
      closedDays.push(...publicHolidays(row.country_code, row.holiday_region ?? undefined, range, row.time_zone, holidayLanguage));
    }
    result.set(row.id, {
      instrument: {
        id: row.id,
        labId: row.lab_id,
        name: row.name,
        status: row.status,
        requiresApproval: Boolean(row.requires_approval),
        requiresCheckIn: Boolean(row.requires_check_in),
        accessPolicy: row.access_policy,
        ...(withViewerRole ? { viewerRole: row.viewer_role ?? null } : {}),
        lab: {
          id: row.lab_id, name: row.lab_name, timeZone: row.time_zone, countryCode: row.country_code,
          observesPublicHolidays: Boolean(row.observes_public_holidays), holidayRegion: row.holiday_region,
        },
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
      },
    });
  }
  return result;
}

/**
 * PENDING and CONFIRMED bookings that can touch `range`, per instrument. The range is widened by the longest possible
 * buffer, and start_at is bounded on both sides so the (instrument_id, start_at, end_at) index range stays short
 * however long the table's history grows.
 */
export async function loadHoldingBookings(
  sequelize: Sequelize,
  instrumentIds: number[],
  range: Interval,
  options: LoadOptions = {},
): Promise<Map<number, BusyBooking[]>> {
  return holdingBookingsByInstrument(await loadHoldingBookingRows(sequelize, instrumentIds, range, options), options);
}

/** A holding booking as the overlap query reads it; user and idempotency key let a booking command spot its own replay. */
export interface HoldingBookingRow {
  id: number;
  instrument_id: number;
  user_id: number;
  idempotency_key: string | null;
  start_at: Date;
  end_at: Date;
}

/** PENDING and CONFIRMED bookings of the given instruments whose span can touch a range (see holdingBookingsParams). */
export const HOLDING_BOOKINGS_SQL = `SELECT id, instrument_id, user_id, idempotency_key, start_at, end_at FROM bookings
      WHERE instrument_id IN (?) AND start_at < ? AND start_at > ? AND end_at > ?
        AND status IN ('PENDING', 'CONFIRMED')`;

/**
 * The parameters of HOLDING_BOOKINGS_SQL: the range widened by the buffer (by default the longest any instrument may
 * set; a command about one instrument passes that instrument's own, so it reads only the bookings that can conflict),
 * start_at bounded on both sides.
 */
export function holdingBookingsParams(instrumentIds: number[], range: Interval, bufferMinutes = MAX_BUFFER_MINUTES): unknown[] {
  const widen = Math.min(Math.max(bufferMinutes, 0), MAX_BUFFER_MINUTES) * MINUTE_MS;
  const busyFrom = (range.start as DateTime).toMillis() - widen;
  const busyTo = (range.end as DateTime).toMillis() + widen;
  return [[...new Set(instrumentIds)], sqlInstant(busyTo), sqlInstant(busyFrom - MAX_BOOKING_MINUTES * MINUTE_MS), sqlInstant(busyFrom)];
}

/** The rows behind loadHoldingBookings. */
export async function loadHoldingBookingRows(
  sequelize: Sequelize,
  instrumentIds: number[],
  range: Interval,
  options: LoadOptions = {},
): Promise<HoldingBookingRow[]> {
  if (instrumentIds.length === 0) return [];
  // Under a booking's lock this reads the primary (the transaction's connection); free/busy readers ask for a replica.
  return rawQuery<HoldingBookingRow[]>(sequelize, HOLDING_BOOKINGS_SQL, holdingBookingsParams(instrumentIds, range, options.bufferMinutes), {
    transaction: options.transaction,
    type: options.replica ? 'read' : 'write',
  });
}

/** Groups holding booking rows by instrument as the scheduling core takes them. */
export function holdingBookingsByInstrument(rows: HoldingBookingRow[], options: Pick<LoadOptions, 'excludeBookingId'> = {}): Map<number, BusyBooking[]> {
  const result = new Map<number, BusyBooking[]>();
  for (const row of rows) {
    if (row.id !== options.excludeBookingId) push(result, row.instrument_id, { interval: toInterval(row.start_at, row.end_at) });
  }
  return result;
}

/** Facts and bookings together: the whole schedule of each instrument, three queries sent at once. */
export async function loadSchedules(
  sequelize: Sequelize,
  instrumentIds: number[],
  range: Interval,
  options: LoadOptions = {},
): Promise<Map<number, LoadedSchedule>> {
  const [facts, bookings] = await Promise.all([
    loadScheduleFacts(sequelize, instrumentIds, range, options),
    loadHoldingBookings(sequelize, instrumentIds, range, options),
  ]);
  return withBookings(facts, bookings);
}

export function withBookings(
  facts: Map<number, { instrument: InstrumentFacts; schedule: ScheduleFacts }>,
  bookings: Map<number, BusyBooking[]>,
): Map<number, LoadedSchedule> {
  const result = new Map<number, LoadedSchedule>();
  for (const [id, fact] of facts) {
    result.set(id, { instrument: fact.instrument, schedule: { ...fact.schedule, bookings: bookings.get(id) ?? [] } });
  }
  return result;
}
