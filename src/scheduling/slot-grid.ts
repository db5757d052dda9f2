// The booking grid: instants whose lab-local wall clock is a multiple of slotMinutes after local midnight.
// Because slotMinutes divides 1440 and wall-clock days are uniform, "aligned" is wall(t) % slot === 0,
// so half-hour and 45-minute zones (Asia/Yangon, Asia/Kathmandu) need no special handling.
import { DateTime } from 'luxon';
import { type LabZone, MINUTE_MS, labZone, mod } from './zone-time';

const MAX_STEPS = 8; // each step crosses one offset transition; real zones never need more than two

export function isOnGrid(zone: LabZone, t: number, slotMs: number): boolean {
  return mod(zone.wall(t), slotMs) === 0;
}

/** The first aligned instant ≥ t. */
export function ceilToGrid(zone: LabZone, t: number, slotMs: number): number {
  let cur = t;
  for (let step = 0; step < MAX_STEPS; step++) {
    const off = zone.offset(cur);
    const r = mod(cur + off, slotMs);
    if (r === 0) return cur;
    const next = cur + (slotMs - r);
    if (zone.offset(next) === off) return next;
    // The offset changes before the wall clock reaches the next boundary: restart from the transition.
    cur = zone.transitionBetween(cur, next);
  }
  throw new Error(`No slot boundary found after ${new Date(t).toISOString()} in ${zone.name}`);
}

/** The last aligned instant ≤ t. */
export function floorToGrid(zone: LabZone, t: number, slotMs: number): number {
  let cur = t;
  for (let step = 0; step < MAX_STEPS; step++) {
    const off = zone.offset(cur);
    const r = mod(cur + off, slotMs);
    if (r === 0) return cur;
    const prev = cur - r;
    if (zone.offset(prev) === off) return prev;
    // The offset changed since the wall clock last read a boundary: continue from just before the transition.
    cur = zone.transitionBetween(prev, cur) - 1;
  }
  throw new Error(`No slot boundary found before ${new Date(t).toISOString()} in ${zone.name}`);
}

function millisOf(dt: DateTime): number {
  if (!dt.isValid) throw new RangeError(`Invalid DateTime: ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toMillis();
}

/** True when dt is on the lab's slot grid (lab-local minute of day divisible by slotMinutes, no seconds). */
export function isOnSlotGrid(dt: DateTime, zone: string, slotMinutes: number): boolean {
  return dt.isValid && isOnGrid(labZone(zone), dt.toMillis(), slotMinutes * MINUTE_MS);
}

/** The first instant at or after dt on the lab's slot grid. */
export function ceilToSlot(dt: DateTime, zone: string, slotMinutes: number): DateTime {
  return DateTime.fromMillis(ceilToGrid(labZone(zone), millisOf(dt), slotMinutes * MINUTE_MS), { zone: 'utc' });
}

/** The last instant at or before dt on the lab's slot grid. */
export function floorToSlot(dt: DateTime, zone: string, slotMinutes: number): DateTime {
  return DateTime.fromMillis(floorToGrid(labZone(zone), millisOf(dt), slotMinutes * MINUTE_MS), { zone: 'utc' });
}
