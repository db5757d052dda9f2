import { DateTime } from 'luxon';

/**
 * An instant as wall-clock time in `zone` with its explicit offset, e.g. "2026-12-03 09:00 (+06:30)".
 * Seconds appear only when non-zero; an unknown zone falls back to UTC so the offset stays truthful.
 */
export function formatInstant(dt: DateTime, zone: string): string {
  if (!dt.isValid) return 'an invalid time';
  let local = dt.setZone(zone);
  if (!local.isValid) local = dt.setZone('utc');
  const time = local.second !== 0 || local.millisecond !== 0 ? 'HH:mm:ss' : 'HH:mm';
  return local.toFormat(`yyyy-MM-dd ${time} '('ZZ')'`);
}

/** formatInstant for epoch milliseconds. */
export function formatMillis(ms: number, zone: string): string {
  return formatInstant(DateTime.fromMillis(ms, { zone: 'utc' }), zone);
}
