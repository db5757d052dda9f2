// Start-up steps shared by the API and the worker: config, database (created and migrated), Redis; and the
// shutdown on SIGTERM/SIGINT.
// Failures a newcomer can fix end the process with one clear line, not a stack trace.
import type { Sequelize } from 'sequelize';
import { ConfigError, config, type Config } from './config';
import { createSequelize, DatabaseUnreachableError, ensureDatabase, migrate, parseDatabaseUrl } from './db/database';
import { logger } from './logger';
import { connectRedis, RedisIsClusterError, RedisUnreachableError, type RedisClient } from './redis';

const HOW_TO_START = {
  mariadb:
    'Start MariaDB: `sudo systemctl start mariadb` (Debian/Ubuntu), `brew services start mariadb` (macOS), ' +
    'or `docker compose up -d mariadb`; or point DATABASE_URL at a running server.',
  redis:
    'Start Redis: `sudo systemctl start redis-server` (Debian/Ubuntu), `brew services start redis` (macOS), ' +
    'or `docker compose up -d redis`; or point REDIS_URL at a running server.',
};

export function exitWithOneLine(line: string): never {
  process.stderr.write(`labshare: ${line}\n`);
  process.exit(1);
}

export function loadConfigOrExit(): Config {
  try {
    return config();
  } catch (error) {
    if (error instanceof ConfigError) exitWithOneLine(error.message);
    throw error;
  }
}

export async function openDatabase(cfg: Config): Promise<Sequelize> {
  try {
    await ensureDatabase(cfg.DATABASE_URL);
    // Migrations may rebuild large tables: they run on their own connections without the statement bound, and on
    // the primary only (the applied list read from a lagging replica would re-run a migration).
    const migrating = createSequelize({ ...cfg, DATABASE_REPLICA_URLS: '', DATABASE_STATEMENT_TIMEOUT_MS: 0 });
    try {
      await migrate(migrating);
    } finally {
      await migrating.close();
    }
    return createSequelize(cfg);
  } catch (error) {
    if (error instanceof DatabaseUnreachableError) exitWithOneLine(`${error.message}. ${HOW_TO_START.mariadb}`);
    const { host, port } = parseDatabaseUrl(cfg.DATABASE_URL);
    exitWithOneLine(`could not prepare the database at ${host}:${port}: ${(error as Error).message}`);
  }
}

export async function openRedis(cfg: Config): Promise<RedisClient> {
  try {
    // Every reconnect attempt errors: an outage is logged once when it starts and once when it ends.
    return await connectRedis({ url: cfg.REDIS_URL, clusterNodes: cfg.REDIS_CLUSTER_NODES }, 'requests', logger);
  } catch (error) {
    if (error instanceof RedisUnreachableError) exitWithOneLine(`${error.message}. ${HOW_TO_START.redis}`);
    if (error instanceof RedisIsClusterError) exitWithOneLine(error.message);
    throw error;
  }
}

/**
 * SIGTERM and SIGINT run `shutdown` once (a second signal does not start it again). It exits 0 when shutdown is done,
 * 1 when it fails or takes longer than graceMs.
 */
export function shutDownOnSignals(graceMs: number, what: string, shutdown: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `shutting down: ${what}`);
    const force = setTimeout(() => process.exit(1), graceMs).unref();
    try {
      await shutdown();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    clearTimeout(force);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal));
}
