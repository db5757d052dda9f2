// Sequelize formats Date replacements for MySQL/MariaDB without milliseconds; DATETIME(3) columns need them.
// Raw queries pass instants (Date, DateTime or epoch ms) through this instead: 'YYYY-MM-DD HH:mm:ss.SSS' in UTC (the connection's zone).
import { DateTime } from 'luxon';

export function sqlInstant(value: Date | DateTime | number): string {
  const iso = (typeof value === 'number' ? new Date(value) : DateTime.isDateTime(value) ? value.toJSDate() : value).toISOString();
  // 'YYYY-MM-DDTHH:mm:ss.sssZ' → 'YYYY-MM-DD HH:mm:ss.sss' (years 0000–9999; others are refused before they get here)
  return iso.length === 24 ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : iso.replace('T', ' ').replace('Z', '');
}
