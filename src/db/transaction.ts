// The project's one transaction runner: one transaction per command, retried whole a bounded number of times when the
// database says "try again" (InnoDB deadlocks and lock wait timeouts, Galera certification failures reported as
// deadlocks), each retry counted in labshare_transaction_retries_total.
//
// Why one runner with two kinds of handle rather than one kind: the booking aggregate sends plain statements through
// the project's own mysql2 pool (src/db/raw.ts), because Sequelize's transaction machinery (CLS, query objects,
// promise chains) was a tenth of a booking request's CPU; the rest of the data model (lab settings, access, keys,
// qualifications) stays on Sequelize models, whose calls need a Sequelize Transaction, and Sequelize has no public way
// to adopt a connection it did not open. So a command names its kind: `runTransaction(sequelize, fn)` hands `fn` a
// PlainTransaction for rawQuery; `runTransaction(sequelize, { kind: 'models' }, fn)` hands it a Sequelize Transaction
// for model calls. Either way the same retry rule, the same metric, READ COMMITTED unless told otherwise, and
// afterCommit only after COMMIT succeeded.
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
  /** READ COMMITTED (every connection's session default, see createSequelize) unless given; another level costs a SET TRANSACTION. */
  isolationLevel?: Transaction.ISOLATION_LEVELS;
}

/** For Sequelize model code: `fn` gets a Sequelize Transaction to pass as `{ transaction }` to every model call. */
export interface ModelTransactionOptions extends TransactionOptions {
  kind: 'models';
}

/** For plain statements: `fn` gets a PlainTransaction to pass to rawQuery (the booking aggregate and sign-in). */
export interface SqlTransactionOptions extends TransactionOptions {
  kind: 'sql';
}

/**
 * Runs fn in one transaction on the primary, retried whole on retryable errors. Plain kind (the default):
 * START TRANSACTION, fn, COMMIT on one connection of the project's primary pool; afterCommit callbacks run once COMMIT
 * succeeded; a connection whose ROLLBACK failed is destroyed, never handed back with a transaction open.
 */
export function runTransaction<T>(sequelize: Sequelize, fn: (transaction: PlainTransaction) => Promise<T>): Promise<T>;
export function runTransaction<T>(sequelize: Sequelize, options: SqlTransactionOptions, fn: (transaction: PlainTransaction) => Promise<T>): Promise<T>;
export function runTransaction<T>(sequelize: Sequelize, options: ModelTransactionOptions, fn: (transaction: Transaction) => Promise<T>): Promise<T>;
export function runTransaction<T>(
  sequelize: Sequelize,
  optionsOrFn: SqlTransactionOptions | ModelTransactionOptions | ((transaction: PlainTransaction) => Promise<T>),
  maybeFn?: ((transaction: PlainTransaction) => Promise<T>) | ((transaction: Transaction) => Promise<T>),
): Promise<T> {
  const options: SqlTransactionOptions | ModelTransactionOptions = typeof optionsOrFn === 'function' ? { kind: 'sql' } : optionsOrFn;
  const fn = (typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn)!;
  const level = options.isolationLevel ?? Transaction.ISOLATION_LEVELS.READ_COMMITTED;
  const otherLevel = level === Transaction.ISOLATION_LEVELS.READ_COMMITTED ? undefined : level;
  if (options.kind === 'models') {
    const modelFn = fn as (transaction: Transaction) => Promise<T>;
    return withRetries(() => sequelize.transaction(otherLevel ? { isolationLevel: otherLevel } : {}, modelFn));
  }
  return withRetries(() => plainAttempt(sequelize, fn as (transaction: PlainTransaction) => Promise<T>, otherLevel));
}

async function plainAttempt<T>(sequelize: Sequelize, fn: (transaction: PlainTransaction) => Promise<T>, level?: Transaction.ISOLATION_LEVELS): Promise<T> {
  const connection = await acquire(sqlPools(sequelize).primary);
  const committed: (() => void)[] = [];
  const transaction: PlainTransaction = { connection, afterCommit: (callback) => committed.push(callback) };
  let result: T;
  try {
    if (level) await rawQuery(sequelize, `SET TRANSACTION ISOLATION LEVEL ${level}`, [], { transaction });
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
