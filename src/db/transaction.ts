// One transaction per command, retried a bounded number of times when the database says "try again":
// InnoDB deadlocks and lock wait timeouts, and Galera certification failures (reported as deadlocks).
import { setTimeout as sleep } from 'node:timers/promises';
import { Transaction, type Sequelize } from 'sequelize';
import { acquire, rawQuery, sqlPools, type PlainTransaction } from './raw';
import { countTransactionRetry } from './retry-metrics';

const RETRYABLE_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK (also Galera certification failures)
  1205, // ER_LOCK_WAIT_TIMEOUT
  1020, // ER_CHECKREAD: record changed since last read
  1180, // ER_ERROR_DURING_COMMIT (Galera)
]);
export const MAX_TRANSACTION_ATTEMPTS = 6;

export function isRetryable(error: unknown): boolean {
  const e = error as { parent?: { errno?: number }; original?: { errno?: number }; errno?: number };
  const errno = e?.parent?.errno ?? e?.original?.errno ?? e?.errno;
  return errno !== undefined && RETRYABLE_ERRNOS.has(errno);
}

export interface TransactionOptions {
  isolationLevel?: Transaction.ISOLATION_LEVELS;
}

/**
 * The project's transaction runner: START TRANSACTION, fn, COMMIT on one connection of the primary pool
 * (src/db/raw.ts), READ COMMITTED (every connection's session default, see createSequelize), retried whole on
 * retryable errors. Without Sequelize's transaction machinery: its CLS, query objects and promise chains were a tenth
 * of a booking request's CPU. afterCommit callbacks run once COMMIT succeeded. A connection whose ROLLBACK failed is
 * destroyed, never handed back with a transaction open.
 */
export async function runTransaction<T>(sequelize: Sequelize, fn: (transaction: PlainTransaction) => Promise<T>): Promise<T> {
  return withRetries(async () => {
    const connection = await acquire(sqlPools(sequelize).primary);
    const committed: (() => void)[] = [];
    const transaction: PlainTransaction = { connection, afterCommit: (callback) => committed.push(callback) };
    let result: T;
    try {
      await rawQuery(sequelize, 'START TRANSACTION', [], { transaction });
      result = await fn(transaction);
      await rawQuery(sequelize, 'COMMIT', [], { transaction });
    } catch (error) {
      await rawQuery(sequelize, 'ROLLBACK', [], { transaction }).catch(() => connection.destroy());
      throw error;
    } finally {
      connection.release();
    }
    for (const callback of committed) callback();
    return result;
  });
}

/**
 * The same retry rule for the Sequelize models of the rest of the data model (lab settings, access, qualifications),
 * whose model calls need a Sequelize transaction. READ COMMITTED unless told otherwise; only another level costs a
 * SET TRANSACTION statement.
 */
export async function runModelTransaction<T>(
  sequelize: Sequelize,
  fn: (transaction: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const level = options.isolationLevel ?? Transaction.ISOLATION_LEVELS.READ_COMMITTED;
  const transactionOptions = level === Transaction.ISOLATION_LEVELS.READ_COMMITTED ? {} : { isolationLevel: level };
  return withRetries(() => sequelize.transaction(transactionOptions, fn));
}

async function withRetries<T>(attemptOnce: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOnce();
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_TRANSACTION_ATTEMPTS) throw error;
      countTransactionRetry(error);
      await sleep(Math.floor(Math.random() * 20 * attempt) + 5); // jittered backoff, bounded by the attempt count
    }
  }
}
