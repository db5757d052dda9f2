// The bench database: dropped and migrated fresh for a full run, reached through bare mysql2 everywhere in bench/.
import mysql from 'mysql2/promise';
import { createSequelize, ensureDatabase, migrate, parseDatabaseUrl, SESSION_ISOLATION_LEVEL } from '../../src/db/database';

/** A mysql2 pool configured like the application's connections: UTC session, UTC Date conversion, READ COMMITTED. */
export function createPool(databaseUrl: string, connectionLimit = 8): mysql.Pool {
  const parts = parseDatabaseUrl(databaseUrl);
  const pool = mysql.createPool({
    host: parts.host,
    port: parts.port,
    user: parts.username,
    password: parts.password,
    database: parts.database,
    connectionLimit,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: false,
  });
  // The application runs its sessions at +00:00 too (CURRENT_TIMESTAMP defaults are UTC), and READ COMMITTED by
  // default (SESSION_ISOLATION_LEVEL), so neither side sends a SET TRANSACTION before each transaction.
  pool.on('connection', (connection) => {
    const raw = connection as unknown as { query(sql: string): void };
    raw.query("SET time_zone = '+00:00'");
    raw.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${SESSION_ISOLATION_LEVEL}`);
  });
  return pool;
}

/** Drops and recreates the bench database, then applies the project's migrations. */
export async function freshDatabase(databaseUrl: string): Promise<void> {
  const parts = parseDatabaseUrl(databaseUrl);
  if (!/bench/.test(parts.database)) throw new Error(`refusing to drop "${parts.database}": the bench only drops a database named *bench*`);
  const admin = await mysql.createConnection({ host: parts.host, port: parts.port, user: parts.username, password: parts.password });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${parts.database}\``);
  } finally {
    await admin.end();
  }
  await ensureDatabase(databaseUrl);
  const sequelize = createSequelize({ DATABASE_URL: databaseUrl, DATABASE_REPLICA_URLS: '', DATABASE_POOL_MAX: 2 });
  try {
    await migrate(sequelize);
  } finally {
    await sequelize.close();
  }
}
