// Usage reports for a lab's managers and admins: the usage logs themselves, and a summary per instrument,
// institution or country of hours booked, hours used, bookings, no-shows and utilisation against opening hours.
// Reports may be a second stale: with `replica: true` (the API's choice unless the viewer just wrote) they read a replica.
import { Interval, type DateTime } from 'luxon';
import { Op, type WhereOptions } from 'sequelize';
import { managedLabIds, NotAllowed, requireLabManager, requireUser } from '../access/policies';
import type { Viewer } from '../access/viewer';
import { loadSchedules } from '../availability/schedules';
import { afterStartPosition, START_ORDER, type StartOrderedPage } from '../db/keyset';
import { Institution, Instrument, Lab, UsageLog } from '../db/models';
import { findAllRows, rawQuery, readType, type ReplicaRead } from '../db/raw';
import { sqlInstant } from '../db/sql-instant';
import type { UsageLogRow } from '../db/rows';
import { badRequest, DomainError } from '../errors';
import { openIntervals } from '../scheduling';

export interface UsageLogFilter {
  labId?: number;
  instrumentId?: number;
  institutionId?: number;
  /** Logs of bookings starting at or after this instant. */
  from?: DateTime;
  /** ... and before this one. */
  to?: DateTime;
}

export type UsageLogPage = StartOrderedPage;

/** The longest summary range: open hours are computed day by day. */
export const MAX_SUMMARY_DAYS = 366;

/** Which labs' logs the viewer may read for this filter; null means every lab (admins). */
async function readableLabs(viewer: Viewer, filter: UsageLogFilter): Promise<number[] | null> {
  const user = requireUser(viewer);
  let labId = filter.labId;
  if (labId === undefined && filter.instrumentId !== undefined) {
    labId = (await Instrument.findByPk(filter.instrumentId, { attributes: ['labId'], raw: true }))?.labId;
    if (labId === undefined) return [];
  }
  if (labId !== undefined) {
    await requireLabManager(user, labId);
    return [labId];
  }
  if (user.isAdmin) return null;
  const managed = await managedLabIds(user.userId);
  if (!managed.length) throw new NotAllowed('USAGE_LOGS');
  return managed;
}

export async function listUsageLogs(viewer: Viewer, filter: UsageLogFilter, page: UsageLogPage, read: ReplicaRead = {}): Promise<UsageLogRow[]> {
  const labs = await readableLabs(viewer, filter);
  if (labs && !labs.length) return [];
  const and: WhereOptions<UsageLogRow>[] = [];
  if (labs) and.push({ labId: { [Op.in]: labs } });
  if (filter.instrumentId) and.push({ instrumentId: filter.instrumentId });
  if (filter.institutionId) and.push({ institutionId: filter.institutionId });
  if (filter.from) and.push({ startAt: { [Op.gte]: filter.from.toJSDate() } });
  if (filter.to) and.push({ startAt: { [Op.lt]: filter.to.toJSDate() } });
  if (page.after) and.push(afterStartPosition<UsageLogRow>(page.after));
  return findAllRows(UsageLog, { where: { [Op.and]: and }, order: START_ORDER, limit: page.size + 1 }, read);
}

export type UsageGroupBy = 'INSTRUMENT' | 'INSTITUTION' | 'COUNTRY';

export interface UsageFigures {
  hoursBooked: number;
  hoursUsed: number;
  bookings: number;
  noShows: number;
  /** INSTRUMENT rows: that instrument's open hours; other rows and totals: all the lab's instruments together. */
  openHours: number;
  /** hoursUsed / openHours; null when nothing was open. */
  utilisation: number | null;
}

export interface UsageSummaryRow extends UsageFigures {
  /** The instrument or institution id, or the country code. */
  key: string;
  label: string;
  instrumentId: number | null;
  institutionId: number | null;
  countryCode: string | null;
}

export interface UsageSummary {
  labId: number;
  from: DateTime;
  to: DateTime;
  groupBy: UsageGroupBy;
  openHours: number;
  rows: UsageSummaryRow[];
  totals: UsageFigures;
}

interface Aggregate {
  key: string | number;
  booked: string | number;
  used: string | number;
  bookings: string | number;
  no_shows: string | number;
}

const GROUP_COLUMN: Record<UsageGroupBy, string> = {
  INSTRUMENT: 'u.instrument_id',
  INSTITUTION: 'u.institution_id',
  COUNTRY: 'i.country_code',
};

function figures(booked: number, used: number, bookings: number, noShows: number, openHours: number): UsageFigures {
  const hoursUsed = used / 60;
  return { hoursBooked: booked / 60, hoursUsed, bookings, noShows, openHours, utilisation: openHours > 0 ? hoursUsed / openHours : null };
}

/** Hours each instrument is open in the range: weekly hours in the lab's zone, minus closure days and holidays. */
async function openHoursByInstrument(instrumentIds: number[], range: Interval, read: ReplicaRead): Promise<Map<number, number>> {
  const schedules = await loadSchedules(UsageLog.sequelize!, instrumentIds, range, { replica: read.replica });
  const hours = new Map<number, number>();
  for (const [id, { schedule }] of schedules) {
    const open = openIntervals(schedule.zone, schedule.openingHours, range, schedule.closedDays);
    hours.set(id, open.reduce((sum, i) => sum + i.length('hours'), 0));
  }
  return hours;
}

/**
 * Usage of a lab's instruments by bookings starting in [from, to) (a booking counts wholly in the range it
 * starts in). Utilisation is hours used over hours open; for INSTITUTION and COUNTRY rows it is the share of the
 * whole lab's open hours that group used.
 */
export async function usageSummary(
  viewer: Viewer,
  input: { labId: number; from: DateTime; to: DateTime; groupBy: UsageGroupBy },
  read: ReplicaRead = {},
): Promise<UsageSummary> {
  await requireLabManager(viewer, input.labId);
  if (!(input.to > input.from)) throw badRequest('END_AFTER_START', { from: 'from', to: 'to' });
  if (input.to.diff(input.from, 'days').days > MAX_SUMMARY_DAYS) {
    throw badRequest('SUMMARY_DAYS', { max: MAX_SUMMARY_DAYS });
  }
  const [lab] = await findAllRows(Lab, { where: { id: input.labId }, attributes: ['id'] }, read);
  if (!lab) throw new DomainError('NOT_FOUND', { what: 'lab' });

  const aggregates = await rawQuery<Aggregate[]>(
    UsageLog.sequelize!,
    `SELECT ${GROUP_COLUMN[input.groupBy]} AS \`key\`, SUM(u.booked_minutes) AS booked, SUM(u.used_minutes) AS used,
            COUNT(*) AS bookings, SUM(u.outcome = 'NO_SHOW') AS no_shows
       FROM usage_logs u JOIN institutions i ON i.id = u.institution_id
      WHERE u.lab_id = ? AND u.start_at >= ? AND u.start_at < ?
      GROUP BY \`key\``,
    [input.labId, sqlInstant(input.from), sqlInstant(input.to)],
    { type: readType(read) },
  );
  const instruments = await findAllRows(Instrument, { where: { labId: input.labId }, attributes: ['id', 'name', 'status'], order: [['id', 'ASC']] }, read);
  const range = Interval.fromDateTimes(input.from.toUTC(), input.to.toUTC());
  const openByInstrument = await openHoursByInstrument(instruments.map((i) => i.id), range, read);
  const labOpenHours = [...openByInstrument.values()].reduce((a, b) => a + b, 0);
  const byKey = new Map(aggregates.map((a) => [String(a.key), a]));
  const n = (v: string | number | undefined) => Number(v ?? 0);

  let rows: UsageSummaryRow[];
  if (input.groupBy === 'INSTRUMENT') {
    // Every instrument of the lab, used or not: an idle instrument is a finding too.
    rows = instruments.map((instrument) => {
      const a = byKey.get(String(instrument.id));
      return {
        key: String(instrument.id), label: instrument.name, instrumentId: instrument.id, institutionId: null, countryCode: null,
        ...figures(n(a?.booked), n(a?.used), n(a?.bookings), n(a?.no_shows), openByInstrument.get(instrument.id) ?? 0),
      };
    });
  } else {
    const institutions = input.groupBy === 'INSTITUTION'
      ? new Map((await findAllRows(Institution, { where: { id: { [Op.in]: aggregates.map((a) => Number(a.key)) } }, attributes: ['id', 'name'] }, read)).map((i) => [String(i.id), i.name]))
      : new Map<string, string>();
    rows = aggregates
      .map((a) => ({
        key: String(a.key),
        label: input.groupBy === 'INSTITUTION' ? institutions.get(String(a.key)) ?? String(a.key) : String(a.key),
        instrumentId: null,
        institutionId: input.groupBy === 'INSTITUTION' ? Number(a.key) : null,
        countryCode: input.groupBy === 'COUNTRY' ? String(a.key) : null,
        ...figures(n(a.booked), n(a.used), n(a.bookings), n(a.no_shows), labOpenHours),
      }))
      .sort((x, y) => y.hoursUsed - x.hoursUsed || x.key.localeCompare(y.key));
  }
  const sum = (pick: (a: Aggregate) => string | number) => aggregates.reduce((total, a) => total + n(pick(a)), 0);
  return {
    labId: input.labId,
    from: input.from,
    to: input.to,
    groupBy: input.groupBy,
    openHours: labOpenHours,
    rows,
    totals: figures(sum((a) => a.booked), sum((a) => a.used), sum((a) => a.bookings), sum((a) => a.no_shows), labOpenHours),
  };
}
