// The Sequelize instance, database creation and migrations.
import mysql from 'mysql2/promise';
import { Sequelize, type Options } from 'sequelize';
import { Umzug, SequelizeStorage } from 'umzug';
import type { Config } from '../config';
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

export function createSequelize(cfg: Pick<Config, 'DATABASE_URL' | 'DATABASE_REPLICA_URLS' | 'DATABASE_POOL_MAX'>, extra: Options = {}): Sequelize {
  const write = parseDatabaseUrl(cfg.DATABASE_URL);
  const replicas = cfg.DATABASE_REPLICA_URLS.split(',').map((s) => s.trim()).filter(Boolean).map(parseDatabaseUrl);
  const options: Options = {
    dialect: 'mysql',
    logging: false,
    // Instants are stored and read as UTC; rendering in a zone happens at the edges.
    timezone: '+00:00',
    benchmark: false,
    pool: { max: cfg.DATABASE_POOL_MAX, min: 0, idle: 10_000, acquire: 30_000 },
    dialectOptions: { dateStrings: false, supportBigNumbers: true, bigNumberStrings: false, connectTimeout: 5000 },
    // underscored maps createdAt/updatedAt (and every camelCase attribute) to snake_case columns.
    define: { underscored: true, timestamps: true },
    ...extra,
  };
  const sequelize = replicas.length
    ? new Sequelize(write.database, write.username, write.password, {
        ...options,
        replication: { write, read: replicas },
      })
    : new Sequelize(write.database, write.username, write.password, { ...options, host: write.host, port: write.port });
  // Every connection's transactions default to READ COMMITTED (the level runTransaction uses), set once per
  // connection here instead of by a SET TRANSACTION statement before each transaction.
  sequelize.addHook('afterConnect', (connection: unknown) => new Promise<void>((resolve, reject) => {
    (connection as { query(sql: string, callback: (error: Error | null) => void): void }).query(
      `SET SESSION TRANSACTION ISOLATION LEVEL ${SESSION_ISOLATION_LEVEL}`,
      (error) => (error ? reject(error) : resolve()),
    );
  }));
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

export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const applied = await migrator(sequelize).up();
  return applied.map((m) => m.name);
}
