// Closure days (whole lab-local days), added by hand or imported from an .ics file, and the list of what closes
// a lab and why (its closure days plus the public holidays it observes).
import { Interval, DateTime } from 'luxon';
import { Op } from 'sequelize';
import type { Viewer } from '../access/viewer';
import { LabClosure } from '../db/models';
import type { LabRow } from '../db/rows';
import { runTransaction } from '../db/transaction';
import { badRequest } from '../errors';
import { IcsParseError, SUPPORTED_DATES, isSupportedDate, parseIcsClosures, publicHolidays, type ClosedDayKind } from '../scheduling';
import { localDaySpan } from '../scheduling/opening-hours';
import { dayOfIsoDate, labZone } from '../scheduling/zone-time';
import { MAX_REASON_LENGTH, badInput, failure, success, type SettingsError, type SettingsResult } from './errors';
import { labNotFound, managedLab } from './targets';

/** Longest span one holidays listing or one addClosureDays call may cover. */
export const MAX_CLOSURE_RANGE_DAYS = 366;
/** Biggest .ics text an import reads (the file of a whole decade of closures is far smaller). */
export const MAX_ICS_LENGTH = 512 * 1024;
// Dates a lab could sensibly close on: the supported range, which keeps DATE columns and the holiday library safe.
const { first: FIRST_DAY, last: LAST_DAY } = SUPPORTED_DATES;

/** A day on which the lab is closed, with the instants its lab-local day begins and ends. */
export interface LabClosedDay {
  date: string;
  kind: ClosedDayKind;
  reason: string;
  start: Date;
  end: Date;
}

/** Throws BAD_USER_INPUT unless from ≤ to, both real dates, at most MAX_CLOSURE_RANGE_DAYS days apart. */
export function checkClosureRange(from: string, to: string): void {
  if (!isSupportedDate(from) || !isSupportedDate(to)) throw badRequest('RANGE_DATES', { first: FIRST_DAY, last: LAST_DAY });
  if (to < from) throw badRequest('END_NOT_BEFORE_START', { from: 'from', to: 'to' });
  if (dayOfIsoDate(to) - dayOfIsoDate(from) + 1 > MAX_CLOSURE_RANGE_DAYS) {
    throw badRequest('LIST_AT_MOST_DAYS', { max: MAX_CLOSURE_RANGE_DAYS });
  }
}

/**
 * What closes each lab from `from` to `to` (lab-local dates, both included; check with checkClosureRange first):
 * observed public holidays (named in `language` where date-holidays can, else English) and the lab's closure days,
 * sorted by date (holiday before closure on the same date). One query for all the labs.
 */
export async function labClosedDays(labs: readonly LabRow[], from: string, to: string, language = 'en'): Promise<Map<number, LabClosedDay[]>> {
  const result = new Map<number, LabClosedDay[]>(labs.map((lab) => [lab.id, []]));
  if (labs.length === 0) return result;
  const closures = await LabClosure.findAll({
    where: { labId: { [Op.in]: labs.map((l) => l.id) }, day: { [Op.between]: [from, to] } },
    attributes: ['labId', 'day', 'reason'],
    order: [['day', 'ASC']],
    raw: true,
  });
  for (const lab of labs) {
    const zone = labZone(lab.timeZone);
    const entry = (date: string, kind: ClosedDayKind, reason: string): LabClosedDay => {
      const span = localDaySpan(zone, date);
      return { date, kind, reason, start: new Date(span.start), end: new Date(span.end) };
    };
    const days: LabClosedDay[] = [];
    if (lab.observesPublicHolidays) {
      const range = Interval.fromDateTimes(
        DateTime.fromMillis(localDaySpan(zone, from).start, { zone: 'utc' }),
        DateTime.fromMillis(localDaySpan(zone, to).end, { zone: 'utc' }),
      );
      for (const h of publicHolidays(lab.countryCode, lab.holidayRegion ?? undefined, range, lab.timeZone, language)) {
        if (h.date >= from && h.date <= to) days.push(entry(h.date, 'PUBLIC_HOLIDAY', h.reason));
      }
    }
    for (const c of closures) if (c.labId === lab.id) days.push(entry(String(c.day), 'CLOSURE', c.reason || 'Lab closed'));
    days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind < b.kind ? 1 : -1));
    result.set(lab.id, days);
  }
  return result;
}

function checkDays(days: readonly string[], field: string): { days: string[]; errors: SettingsError[] } {
  const unique = [...new Set(days)].sort();
  if (unique.length === 0) return { days: [], errors: [badInput(field, 'NO_DAYS')] };
  if (unique.length > MAX_CLOSURE_RANGE_DAYS) return { days: [], errors: [badInput(field, 'TOO_MANY_DAYS', { max: MAX_CLOSURE_RANGE_DAYS })] };
  const wrong = unique.find((d) => !isSupportedDate(d));
  if (wrong) return { days: [], errors: [badInput(field, 'NOT_A_SUPPORTED_DATE', { value: wrong, first: FIRST_DAY, last: LAST_DAY })] };
  return { days: unique, errors: [] };
}

async function upsertClosures(labId: number, closures: { date: string; reason: string }[], source: 'MANUAL' | 'ICS'): Promise<void> {
  if (closures.length === 0) return;
  await runTransaction(LabClosure.sequelize!, { kind: 'models' }, (transaction) =>
    LabClosure.bulkCreate(
      closures.map((c) => ({ labId, day: c.date, reason: c.reason.slice(0, MAX_REASON_LENGTH), source })),
      { updateOnDuplicate: ['reason', 'source'], transaction },
    ),
  );
}

export interface ClosureChange {
  lab: LabRow;
  days: string[];
  /** importClosures: the days the file closes with their reasons, as the lab's closed days. */
  closures?: LabClosedDay[];
}

/** Closes the lab on each day; a day already closed takes the new reason. */
export async function addClosureDays(viewer: Viewer, input: { labId: number; days: string[]; reason: string }): Promise<SettingsResult<ClosureChange>> {
  const target = await managedLab(viewer, input.labId);
  if (!target) return failure(labNotFound());
  const reason = input.reason.trim();
  const errors: SettingsError[] = [];
  if (!reason) errors.push(badInput('reason', 'CLOSURE_REASON_MISSING'));
  if (reason.length > MAX_REASON_LENGTH) errors.push(badInput('reason', 'REASON_TOO_LONG', { max: MAX_REASON_LENGTH }));
  const checked = checkDays(input.days, 'days');
  errors.push(...checked.errors);
  if (errors.length) return failure(...errors);
  await upsertClosures(target.lab.id, checked.days.map((date) => ({ date, reason })), 'MANUAL');
  return success({ lab: target.lab, days: checked.days });
}

/** Reopens the given days; the payload lists the days that were actually closed. */
export async function removeClosureDays(viewer: Viewer, input: { labId: number; days: string[] }): Promise<SettingsResult<ClosureChange>> {
  const target = await managedLab(viewer, input.labId);
  if (!target) return failure(labNotFound());
  const checked = checkDays(input.days, 'days');
  if (checked.errors.length) return failure(...checked.errors);
  const removed = await runTransaction(LabClosure.sequelize!, { kind: 'models' }, async (transaction) => {
    const where = { labId: target.lab.id, day: { [Op.in]: checked.days } };
    const existing = await LabClosure.findAll({ where, attributes: ['day'], raw: true, transaction, lock: transaction.LOCK.UPDATE });
    await LabClosure.destroy({ where, transaction });
    return existing.map((c) => String(c.day)).sort();
  });
  return success({ lab: target.lab, days: removed });
}

/**
 * Closes the lab on every day the .ics file's events cover (dates read in the lab's zone); days already closed
 * take the file's reason. A file that cannot be read changes nothing and answers INVALID_ICS.
 */
export async function importClosures(viewer: Viewer, input: { labId: number; ics: string; dryRun?: boolean }): Promise<SettingsResult<ClosureChange>> {
  const target = await managedLab(viewer, input.labId);
  if (!target) return failure(labNotFound());
  if (input.ics.length > MAX_ICS_LENGTH) return failure(badInput('ics', 'ICS_TOO_LARGE', { maxKiB: MAX_ICS_LENGTH / 1024 }));
  let closures: { date: string; reason: string }[];
  try {
    closures = parseIcsClosures(input.ics, { zone: target.lab.timeZone });
  } catch (error) {
    if (error instanceof IcsParseError) return failure({ code: 'INVALID_ICS', field: 'ics', params: error.params });
    throw error;
  }
  const outside = closures.find((c) => !isSupportedDate(c.date));
  if (outside) return failure({ code: 'INVALID_ICS', field: 'ics', params: { reason: 'OUTSIDE_SUPPORTED_DATES', date: outside.date, first: FIRST_DAY, last: LAST_DAY } });
  // A dry run (the web app's preview) reads and checks the file exactly as the import does, and stops here.
  if (!input.dryRun) await upsertClosures(target.lab.id, closures, 'ICS');
  const zone = labZone(target.lab.timeZone);
  const preview = closures.map(({ date, reason }): LabClosedDay => {
    const span = localDaySpan(zone, date);
    return { date, kind: 'CLOSURE', reason: reason.slice(0, MAX_REASON_LENGTH), start: new Date(span.start), end: new Date(span.end) };
  });
  return success({ lab: target.lab, days: closures.map((c) => c.date), closures: preview });
}

