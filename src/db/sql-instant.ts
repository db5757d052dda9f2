// Sequelize formats Date replacements for MySQL/MariaDB without milliseconds; DATETIME(3) columns need them.
// Raw queries pass instants through this instead: 'YYYY-MM-DD HH:mm:ss.SSS' in UTC (the connection's zone).
import { DateTime } from 'luxon';

export function sqlInstant(value: Date | DateTime): string {
  const date = DateTime.isDateTime(value) ? value.toJSDate() : value;
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
