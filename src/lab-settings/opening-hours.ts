// Weekly opening hours: a lab's week, or an instrument's own week that replaces its lab's.
import type { Viewer } from '../access/viewer';
import { Instrument, Lab, OpeningHour } from '../db/models';
import { runTransaction } from '../db/transaction';
import type { InstrumentRow, LabRow } from '../db/rows';
import type { WeeklyWindow, Weekday } from '../scheduling';
import { badInput, failure, success, type SettingsError, type SettingsResult } from './errors';
import { instrumentNotFound, labNotFound, managedInstrument, managedLab } from './targets';

export interface OpeningWindowInput {
  /** ISO weekday, Monday = 1 */
  weekday: number;
  /** HH:mm */
  start: string;
  /** HH:mm, 24:00 for the end of the day */
  end: string;
}

/** More windows than anyone needs (a dozen a day) is a client bug, not a schedule. */
export const MAX_OPENING_WINDOWS = 84;

/** Minutes after midnight of "HH:mm", or null; 24:00 only where `allowEndOfDay`. */
function minuteOfDay(text: string, allowEndOfDay: boolean): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (minutes > 59) return null;
  if (hours < 24) return hours * 60 + minutes;
  return allowEndOfDay && hours === 24 && minutes === 0 ? 1440 : null;
}

/** The windows as the core's WeeklyWindows, or every mistake found (each naming its window). */
export function parseOpeningWindows(windows: readonly OpeningWindowInput[], field = 'windows'): { windows: WeeklyWindow[]; errors: SettingsError[] } {
  const errors: SettingsError[] = [];
  if (windows.length > MAX_OPENING_WINDOWS) {
    return { windows: [], errors: [badInput(field, 'TOO_MANY_WINDOWS', { max: MAX_OPENING_WINDOWS, count: windows.length })] };
  }
  const parsed: WeeklyWindow[] = [];
  windows.forEach((w, i) => {
    const at = `${field}[${i}]`;
    const start = minuteOfDay(w.start, false);
    const end = minuteOfDay(w.end, true);
    if (!Number.isInteger(w.weekday) || w.weekday < 1 || w.weekday > 7) errors.push(badInput(`${at}.weekday`, 'WEEKDAY'));
    else if (start === null) errors.push(badInput(`${at}.start`, 'START_TIME', { value: w.start }));
    else if (end === null) errors.push(badInput(`${at}.end`, 'END_TIME', { value: w.end }));
    else if (end <= start) errors.push(badInput(`${at}.end`, 'END_NOT_AFTER_START_TIME', { start: w.start, end: w.end }));
    else parsed.push({ weekday: w.weekday as Weekday, startMinute: start, endMinute: end });
  });
  if (errors.length) return { windows: [], errors };
  const sorted = [...parsed].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, cur] = [sorted[i - 1], sorted[i]];
    if (prev.weekday === cur.weekday && cur.startMinute < prev.endMinute) {
      errors.push(badInput(field, 'WINDOWS_OVERLAP', { weekday: cur.weekday }));
      break;
    }
  }
  return { windows: errors.length ? [] : sorted, errors };
}

async function replaceWindows(target: { labId: number; instrumentId: number | null }, windows: WeeklyWindow[]): Promise<void> {
  await runTransaction(OpeningHour.sequelize!, { kind: 'models' }, async (transaction) => {
    await OpeningHour.destroy({ where: { labId: target.labId, instrumentId: target.instrumentId }, transaction });
    if (windows.length) {
      await OpeningHour.bulkCreate(windows.map((w) => ({ ...target, ...w })), { transaction });
    }
  });
}

/** Replaces the lab's week; an empty list closes the lab (instruments with their own hours keep them). */
export async function setLabOpeningHours(viewer: Viewer, input: { labId: number; windows: OpeningWindowInput[] }): Promise<SettingsResult<LabRow>> {
  const target = await managedLab(viewer, input.labId);
  if (!target) return failure(labNotFound());
  const { windows, errors } = parseOpeningWindows(input.windows);
  if (errors.length) return failure(...errors);
  await replaceWindows({ labId: target.lab.id, instrumentId: null }, windows);
  return success((await Lab.findByPk(target.lab.id, { raw: true })) as LabRow);
}

/** Gives the instrument its own week. It must have a window: to close it, set its status instead. */
export async function setInstrumentOpeningHours(
  viewer: Viewer,
  input: { instrumentId: number; windows: OpeningWindowInput[] },
): Promise<SettingsResult<InstrumentRow>> {
  const target = await managedInstrument(viewer, input.instrumentId);
  if (!target) return failure(instrumentNotFound());
  if (input.windows.length === 0) {
    return failure(badInput('windows', 'NO_WINDOWS'));
  }
  const { windows, errors } = parseOpeningWindows(input.windows);
  if (errors.length) return failure(...errors);
  await replaceWindows({ labId: target.instrument.labId, instrumentId: target.instrument.id }, windows);
  return success((await Instrument.findByPk(target.instrument.id, { raw: true })) as InstrumentRow);
}

/** Drops the instrument's own week: it follows its lab's hours again. */
export async function clearInstrumentOpeningHours(viewer: Viewer, instrumentId: number): Promise<SettingsResult<InstrumentRow>> {
  const target = await managedInstrument(viewer, instrumentId);
  if (!target) return failure(instrumentNotFound());
  await replaceWindows({ labId: target.instrument.labId, instrumentId: target.instrument.id }, []);
  return success(target.instrument);
}
