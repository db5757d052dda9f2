// Pieces the catalogs share: instants named in a zone with their offset, the same in every language.
import { formatMillis } from '../scheduling/format-instant';

/** An instant (epoch ms) as wall-clock time in `zone` with its explicit offset, "2026-12-03 09:00 (+06:30)". */
export const at = (ms: unknown, zone: unknown): string => formatMillis(Number(ms), String(zone));
