// Hot-path SQL straight through the pool's mysql2 connections. Sequelize's query() wrapper (replacement parsing,
// Query objects, lodash, moment) cost more CPU than the statements themselves on the availability and booking
// paths. Same connections, same type casting (the pool's typeCast), same transaction connection when given, and the
// same statement bound (set on each connection, see createSequelize); its failures are classified in connection-errors.ts.
import type { Options, Sequelize, Transaction } from 'sequelize';

export interface CallbackConnection {
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): void;
}

export interface ConnectionManager {
  getConnection(options: { type: 'read' | 'write' }): Promise<CallbackConnection>;
  releaseConnection(connection: CallbackConnection): void;
}

/**
 * A transaction on one pooled connection without Sequelize's wrapper (see runPlainTransaction): for commands that
 * send plain statements only. Sequelize models cannot use it.
 */
export interface PlainTransaction {
  readonly connection: CallbackConnection;
  /** Runs after COMMIT succeeded; never after a rollback. */
  afterCommit(fn: () => void): void;
}

/** Either kind: rawQuery runs on the transaction's connection. */
export type AnyTransaction = Transaction | PlainTransaction;

export interface RawOptions {
  transaction?: AnyTransaction;
  /** Without a transaction: 'read' may go to a replica; default 'write'. */
  type?: 'read' | 'write';
}

export const connectionManager = (sequelize: Sequelize) => (sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;

const run = <T>(connection: CallbackConnection, sql: string, values: unknown[]) =>
  new Promise<T>((resolve, reject) => {
    connection.query(sql, values, (error, result) => (error ? reject(error) : resolve(result as T)));
  });

/** Runs one statement with positional `?` values (arrays expand for IN (?)); rows for SELECT, a header otherwise. */
export async function rawQuery<T>(sequelize: Sequelize, sql: string, values: unknown[], options: RawOptions = {}): Promise<T> {
  const { logging } = (sequelize as unknown as { options: Options }).options;
  if (typeof logging === 'function') logging(`Executing (raw): ${sql}`); // keeps query counting in tests honest
  if (options.transaction) {
    return run<T>((options.transaction as unknown as { connection: CallbackConnection }).connection, sql, values);
  }
  const manager = connectionManager(sequelize);
  const connection = await manager.getConnection({ type: options.type ?? 'write' });
  try {
    return await run<T>(connection, sql, values);
  } finally {
    manager.releaseConnection(connection);
  }
}

export interface WriteResult {
  insertId: number;
  affectedRows: number;
}

/** MySQL's duplicate-key error, as raw statements report it. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { errno?: number })?.errno === 1062;
}
