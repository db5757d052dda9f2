// Instants for the viewer's zone, made cheaply in bulk. Luxon asks Intl for the offset of every DateTime it builds
// in an IANA zone (~5 µs each); an availability answer holds thousands of instants, so it dominated the request.
// A Zone that answers from the scheduling core's per-hour offset cache gives the same offsets without Intl.
import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import { labZone, type LabZone } from '../scheduling/zone-time';

const MINUTE_MS = 60_000;

class CachedIanaZone extends Zone {
  private readonly offsets: LabZone;

  constructor(private readonly iana: IANAZone) {
    super();
    this.offsets = labZone(iana.name);
  }

  // Reported as the IANA zone it stands for, so IANAZone.equals() holds and DateTime#setZone(name) — which
  // viewer-zone.ts applies to every DateTime field — keeps these DateTimes as they are instead of rebuilding them.
  override get type(): string {
    return 'iana';
  }

  override get name(): string {
    return this.iana.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): boolean {
    return true;
  }

  override offsetName(ts: number, opts: ZoneOffsetOptions): string | null {
    return this.iana.offsetName(ts, opts);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.iana.formatOffset(ts, format);
  }

  override offset(ts: number): number {
    return this.offsets.offset(ts) / MINUTE_MS;
  }

  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }
}

// Keyed by names the context accepted (valid IANA zones), so bounded by the tz database.
const cached = new Map<string, Zone>();

/** A function turning epoch milliseconds into DateTimes in `zone` (an IANA name or UTC), for rendering many instants. */
export function instantsIn(zone: string): (ms: number) => DateTime {
  let target = cached.get(zone);
  if (!target) {
    // "UTC" and anything that is not an IANA name go to Luxon as the name, so they normalise exactly as setZone
    // will. (isValidZone builds an Intl.DateTimeFormat, which is why the answer is cached.)
    if (/^(utc|gmt)$/i.test(zone) || !IANAZone.isValidZone(zone)) return (ms) => DateTime.fromMillis(ms, { zone });
    target = new CachedIanaZone(IANAZone.create(zone));
    cached.set(zone, target);
  }
  const z = target;
  return (ms) => DateTime.fromMillis(ms, { zone: z });
}
