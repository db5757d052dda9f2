import type { Translate } from '../i18n';

/** "1 h 30 min", through the catalogs so every language words it its own way. */
export function duration(minutes: number, t: Translate): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [];
  if (days) parts.push(t('duration.days', { n: days }));
  if (hours) parts.push(t('duration.hours', { n: hours }));
  if (mins || parts.length === 0) parts.push(t('duration.minutes', { n: mins }));
  return parts.join(' ');
}
