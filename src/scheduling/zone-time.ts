// Wall-clock ↔ UTC arithmetic in epoch milliseconds for one IANA zone, with cached offsets so the hot
// paths (opening hours, slot grid) do not build a DateTime or call Intl for every edge.
import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Offset lookups per hour bucket; bounded so a long-running process cannot grow it without limit. */
const MAX_CACHED_HOURS = 100_000;

export class LabZone {
  private readonly zone: IANAZone;
  /** UTC hour number → offset in ms for the whole hour, or NaN if a transition falls inside that hour. */
  private readonly hours = new Map<number, number>();

  constructor(readonly name: string) {
    if (!IANAZone.isValidZone(name)) throw new RangeError(`Unknown IANA time zone: ${JSON.stringify(name)}`);
    this.zone = IANAZone.create(name);
  }

  /** Offset (ms) of the zone at instant t. */
  offset(t: number): number {
    const hour = Math.floor(t / HOUR_MS);
    let cached = this.hours.get(hour);
    if (cached === undefined) {
      // At most one transition per hour exists in tzdata, so equal offsets at both ends mean a constant hour.
      const a = this.zone.offset(hour * HOUR_MS);
      const b = this.zone.offset(hour * HOUR_MS + HOUR_MS - 1);
      cached = a === b ? a * MINUTE_MS : NaN;
      if (this.hours.size >= MAX_CACHED_HOURS) this.hours.clear();
      this.hours.set(hour, cached);
    }
    return Number.isNaN(cached) ? this.zone.offset(t) * MINUTE_MS : cached;
  }

  /** Wall-clock time of instant t, as "epoch ms if the wall clock were UTC". */
  wall(t: number): number {
    return t + this.offset(t);
  }

  /**
   * The instant at which the wall clock reads `wall`.
   * DST rule: a non-existent wall time (gap) moves forward by the gap, as Luxon does (02:30 → 03:30 CEST);
   * an ambiguous one (overlap) is the earlier instant, i.e. its first occurrence.
   */
  toUtc(wall: number): number {
    const before = this.offset(wall - DAY_MS);
    const after = this.offset(wall + DAY_MS);
    if (before === after) {
      const u = wall - before;
      if (this.offset(u) === before) return u;
    }
    let best = NaN;
    for (const o of [before, after, this.offset(wall - before)]) {
      const u = wall - o;
      if (this.offset(u) === o && !(u >= best)) best = u; // earliest valid reading wins
    }
    // No instant reads `wall` (a gap): use the offset in force before the transition, which lands past it.
    return Number.isNaN(best) ? wall - before : best;
  }

  /**
   * Smallest instant in (a, b] whose offset differs from offset(a); requires offset(b) !== offset(a).
   * Used only near transitions, so a bisection over milliseconds is fine.
   */
  transitionBetween(a: number, b: number): number {
    const o = this.offset(a);
    let lo = a;
    let hi = b;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.offset(mid) === o) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

const zones = new Map<string, LabZone>();
/**
 * The tz database has ~600 names, but zone names are matched case-insensitively, so a client sending X-Time-Zone in
 * ever new spellings could grow this memo without end; past the cap it starts again (the entries are pure memos).
 */
export const MAX_CACHED_ZONES = 1000;

/** The cached LabZone for an IANA name; throws RangeError for an unknown zone. */
export function labZone(name: string): LabZone {
  let z = zones.get(name);
  if (!z) {
    z = new LabZone(name);
    if (zones.size >= MAX_CACHED_ZONES) zones.clear();
    zones.set(name, z);
  }
  return z;
}

/** How many zones are memoised now (for tests of the cap). */
export const cachedZoneCount = (): number => zones.size;

/** Day number (days since 1970-01-01) of a wall time. */
export function dayOfWall(wall: number): number {
  return Math.floor(wall / DAY_MS);
}

/** ISO weekday (Monday = 1 … Sunday = 7) of a day number; 1970-01-01 was a Thursday. */
export function isoWeekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7 + 1;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a yyyy-MM-dd calendar date; throws RangeError if it is not a real date. */
export function dayOfIsoDate(date: string): number {
  const m = ISO_DATE.exec(date);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return ms / DAY_MS;
  }
  throw new RangeError(`Not a calendar date (yyyy-MM-dd): ${JSON.stringify(date)}`);
}

/** yyyy-MM-dd of a day number. */
export function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Non-negative remainder. */
export function mod(a: number, n: number): number {
  const r = a % n;
  return r < 0 ? r + n : r;
}
