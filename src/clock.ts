import { DateTime } from 'luxon';

/** Time is injected: services take a clock, tests pass a fixed one. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.utc() };

export const fixedClock = (iso: string): Clock => {
  const instant = DateTime.fromISO(iso, { setZone: true }).toUTC();
  return { now: () => instant };
};
