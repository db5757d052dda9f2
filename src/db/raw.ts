// Plain SQL through mysql2 pools the project owns: one on the primary, and one per read replica when
// DATABASE_REPLICA_URLS names any. Sequelize's query() wrapper (replacement parsing, Query objects, lodash, moment)
// cost more CPU than the statements themselves on the availability and booking paths, so the hot aggregate sends
// its statements here; Sequelize models keep their own pool (always the primary) for the rest of the data model.
//
// Routing: a statement goes to the primary unless it is marked `type: 'read'` and runs outside a transaction. Only
// reads that may lag behind the caller's own writes are marked (free/busy, sign-in lookups, catalogue listings, usage
// reports; the last two through findAllRows), and only for viewers who did not write a moment ago (recent-writers.ts);
// a command's reads are never marked, so it always sees what it (or the request before it) wrote.
import mysql from 'mysql2';
import { QueryTypes, Transaction, Utils, type Attributes, type FindOptions, type Model, type ModelStatic, type Options, type Sequelize } from 'sequelize';

export interface CallbackConnection {
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): void;
}

interface PooledConnection extends CallbackConnection {
  release(): void;
  destroy(): void;
}

/** A transaction on one connection of the primary pool (see runTransaction in transaction.ts). */
export interface PlainTransaction {
  readonly connection: CallbackConnection;
  /** Runs after COMMIT succeeded; never after a rollback. */
  afterCommit(fn: () => void): void;
}

/** Either kind: rawQuery runs on the transaction's connection (a model transaction only for reads, see below). */
export type AnyTransaction = Transaction | PlainTransaction;

export interface RawOptions {
  transaction?: AnyTransaction;
  /** Without a transaction: 'read' goes to a replica when there is one; default 'write' (the primary). */
  type?: 'read' | 'write';
}

export interface WriteResult {
  insertId: number;
  affectedRows: number;
}

export interface PoolSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export interface SqlPoolOptions {
  primary: PoolSettings;
  replicas: PoolSettings[];
  connectionLimit: number;
  connectTimeoutMs: number;
  /** Longest wait for a free connection; 0: unbounded. */
  acquireTimeoutMs: number;
  /** Session set-up of every new connection (isolation level, statement bounds); see createSequelize. */
  prepare(connection: unknown): void;
}

/** The project's pools: the primary, and the replicas (empty without DATABASE_REPLICA_URLS). */
export interface SqlPools {
  readonly primary: mysql.Pool;
  readonly replicas: readonly mysql.Pool[];
  /** Which pool the next replica read takes (round robin). */
  nextReplica(): mysql.Pool;
  end(): Promise<void>;
}

const pools = new WeakMap<Sequelize, SqlPools>();

function openPool(settings: PoolSettings, options: SqlPoolOptions): mysql.Pool {
  const pool = mysql.createPool({
    host: settings.host, port: settings.port, user: settings.username, password: settings.password, database: settings.database,
    connectionLimit: options.connectionLimit, maxIdle: options.connectionLimit, idleTimeout: 10_000, queueLimit: 0,
    connectTimeout: options.connectTimeoutMs,
    // The same typing Sequelize gives its connections: instants are UTC Dates, DATE columns stay strings, BIGINTs are
    // numbers when safe, and affectedRows counts changed rows (-FOUND_ROWS).
    timezone: 'Z', dateStrings: ['DATE'], supportBigNumbers: true, bigNumberStrings: false, flags: ['-FOUND_ROWS'],
  });
  pool.on('connection', (connection) => options.prepare(connection));
  return pool;
}

/** Opens the project's pools for this Sequelize instance (createSequelize does); closing it ends them. */
export function attachSqlPools(sequelize: Sequelize, options: SqlPoolOptions): SqlPools {
  const primary = openPool(options.primary, options);
  const replicas = options.replicas.map((settings) => openPool(settings, options));
  let turn = 0;
  const endPool = (pool: mysql.Pool) => new Promise<void>((resolve) => pool.end(() => resolve()));
  const owned: SqlPools = {
    primary,
    replicas,
    nextReplica: () => (replicas.length ? replicas[(turn = (turn + 1) % replicas.length)] : primary),
    end: async () => {
      await Promise.all([primary, ...replicas].map(endPool));
    },
  };
  pools.set(sequelize, owned);
  acquireBounds.set(primary, options.acquireTimeoutMs);
  for (const replica of replicas) acquireBounds.set(replica, options.acquireTimeoutMs);
  return owned;
}

/** The pools createSequelize opened for this instance. */
export function sqlPools(sequelize: Sequelize): SqlPools {
  const owned = pools.get(sequelize);
  if (!owned) throw new Error('This Sequelize instance was not made by createSequelize: it has no SQL pools');
  return owned;
}

const acquireBounds = new WeakMap<mysql.Pool, number>();

/** A connection from the pool, or an error once the pool's acquire bound passed (a connection got later is handed back). */
export function acquire(pool: mysql.Pool): Promise<PooledConnection> {
  const boundMs = acquireBounds.get(pool) ?? 0;
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = boundMs
      ? setTimeout(() => {
          timedOut = true;
          reject(Object.assign(new Error(`No database connection became free within ${boundMs} ms`), { code: 'ETIMEDOUT' }));
        }, boundMs)
      : undefined;
    pool.getConnection((error, connection) => {
      if (timer) clearTimeout(timer);
      if (timedOut) {
        connection?.release();
        return;
      }
      if (error) reject(error);
      else resolve(connection as unknown as PooledConnection);
    });
  });
}

export const send = <T>(connection: CallbackConnection, sql: string, values: unknown[]) =>
  new Promise<T>((resolve, reject) => {
    connection.query(sql, values, (error, result) => (error ? reject(error) : resolve(result as T)));
  });

/** Tests count statements through Sequelize's logging option; plain statements report there too. */
function logStatement(sequelize: Sequelize, sql: string): void {
  const { logging } = (sequelize as unknown as { options: Options }).options;
  if (typeof logging === 'function') logging(`Executing (raw): ${sql}`);
}

/** Runs one statement with positional `?` values (arrays expand for IN (?)); rows for SELECT, a header otherwise. */
export async function rawQuery<T>(sequelize: Sequelize, sql: string, values: unknown[], options: RawOptions = {}): Promise<T> {
  const { transaction } = options;
  if (transaction instanceof Transaction) {
    // A model transaction (lab settings, access commands) asking a policy question inside it: its reads go through
    // Sequelize's public query API on that transaction's connection.
    return (await sequelize.query(sql, { replacements: values, transaction, type: QueryTypes.SELECT })) as T;
  }
  logStatement(sequelize, sql);
  if (transaction) return send<T>(transaction.connection, sql, values);
  const owned = sqlPools(sequelize);
  const connection = await acquire(options.type === 'read' ? owned.nextReplica() : owned.primary);
  try {
    return await send<T>(connection, sql, values);
  } finally {
    connection.release();
  }
}

/** For reads that may be a second stale: replica true sends them to a replica (the caller knows the viewer did not just write). */
export interface ReplicaRead {
  replica?: boolean;
}

/** The RawOptions type of a ReplicaRead. */
export const readType = (read: ReplicaRead = {}): 'read' | 'write' => (read.replica ? 'read' : 'write');

interface SelectBuilder {
  selectQuery(table: unknown, options: object, model: ModelStatic<Model>): string;
}

/**
 * A model's rows as `findAll({ ...options, raw: true })` returns them (attribute names, the same value types), with
 * `replica: true` from a replica: Sequelize writes the SELECT (where, order, limit; no includes), the project's pools
 * send it. Otherwise it is findAll itself, on the models' pool (the primary).
 */
export async function findAllRows<M extends Model>(
  model: ModelStatic<M>,
  options: Omit<FindOptions<Attributes<M>>, 'include' | 'raw' | 'transaction'>,
  read: ReplicaRead = {},
): Promise<Attributes<M>[]> {
  if (!read.replica) return (await model.findAll({ ...options, raw: true })) as unknown as Attributes<M>[];
  const sequelize = model.sequelize!;
  const mapped = (Utils as unknown as { mapFinderOptions(options: object, model: ModelStatic<M>): object }).mapFinderOptions(
    { ...options, attributes: options.attributes ?? Object.keys(model.getAttributes()) },
    model,
  );
  const sql = (sequelize.getQueryInterface() as unknown as { queryGenerator: SelectBuilder }).queryGenerator.selectQuery(model.getTableName(), mapped, model);
  // The statement carries its values already escaped: no `?` of it is a placeholder.
  return rawQuery<Attributes<M>[]>(sequelize, sql, [], { type: 'read' });
}

/** MySQL's duplicate-key error, as plain statements report it. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { errno?: number })?.errno === 1062;
}
