// Loads what the scheduling core needs for many instruments over a range, in a fixed number of SQL queries:
// (1) instruments with their labs, (2) opening hours, (3) blackouts and closure days, (4) holding bookings.
import { DateTime, Interval } from 'luxon';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { publicHolidays } from '../scheduling';
import type { ClosedDay, InstrumentSchedule, Weekday, WeeklyWindow } from '../scheduling/types';

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
  lab: { id: number; name: string; timeZone: string; countryCode: string; observesPublicHolidays: boolean; holidayRegion: string | null };
}

export interface LoadedSchedule {
  instrument: InstrumentFacts;
  schedule: InstrumentSchedule;
}

export interface LoadOptions {
  transaction?: Transaction;
  /** Leave this booking out of the busy time (when it is the one being moved). */
  excludeBookingId?: number;
}

const toInterval = (start: Date, end: Date) =>
  Interval.fromDateTimes(DateTime.fromMillis(start.getTime(), { zone: 'utc' }), DateTime.fromMillis(end.getTime(), { zone: 'utc' }));

interface InstrumentLabRow {
  id: number; lab_id: number; name: string; status: InstrumentFacts['status']; requires_approval: number; requires_check_in: number;
  access_policy: InstrumentFacts['accessPolicy']; slot_minutes: number; min_minutes: number; max_minutes: number;
  min_notice_minutes: number; max_advance_days: number; buffer_after_minutes: number;
  lab_name: string; time_zone: string; country_code: string; observes_public_holidays: number; holiday_region: string | null;
}

/** Schedules for the given instruments over `range` (UTC). Missing instruments are absent from the map. */
export async function loadSchedules(
  sequelize: Sequelize,
  instrumentIds: number[],
  range: Interval,
  options: LoadOptions = {},
): Promise<Map<number, LoadedSchedule>> {
  const result = new Map<number, LoadedSchedule>();
  if (instrumentIds.length === 0) return result;
  const { transaction } = options;
  const ids = [...new Set(instrumentIds)];

  const instruments = await sequelize.query<InstrumentLabRow>(
    `SELECT i.id, i.lab_id, i.name, i.status, i.requires_approval, i.requires_check_in, i.access_policy, i.slot_minutes,
            i.min_minutes, i.max_minutes, i.min_notice_minutes, i.max_advance_days, i.buffer_after_minutes,
            l.name AS lab_name, l.time_zone, l.country_code, l.observes_public_holidays, l.holiday_region
       FROM instruments i JOIN labs l ON l.id = i.lab_id
      WHERE i.id IN (:ids)`,
    { replacements: { ids }, type: QueryTypes.SELECT, transaction },
  );
  if (instruments.length === 0) return result;
  const labIds = [...new Set(instruments.map((i) => i.lab_id))];
  const maxBuffer = Math.max(...instruments.map((i) => i.buffer_after_minutes));
  const rangeStart = range.start as DateTime;
  const rangeEnd = range.end as DateTime;
  // Days are padded by one on each side: a lab-local day can begin up to 14 hours before its UTC date.
  const fromDay = rangeStart.minus({ days: 1 }).toISODate() as string;
  const toDay = rangeEnd.plus({ days: 1 }).toISODate() as string;
  const busyFrom = rangeStart.minus({ minutes: maxBuffer }).toJSDate();
  const busyTo = rangeEnd.plus({ minutes: maxBuffer }).toJSDate();

  const [hours, closures, bookings] = await Promise.all([
    sequelize.query<{ lab_id: number; instrument_id: number | null; weekday: number; start_minute: number; end_minute: number }>(
      `SELECT lab_id, instrument_id, weekday, start_minute, end_minute FROM opening_hours
        WHERE lab_id IN (:labIds) AND (instrument_id IS NULL OR instrument_id IN (:ids))`,
      { replacements: { labIds, ids }, type: QueryTypes.SELECT, transaction },
    ),
    // Blackouts (instants) and closure days (lab-local dates) in one round trip.
    sequelize.query<{ kind: 'BLACKOUT' | 'CLOSURE'; lab_id: number; instrument_id: number | string | null; start_at: Date | null; end_at: Date | null; day: string | null; reason: string }>(
      `SELECT 'BLACKOUT' AS kind, lab_id, instrument_id, start_at, end_at, NULL AS day, reason FROM blackouts
        WHERE lab_id IN (:labIds) AND (instrument_id IS NULL OR instrument_id IN (:ids)) AND start_at < :to AND end_at > :from
       UNION ALL
       SELECT 'CLOSURE', lab_id, NULL, NULL, NULL, DATE_FORMAT(day, '%Y-%m-%d'), reason FROM lab_closures
        WHERE lab_id IN (:labIds) AND day BETWEEN :fromDay AND :toDay`,
      { replacements: { labIds, ids, from: rangeStart.toJSDate(), to: rangeEnd.toJSDate(), fromDay, toDay }, type: QueryTypes.SELECT, transaction },
    ),
    // start_at is bounded on both sides so the (instrument_id, start_at, end_at) index range stays short
    // however long the table's history grows.
    sequelize.query<{ id: number; instrument_id: number; start_at: Date; end_at: Date }>(
      `SELECT id, instrument_id, start_at, end_at FROM bookings
        WHERE instrument_id IN (:ids) AND start_at < :busyTo AND start_at > :earliestStart AND end_at > :busyFrom
          AND status IN ('PENDING', 'CONFIRMED')`,
      {
        replacements: { ids, busyFrom, busyTo, earliestStart: DateTime.fromJSDate(busyFrom).minus({ minutes: MAX_BOOKING_MINUTES }).toJSDate() },
        type: QueryTypes.SELECT,
        transaction,
      },
    ),
  ]);

  for (const row of instruments) {
    const own = hours.filter((h) => h.instrument_id === row.id);
    const windows = (own.length ? own : hours.filter((h) => h.instrument_id === null && h.lab_id === row.lab_id)).map(
      (h): WeeklyWindow => ({ weekday: h.weekday as Weekday, startMinute: h.start_minute, endMinute: h.end_minute }),
    );
    const closedDays: ClosedDay[] = closures
      .filter((c) => c.kind === 'CLOSURE' && c.lab_id === row.lab_id)
      .map((c) => ({ date: c.day as string, reason: c.reason || 'Lab closed', kind: 'CLOSURE' }));
    if (row.observes_public_holidays) {
      closedDays.push(...publicHolidays(row.country_code, row.holiday_region ?? undefined, range, row.time_zone));
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
        lab: {
          id: row.lab_id, name: row.lab_name, timeZone: row.time_zone, countryCode: row.country_code,
          observesPublicHolidays: Boolean(row.observes_public_holidays), holidayRegion: row.holiday_region,
        },
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
          // Number(): MariaDB types instrument_id in this UNION so that mysql2 hands it back as a string.
          .filter((b) => b.kind === 'BLACKOUT' && Number(b.lab_id) === row.lab_id && (b.instrument_id === null || Number(b.instrument_id) === row.id))
          .map((b) => ({ interval: toInterval(b.start_at as Date, b.end_at as Date), reason: b.reason || 'Blackout' })),
        closedDays,
        bookings: bookings
          .filter((b) => b.instrument_id === row.id && b.id !== options.excludeBookingId)
          .map((b) => ({ interval: toInterval(b.start_at, b.end_at) })),
      },
    });
  }
  return result;
}
