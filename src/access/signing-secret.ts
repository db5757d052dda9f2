// Where the token signing secret comes from: JWT_SECRET when set, else a random secret generated on first start
// and kept in the database, so every API process, worker and `npm run token` on one database share it and
// `npm install && npm start` needs no setting. Loaded once at start-up into ./tokens.ts.
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import type { Config } from '../config';
import { rawQuery } from '../db/raw';
import { useSigningSecret } from './tokens';

const JWT_SECRET_NAME = 'jwt-signing-secret';

/**
 * The database's JWT signing secret, generated on first call. INSERT IGNORE then read back: of several processes
 * starting at once on an empty table, the first insert wins and all of them read the same value.
 */
export async function databaseJwtSecret(sequelize: Sequelize): Promise<string> {
  await rawQuery(sequelize, 'INSERT IGNORE INTO app_secrets (name, value) VALUES (?, ?)', [JWT_SECRET_NAME, randomBytes(48).toString('base64url')]);
  const [row] = await rawQuery<{ value: string }[]>(sequelize, 'SELECT value FROM app_secrets WHERE name = ?', [JWT_SECRET_NAME]);
  return row.value;
}

/** Sets this process's signing secret; says where it came from (for the start-up log). */
export async function loadSigningSecret(cfg: Pick<Config, 'JWT_SECRET'>, sequelize: Sequelize): Promise<'JWT_SECRET' | 'database'> {
  if (cfg.JWT_SECRET) {
    useSigningSecret(cfg.JWT_SECRET);
    return 'JWT_SECRET';
  }
  useSigningSecret(await databaseJwtSecret(sequelize));
  return 'database';
}
