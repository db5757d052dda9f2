// One transaction per booking command. Writers of one instrument are serialised by writing its row first
// (UPDATE ... booking_seq + 1): the row lock orders writers on one server, and because the row is written,
// Galera's certification aborts all but one of two concurrent writers on different nodes. Aborts, deadlocks and
// lock timeouts are retried a bounded number of times.
import { setTimeout as sleep } from 'node:timers/promises';
import { Transaction } from 'sequelize';
import { Instrument } from '../db/models';

const RETRYABLE_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK (also Galera certification failures)
  1205, // ER_LOCK_WAIT_TIMEOUT
  1020, // ER_CHECKREAD: record changed since last read
  1180, // ER_ERROR_DURING_COMMIT (Galera)
]);
export const MAX_ATTEMPTS = 6;

export class InstrumentNotFound extends Error {
  constructor(readonly instrumentId: number) {
    super(`Instrument ${instrumentId} not found`);
    this.name = 'InstrumentNotFound';
  }
}

export function isRetryable(error: unknown): boolean {
  const e = error as { parent?: { errno?: number }; original?: { errno?: number }; errno?: number };
  const errno = e?.parent?.errno ?? e?.original?.errno ?? e?.errno;
  return errno !== undefined && RETRYABLE_ERRNOS.has(errno);
}

/** Runs fn in a READ COMMITTED transaction that first takes the instrument's write lock; retries on deadlock. */
export async function withInstrumentLock<T>(instrumentId: number, fn: (transaction: Transaction) => Promise<T>): Promise<T> {
  const sequelize = Instrument.sequelize!;
  for (let attempt = 1; ; attempt += 1) {
    try {
      // READ COMMITTED: reads after the lock see every booking committed before it was granted.
      return await sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, async (transaction) => {
        const [, meta] = await sequelize.query('UPDATE instruments SET booking_seq = booking_seq + 1 WHERE id = ?', {
          replacements: [instrumentId],
          transaction,
        });
        if ((meta as { affectedRows?: number })?.affectedRows === 0) throw new InstrumentNotFound(instrumentId);
        return fn(transaction);
      });
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.floor(Math.random() * 20 * attempt) + 5); // jittered backoff, bounded by MAX_ATTEMPTS
    }
  }
}
