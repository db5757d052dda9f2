// The Sequelize instance, database creation and migrations.
import { EventEmitter } from 'node:events';
import mysql from 'mysql2/promise';
import { Sequelize, type Options } from 'sequelize';
import { Umzug, SequelizeStorage } from 'umzug';
import type { Config } from '../config';
import { STATEMENT_TIMEOUT_CODE } from './connection-errors';
import { attachSqlPools } from './raw';
import { migrations } from './migrations';
import { initModels } from './models';

interface ConnectionParts {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export function parseDatabaseUrl(databaseUrl: string): ConnectionParts {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, '') || 'labshare',
  };
}

export class DatabaseUnreachableError extends Error {
  constructor(readonly address: string, cause: unknown) {
    super(`MariaDB is not reachable at ${address} (${(cause as Error)?.message ?? cause})`);
    this.name = 'DatabaseUnreachableError';
  }
}

/** Creates the database named in the URL if it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const parts = parseDatabaseUrl(databaseUrl);
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({
      host: parts.host, port: parts.port, user: parts.username, password: parts.password, connectTimeout: 5000,
    });
  } catch (error) {
    throw new DatabaseUnreachableError(`${parts.host}:${parts.port}`, error);
  }
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${parts.database.replace(/`/g, '')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

type SequelizeSettings = Pick<Config, 'DATABASE_URL' | 'DATABASE_REPLICA_URLS' | 'DATABASE_POOL_MAX'> & Partial<Pick<Config, 'DATABASE_STATEMENT_TIMEOUT_MS'>>;

/** Used when a caller passes no DATABASE_STATEMENT_TIMEOUT_MS (the setting's own default). */
const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

interface Mysql2Connection {
  query: (...args: unknown[]) => unknown;
  execute: (...args: unknown[]) => unknown;
  destroy(): void;
}

/**
 * Bounds every statement sent on this connection, by Sequelize or by rawQuery, on the client side: a frozen server
 * never answers, so its own max_statement_time cannot be enough. (mysql2's per-query `timeout` would not cover the
 * PREPARE that `execute` sends first.) A connection whose statement timed out could still receive that statement's
 * late answer, so it is destroyed: later statements on it (a ROLLBACK) fail at once and the pool opens a fresh one.
 */
function boundStatements(connection: Mysql2Connection, timeoutMs: number): void {
  let timedOut: Error | null = null;
  const bounded = (send: (...args: unknown[]) => unknown) => (sql: unknown, values?: unknown, callback?: unknown): unknown => {
    const done = (typeof values === 'function' ? values : callback) as ((error: Error | null, ...rest: unknown[]) => void) | undefined;
    if (!done) return send.call(connection, sql, values, callback); // streamed results: not used by this project
    if (timedOut) {
      const error = timedOut;
      process.nextTick(() => done(error));
      return new EventEmitter(); // in place of the command: callers may chain setMaxListeners on it
    }
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      timedOut = Object.assign(new Error(`The database did not answer within ${timeoutMs} ms`), { code: STATEMENT_TIMEOUT_CODE, fatal: true });
      connection.destroy();
      done(timedOut);
    }, timeoutMs);
    const once = (error: Error | null, ...rest: unknown[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(error, ...rest);
    };
    return typeof values === 'function' ? send.call(connection, sql, once) : send.call(connection, sql, values, once);
  };
  connection.query = bounded(connection.query);
  connection.execute = bounded(connection.execute);
}

export function createSequelize(cfg: SequelizeSettings, extra: Options = {}): Sequelize {
  const statementTimeoutMs = cfg.DATABASE_STATEMENT_TIMEOUT_MS ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  // Connecting and waiting for a pooled connection are bounded too: a request never waits longer than one statement could.
  const waitMs = statementTimeoutMs || 30_000;
  const write = parseDatabaseUrl(cfg.DATABASE_URL);
  const replicas = cfg.DATABASE_REPLICA_URLS.split(',').map((s) => s.trim()).filter(Boolean).map(parseDatabaseUrl);
  const options: Options = {
    dialect: 'mysql',
    logging: false,
    // Instants are stored and read as UTC; rendering in a zone happens at the edges.
    timezone: '+00:00',
    benchmark: false,
    pool: { max: cfg.DATABASE_POOL_MAX, min: 0, idle: 10_000, acquire: waitMs },
    dialectOptions: { dateStrings: false, supportBigNumbers: true, bigNumberStrings: false, connectTimeout: Math.min(5000, waitMs) },
    // underscored maps createdAt/updatedAt (and every camelCase attribute) to snake_case columns.
    define: { underscored: true, timestamps: true },
    ...extra,
  };
  // Models always use the primary (no Sequelize replication): a model read after a write must see it. Replicas are
  // reached only by plain reads marked for them (src/db/raw.ts).
  const sequelize = new Sequelize(write.database, write.username, write.password, { ...options, host: write.host, port: write.port });
  // Every connection's transactions default to READ COMMITTED (the level runTransaction uses), set once per
  // connection here instead of by a SET TRANSACTION statement before each transaction.
  const prepare = async (connection: unknown) => {
    const send = (sql: string) => new Promise<void>((resolve, reject) => {
      (connection as { query(sql: string, callback: (error: Error | null) => void): void }).query(sql, (error) => (error ? reject(error) : resolve()));
    });
    const settings = [send(`SET SESSION TRANSACTION ISOLATION LEVEL ${SESSION_ISOLATION_LEVEL}`)];
    // The server ends a statement that runs too long itself and the connection stays usable; the client-side bound
    // below is for a server that does not answer at all.
    if (statementTimeoutMs) settings.push(send(`SET SESSION max_statement_time = ${statementTimeoutMs / 1000}`));
    if (statementTimeoutMs) boundStatements(connection as Mysql2Connection, statementTimeoutMs);
    await Promise.all(settings);
  };
  sequelize.addHook('afterConnect', prepare);
  // The project's own pools for plain SQL (the booking store, free/busy, sign-in): same session set-up, same bounds.
  // The statements above are queued on a new connection before anything else is sent on it.
  const owned = attachSqlPools(sequelize, {
    primary: write, replicas, connectionLimit: cfg.DATABASE_POOL_MAX, connectTimeoutMs: Math.min(5000, waitMs), acquireTimeoutMs: waitMs,
    prepare: (connection) => void prepare(connection).catch(() => undefined),
  });
  const closeModels = sequelize.close.bind(sequelize);
  sequelize.close = async () => {
    await owned.end();
    return closeModels();
  };
  initModels(sequelize);
  return sequelize;
}

/** The isolation level every pooled connection is given when it connects. */
export const SESSION_ISOLATION_LEVEL = 'READ COMMITTED';

export function migrator(sequelize: Sequelize): Umzug<ReturnType<Sequelize['getQueryInterface']>> {
  return new Umzug({
    migrations: migrations.map(({ name, module }) => ({
      name,
      up: ({ context }) => module.up({ context }),
      down: ({ context }) => module.down({ context }),
    })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

/** Longest a process waits for another one's migrations before giving up (a large table rebuild takes minutes). */
export const MIGRATION_LOCK_WAIT_SECONDS = 600;

/**
 * Applies pending migrations, one process at a time: a MariaDB named lock (GET_LOCK, per database) is held on one
 * connection to the primary for the whole run, so processes started together wait, then find nothing left to do.
 * The lock dies with its connection, so a process killed mid-run does not block the others. `sequelize` must reach
 * the primary only (openDatabase passes one without replicas): umzug's storage reads the applied list through it,
 * and a lagging replica's list would re-run a migration.
 */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const { connectionManager: manager } = sequelize as unknown as { connectionManager: {
    getConnection(options: { type: 'write' }): Promise<unknown>;
    releaseConnection(connection: unknown): void;
  } };
  const connection = (await manager.getConnection({ type: 'write' })) as {
    query(sql: string, values: unknown[], callback: (error: Error | null, rows: unknown) => void): void;
  };
  const send = (sql: string, values: unknown[]) =>
    new Promise<Record<string, unknown>[]>((resolve, reject) => {
      connection.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows as Record<string, unknown>[])));
    });
  // Lock names are server-wide (at most 64 characters): the database name keeps two databases' runs apart.
  const lockName = `labshare:migrate:${sequelize.getDatabaseName()}`.slice(0, 64);
  try {
    const [{ locked }] = await send('SELECT GET_LOCK(?, ?) AS locked', [lockName, MIGRATION_LOCK_WAIT_SECONDS]);
    if (Number(locked) !== 1) throw new Error(`another process has been migrating for over ${MIGRATION_LOCK_WAIT_SECONDS} s (lock ${lockName})`);
    try {
      const applied = await migrator(sequelize).up();
      return applied.map((m) => m.name);
    } finally {
      await send('SELECT RELEASE_LOCK(?)', [lockName]).catch(() => undefined);
    }
  } finally {
    manager.releaseConnection(connection);
  }
}
