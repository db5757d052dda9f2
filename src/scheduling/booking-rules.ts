// Checks on BookingRules and the booking horizon they imply; shared by freeIntervals and validateBooking
// so both always agree on the same limits.
import type { DateTime } from 'luxon';
import type { BookingRules } from './types';
import { DAY_MS, MINUTE_MS, labZone } from './zone-time';

function nonNegativeInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`BookingRules.${name} must be a non-negative integer, got ${value}`);
}

/** Throws RangeError for rules the core cannot honour (a grid that does not divide the day, negative limits). */
export function checkRules(rules: BookingRules): void {
  const { slotMinutes } = rules;
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0 || 1440 % slotMinutes !== 0) {
    throw new RangeError(`BookingRules.slotMinutes must be a positive divisor of 1440, got ${slotMinutes}`);
  }
  nonNegativeInteger(rules.minMinutes, 'minMinutes');
  nonNegativeInteger(rules.maxMinutes, 'maxMinutes');
  nonNegativeInteger(rules.minNoticeMinutes, 'minNoticeMinutes');
  nonNegativeInteger(rules.maxAdvanceDays, 'maxAdvanceDays');
  nonNegativeInteger(rules.bufferAfterMinutes, 'bufferAfterMinutes');
}

export interface Horizon {
  /** No booking may start before this instant (ms). */
  earliestStart: number;
  /** No booking may end after this instant (ms). */
  latestEnd: number;
}

/** maxAdvanceDays counts calendar days in the lab's zone (the same lab wall-clock time N days later), not N × 24 h. */
export function horizonOf(rules: BookingRules, now: DateTime, zone: string): Horizon {
  if (!now.isValid) throw new RangeError(`Invalid "now": ${now.invalidExplanation ?? now.invalidReason}`);
  const lab = labZone(zone);
  const t = now.toMillis();
  return {
    earliestStart: t + rules.minNoticeMinutes * MINUTE_MS,
    latestEnd: lab.toUtc(lab.wall(t) + rules.maxAdvanceDays * DAY_MS),
  };
}
