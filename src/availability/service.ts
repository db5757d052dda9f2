// Free and busy time of many instruments at once: the hottest read of the product. Everything is loaded by
// loadSchedules in a fixed number of queries and computed by the pure core on epoch milliseconds; no ORM
// hydration and nothing per instrument touches the database.
import { Interval, type DateTime } from 'luxon';
import { requireAvailabilityReader } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { systemClock, type Clock } from '../clock';
import { Instrument } from '../db/models';
import { badRequest } from '../errors';
import { busyIntervals, type BusyKind, type InstrumentStatus } from '../scheduling';
import { freeSpans } from '../scheduling/free-time';
import { DAY_MS } from '../scheduling/zone-time';
import { MAX_BOOKING_MINUTES, loadSchedules, type LoadedSchedule } from './schedules';

export const MAX_AVAILABILITY_INSTRUMENTS = 100;
export const MAX_AVAILABILITY_DAYS = 62;
/** The longest free run worth asking for is the longest booking any instrument may allow. */
export const MAX_MIN_MINUTES = MAX_BOOKING_MINUTES;


/** [start, end) in epoch milliseconds (UTC): the caller renders them, typically thousands at a time. */
export interface FreeSpan {
  start: number;
  end: number;
}

export interface BusySpan {
  start: number;
  end: number;
  kind: BusyKind;
}

export interface InstrumentFreeBusy {
  instrumentId: number;
  labTimeZone: string;
  status: InstrumentStatus;
  free: FreeSpan[];
  busy: BusySpan[];
}

export interface AvailabilityQuery {
  instrumentIds: number[];
  from: DateTime;
  to: DateTime;
  minMinutes?: number;
}

/** Checks [from, to) against the limits every free-time query shares; `names` are the caller's argument names. */
export function checkFreeTimeRange(
  from: DateTime,
  to: DateTime,
  minMinutes: number | undefined,
  names: { from: string; to: string; minMinutes: string } = { from: 'from', to: 'to', minMinutes: 'minMinutes' },
): Interval {
  if (!from.isValid || !to.isValid) throw badRequest('AVAILABILITY_INVALID_INSTANTS', names);
  if (to <= from) throw badRequest('END_AFTER_START', names);
  if (to.toMillis() - from.toMillis() > MAX_AVAILABILITY_DAYS * DAY_MS) {
    throw badRequest('AVAILABILITY_RANGE_TOO_LONG', { ...names, maxDays: MAX_AVAILABILITY_DAYS });
  }
  if (minMinutes !== undefined && (!Number.isInteger(minMinutes) || minMinutes < 1 || minMinutes > MAX_MIN_MINUTES)) {
    throw badRequest('AVAILABILITY_MIN_MINUTES', { name: names.minMinutes, max: MAX_MIN_MINUTES, value: minMinutes });
  }
  return Interval.fromDateTimes(from.toUTC(), to.toUTC());
}

function availabilityOf(loaded: LoadedSchedule, range: Interval, now: DateTime, minMinutes: number | undefined): InstrumentFreeBusy {
  const { schedule, instrument } = loaded;
  const span = { start: range.start!.toMillis(), end: range.end!.toMillis() };
  return {
    instrumentId: instrument.id,
    labTimeZone: schedule.zone,
    status: schedule.status,
    free: freeSpans(schedule, span, { now, minMinutes }),
    busy: busyIntervals(schedule, range).map((b) => ({ start: b.interval.start!.toMillis(), end: b.interval.end!.toMillis(), kind: b.kind })),
  };
}

/**
 * Free and busy time of each requested instrument over [from, to): one entry per requested id, in order, null
 * for an id that names no instrument. Busy spans carry no identity.
 */
export async function instrumentAvailability(
  viewer: Viewer,
  query: AvailabilityQuery,
  deps: { clock?: Clock; replica?: boolean } = {},
): Promise<(InstrumentFreeBusy | null)[]> {
  requireAvailabilityReader(viewer);
  if (query.instrumentIds.length > MAX_AVAILABILITY_INSTRUMENTS) {
    throw badRequest('AVAILABILITY_TOO_MANY_INSTRUMENTS', { max: MAX_AVAILABILITY_INSTRUMENTS, count: query.instrumentIds.length });
  }
  const range = checkFreeTimeRange(query.from, query.to, query.minMinutes);
  if (query.instrumentIds.length === 0) return [];
  const now = (deps.clock ?? systemClock).now();
  // A replica by default; the primary when the caller says the viewer just wrote (read your writes, see recent-writers.ts).
  const loaded = await loadSchedules(Instrument.sequelize!, query.instrumentIds, range, { replica: deps.replica ?? true });
  const computed = new Map<number, InstrumentFreeBusy>();
  return query.instrumentIds.map((id) => {
    let entry = computed.get(id);
    if (!entry) {
      const schedule = loaded.get(id);
      if (!schedule) return null;
      entry = availabilityOf(schedule, range, now, query.minMinutes);
      computed.set(id, entry);
    }
    return entry;
  });
}

/**
 * Of the given instruments, those with at least one free run of max(minMinutes, their own minimum) within
 * `range` (already checked with checkFreeTimeRange). Used by the catalogue's free-window filter.
 */
export async function instrumentsWithFreeTime(
  instrumentIds: number[],
  range: Interval,
  opts: { now: DateTime; minMinutes?: number; replica?: boolean },
): Promise<Set<number>> {
  // A replica unless the caller says the viewer just wrote (read your writes, see recent-writers.ts).
  const loaded = await loadSchedules(Instrument.sequelize!, instrumentIds, range, { replica: opts.replica ?? true });
  const span = { start: range.start!.toMillis(), end: range.end!.toMillis() };
  const free = new Set<number>();
  for (const [id, { schedule }] of loaded) {
    if (freeSpans(schedule, span, opts).length > 0) free.add(id);
  }
  return free;
}
