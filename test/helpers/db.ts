// One migrated test database per test process; suites reset the tables they touch.
import type { Options, Sequelize } from 'sequelize';
import { loadSecretsEncryptionKey, loadSigningSecret } from '../../src/access/signing-secret';
import { config } from '../../src/config';
import { createSequelize, ensureDatabase, migrate } from '../../src/db/database';
import { initModels } from '../../src/db/models';

let shared: Promise<Sequelize> | undefined;

/**
 * The shared test database. Sequelize models are module-global, so a suite that opened another database rebinds them;
 * every call binds them back to this one.
 */
export async function testDatabase(): Promise<Sequelize> {
  shared ??= (async () => {
    const cfg = config();
    await ensureDatabase(cfg.DATABASE_URL);
    const sequelize = createSequelize(cfg);
    await migrate(sequelize);
    // The test process's start-up: tokens minted by helpers are signed as the API under test verifies them.
    await loadSigningSecret(cfg, sequelize);
    await loadSecretsEncryptionKey(cfg, sequelize);
    return sequelize;
  })();
  const sequelize = await shared;
  initModels(sequelize);
  return sequelize;
}

export async function closeTestDatabase(): Promise<void> {
  if (!shared) return;
  const sequelize = await shared;
  shared = undefined;
  await sequelize.close();
}

/** Empties the given tables (default: every table but the migration log). Deletes beat TRUNCATE on small tables. */
export async function resetTables(tables?: string[]): Promise<Sequelize> {
  const sequelize = await testDatabase();
  const existing = ((await sequelize.query('SHOW TABLES', { raw: true }))[0] as Record<string, string>[])
    .map((row) => Object.values(row)[0])
    .filter((name) => name !== 'schema_migrations');
  const targets = tables ? tables.filter((t) => existing.includes(t)) : existing;
  await sequelize.transaction(async (transaction) => {
    await sequelize.query('SET FOREIGN_KEY_CHECKS = 0', { transaction });
    for (const table of targets) await sequelize.query(`DELETE FROM \`${table}\``, { transaction });
    await sequelize.query('SET FOREIGN_KEY_CHECKS = 1', { transaction });
  });
  return sequelize;
}

/** Counts SQL statements Sequelize sends while fn runs. */
export async function countQueries<T>(sequelize: Sequelize, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  // Sequelize reads options.logging on every query, so swapping it counts exactly what fn sends.
  const options = (sequelize as unknown as { options: Options }).options;
  const previous = options.logging;
  options.logging = (sql: string) => {
    queries.push(sql);
  };
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    options.logging = previous;
  }
}
