// Instants come from the API as ISO strings with an offset; they are rendered with Intl (through Luxon, which
// formats with Intl.DateTimeFormat) in an explicit zone: the viewer's or the lab's. Nothing depends on the
// browser's own zone, so a Yangon profile on a Berlin laptop still sees Yangon times.
import { DateTime } from 'luxon';

export const parse = (iso: string, zone: string) => DateTime.fromISO(iso, { setZone: true }).setZone(zone);

/** "UTC+06:30": the zone's offset at that instant, named the same way in every language. */
export function offsetName(at: DateTime): string {
  return `UTC${at.toFormat('ZZ')}`;
}

export const timeOf = (at: DateTime, locale: string) =>
  at.setLocale(locale).toLocaleString({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export const dayOf = (at: DateTime, locale: string) =>
  at.setLocale(locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' });

export const shortDayOf = (at: DateTime, locale: string) =>
  at.setLocale(locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' });

export const dateTimeOf = (at: DateTime, locale: string) =>
  at.setLocale(locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "Tue 8 Dec 2026, 09:00–11:00 UTC+07:00" in one zone; the end's date is named only when it differs. */
export function spanIn(start: DateTime, end: DateTime, zone: string, locale: string): string {
  const s = start.setZone(zone);
  const e = end.setZone(zone);
  const endText = s.hasSame(e.minus({ milliseconds: 1 }), 'day') ? timeOf(e, locale) : dateTimeOf(e, locale);
  return `${dateTimeOf(s, locale)}–${endText} ${offsetName(s)}`;
}

/** The instant as ISO with its offset, as the API's DateTime input wants it. */
export const toApi = (at: DateTime) => at.toISO({ suppressMilliseconds: true })!;

export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** The browser's zone, offered as a suggestion on the profile page. */
export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function allZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}
