// An instant already written out in the viewer's zone. Availability answers hold thousands of instants; building a
// Luxon DateTime for each and asking it for toISO() was the largest cost left on that path. The offset comes from
// the scheduling core's per-hour cache; the text is what DateTime#toISO({ suppressMilliseconds: true }) gives.
import { labZone, MAX_CACHED_ZONES, type LabZone } from '../scheduling/zone-time';

export class RenderedInstant {
  constructor(readonly iso: string) {}
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Hour prefixes kept per zone before the cache is dropped and refilled (a long answer touches a few hundred). */
const MAX_PREFIXES_PER_ZONE = 20_000;

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

function offsetText(offsetMs: number): string {
  const minutes = Math.round(offsetMs / MINUTE_MS);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Writes instants in one zone. Offsets are whole minutes, so an instant's wall-clock hour text ("2026-12-03T09:") is
 * shared by every instant of that local hour and cached; minutes, seconds and milliseconds are written by hand.
 */
class ZoneRenderer {
  private readonly zone: LabZone | null;
  private readonly hourPrefixes = new Map<number, string>();
  private readonly offsetTexts = new Map<number, string>();

  /** "UTC" (and "GMT") render with Z as Luxon's fixed UTC zone does; IANA zones always with ±hh:mm. */
  constructor(name: string) {
    this.zone = /^(utc|gmt)$/i.test(name) ? null : labZone(name);
  }

  render(ms: number): RenderedInstant {
    const offsetMs = this.zone === null ? 0 : this.zone.offset(ms);
    const local = ms + offsetMs;
    const hour = Math.floor(local / HOUR_MS);
    let prefix = this.hourPrefixes.get(hour);
    if (prefix === undefined) {
      if (this.hourPrefixes.size >= MAX_PREFIXES_PER_ZONE) this.hourPrefixes.clear();
      prefix = new Date(hour * HOUR_MS).toISOString().slice(0, 14); // YYYY-MM-DDTHH:
      this.hourPrefixes.set(hour, prefix);
    }
    const withinHour = local - hour * HOUR_MS;
    const minute = Math.floor(withinHour / MINUTE_MS);
    const secondMs = withinHour - minute * MINUTE_MS;
    const second = Math.floor(secondMs / 1000);
    const millis = secondMs - second * 1000;
    const fraction = millis === 0 ? '' : millis < 10 ? `.00${millis}` : millis < 100 ? `.0${millis}` : `.${millis}`;
    return new RenderedInstant(`${prefix}${pad(minute)}:${pad(second)}${fraction}${this.offset(offsetMs)}`);
  }

  private offset(offsetMs: number): string {
    if (this.zone === null) return 'Z';
    let text = this.offsetTexts.get(offsetMs);
    if (text === undefined) {
      text = offsetText(offsetMs);
      this.offsetTexts.set(offsetMs, text);
    }
    return text;
  }
}

// Keyed by the zone names requests bring (validated, but matched case-insensitively, so one zone may come in many
// spellings): bounded like labZone()'s memo, and started again past the cap.
const renderers = new Map<string, ZoneRenderer>();

export function renderInstant(ms: number, zone: string): RenderedInstant {
  let renderer = renderers.get(zone);
  if (renderer === undefined) {
    renderer = new ZoneRenderer(zone);
    if (renderers.size >= MAX_CACHED_ZONES) renderers.clear();
    renderers.set(zone, renderer);
  }
  return renderer.render(ms);
}

/** How many zone renderers are memoised now (for tests of the cap). */
export const cachedRendererCount = (): number => renderers.size;
