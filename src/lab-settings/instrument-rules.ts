// Booking rules, approval, who may book, and status of one instrument: what its lab's managers decide.
import type { Viewer } from '../access/viewer';
import { MAX_BOOKING_MINUTES, MAX_BUFFER_MINUTES } from '../availability/schedules';
import { Instrument } from '../db/models';
import type { AccessPolicy, InstrumentStatus } from '../db/models/instrument';
import type { InstrumentRow } from '../db/rows';
import { runTransaction } from '../db/transaction';
import { badInput, failure, success, type SettingsError, type SettingsResult } from './errors';
import { instrumentNotFound, managedInstrument } from './targets';

/** Limits beyond which a rule is surely a typo; they also keep the columns' types (SMALLINT) safe. */
export const MAX_NOTICE_MINUTES = 90 * 24 * 60;
export const MAX_ADVANCE_DAYS = 730;

export interface BookingRulesPatch {
  slotMinutes?: number;
  minMinutes?: number;
  maxMinutes?: number;
  minNoticeMinutes?: number;
  maxAdvanceDays?: number;
  bufferAfterMinutes?: number;
}

/** Who may book and whether their requests wait for a manager: set with the rules, by the same people. */
export interface BookingAccessPatch {
  requiresApproval?: boolean;
  accessPolicy?: AccessPolicy;
}

type Rules = Required<BookingRulesPatch>;

/** Every way the rules, taken as a whole, break the limits the scheduler and the availability loader rely on. */
export function bookingRulesErrors(rules: Rules): SettingsError[] {
  const errors: SettingsError[] = [];
  const whole = (field: keyof Rules, min: number, max: number, unit: 'MINUTES' | 'DAYS') => {
    const v = rules[field];
    if (!Number.isInteger(v) || v < min || v > max) errors.push(badInput(field, 'WHOLE_NUMBER', { name: field, min, max, unit, value: v }));
    return Number.isInteger(v) && v >= min && v <= max;
  };
  if (whole('slotMinutes', 1, 1440, 'MINUTES') && 1440 % rules.slotMinutes !== 0) {
    errors.push(badInput('slotMinutes', 'SLOT_DIVIDES_DAY', { value: rules.slotMinutes }));
  }
  const minOk = whole('minMinutes', 1, MAX_BOOKING_MINUTES, 'MINUTES');
  const maxOk = whole('maxMinutes', 1, MAX_BOOKING_MINUTES, 'MINUTES');
  if (minOk && maxOk && rules.minMinutes > rules.maxMinutes) {
    errors.push(badInput('minMinutes', 'MIN_OVER_MAX', { min: rules.minMinutes, max: rules.maxMinutes }));
  }
  if (maxOk && Number.isInteger(rules.slotMinutes) && rules.maxMinutes < rules.slotMinutes) {
    errors.push(badInput('maxMinutes', 'MAX_UNDER_SLOT', { max: rules.maxMinutes, slot: rules.slotMinutes }));
  }
  whole('minNoticeMinutes', 0, MAX_NOTICE_MINUTES, 'MINUTES');
  whole('maxAdvanceDays', 1, MAX_ADVANCE_DAYS, 'DAYS');
  whole('bufferAfterMinutes', 0, MAX_BUFFER_MINUTES, 'MINUTES');
  return errors;
}

/**
 * Changes the given rules, approval and access policy; the result as a whole must be valid, else nothing changes.
 * Requests already made keep their state: a new approval requirement or policy applies to the next request.
 */
export async function setBookingRules(
  viewer: Viewer,
  instrumentId: number,
  patch: BookingRulesPatch & BookingAccessPatch,
): Promise<SettingsResult<InstrumentRow>> {
  const target = await managedInstrument(viewer, instrumentId);
  if (!target) return failure(instrumentNotFound());
  const { requiresApproval, accessPolicy, ...rulePatch } = patch;
  const given = Object.fromEntries(Object.entries(rulePatch).filter(([, v]) => v !== undefined)) as BookingRulesPatch;
  const { slotMinutes, minMinutes, maxMinutes, minNoticeMinutes, maxAdvanceDays, bufferAfterMinutes } = target.instrument;
  const rules: Rules = { slotMinutes, minMinutes, maxMinutes, minNoticeMinutes, maxAdvanceDays, bufferAfterMinutes, ...given };
  const errors = bookingRulesErrors(rules);
  if (errors.length) return failure(...errors);
  const access: BookingAccessPatch = {};
  if (requiresApproval !== undefined) access.requiresApproval = requiresApproval;
  if (accessPolicy !== undefined) access.accessPolicy = accessPolicy;
  return success(await updateInstrument(target.instrument.id, { ...rules, ...access }));
}

/** MAINTENANCE and RETIRED close the instrument to new bookings; existing bookings stay as they are. */
export async function setInstrumentStatus(viewer: Viewer, instrumentId: number, status: InstrumentStatus): Promise<SettingsResult<InstrumentRow>> {
  const target = await managedInstrument(viewer, instrumentId);
  if (!target) return failure(instrumentNotFound());
  return success(await updateInstrument(target.instrument.id, { status }));
}

async function updateInstrument(id: number, values: Partial<InstrumentRow>): Promise<InstrumentRow> {
  return runTransaction(Instrument.sequelize!, { kind: 'models' }, async (transaction) => {
    await Instrument.update(values, { where: { id }, transaction });
    return (await Instrument.findByPk(id, { raw: true, transaction })) as InstrumentRow;
  });
}
