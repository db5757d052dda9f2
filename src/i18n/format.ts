// Pieces the catalogs share: instants named in a zone with their offset, durations, lists.
import { formatMillis } from '../scheduling/format-instant';

/** An instant (epoch ms) as wall-clock time in `zone` with its explicit offset. */
export const at = (ms: unknown, zone: unknown): string => formatMillis(Number(ms), String(zone));

/** Milliseconds as "90 minutes" (two decimals at most). */
export function minutesOf(ms: number): string {
  const m = ms / 60_000;
  const text = Number.isInteger(m) ? String(m) : m.toFixed(2).replace(/0+$/, '');
  return `${text} minute${m === 1 ? '' : 's'}`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "a, b and c". */
export function listing(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
