// The one place that tells "the database is down, frozen or overloaded" (retry later) apart from every other
// database error (a bug, a constraint). Sequelize wraps driver errors (parent/original); rawQuery (src/db/raw.ts)
// hands mysql2's errors through as they are; both are recognised here.
import { ConnectionError, TimeoutError } from 'sequelize';

/** What a statement that outlived its bound fails with (mysql2's own code for a query timeout). */
export const STATEMENT_TIMEOUT_CODE = 'PROTOCOL_SEQUENCE_TIMEOUT';

/** Driver and socket codes of a connection that could not be made, was lost, or a statement that got no answer. */
const UNAVAILABLE_CODES = new Set([
  STATEMENT_TIMEOUT_CODE, 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);

const UNAVAILABLE_ERRNOS = new Set([
  1969, // ER_STATEMENT_TIMEOUT: the server ended a statement at max_statement_time
  1040, // ER_CON_COUNT_ERROR: too many connections
  1053, // ER_SERVER_SHUTDOWN
  2013, // CR_SERVER_LOST
  2006, // CR_SERVER_GONE_ERROR
]);

/** True when `error` (or what it wraps) says the database cannot answer now: worth a retry, not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
    seen.add(current);
    if (current instanceof ConnectionError || current instanceof TimeoutError) return true;
    const e = current as { code?: unknown; errno?: unknown; fatal?: unknown; parent?: unknown; original?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.errno === 'number' && UNAVAILABLE_ERRNOS.has(e.errno)) return true;
    // mysql2 marks errors that leave the connection unusable ("Can't add new command when connection is in closed state").
    if (e.fatal === true && !(e as { sqlState?: string }).sqlState) return true;
    current = e.parent ?? e.original ?? e.cause;
  }
  return false;
}
