// An instant already written out in the viewer's zone. Availability answers hold thousands of instants; building a
// Luxon DateTime for each and asking it for toISO() was the largest cost left on that path. The offset comes from
// the scheduling core's per-hour cache; the text is what DateTime#toISO({ suppressMilliseconds: true }) gives.
import { labZone } from '../scheduling/zone-time';

export class RenderedInstant {
  constructor(readonly iso: string) {}
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

function offsetText(offsetMs: number): string {
  const minutes = Math.round(offsetMs / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "UTC" (and "GMT") render with Z as Luxon's fixed UTC zone does; IANA zones always with ±hh:mm. */
const isFixedUtc = (zone: string) => /^(utc|gmt)$/i.test(zone);

export function renderInstant(ms: number, zone: string): RenderedInstant {
  const offsetMs = isFixedUtc(zone) ? 0 : labZone(zone).offset(ms);
  const local = new Date(ms + offsetMs).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ, in wall-clock terms
  const millis = local.slice(20, 23);
  const text = `${local.slice(0, 19)}${millis === '000' ? '' : `.${millis}`}${isFixedUtc(zone) ? 'Z' : offsetText(offsetMs)}`;
  return new RenderedInstant(text);
}
