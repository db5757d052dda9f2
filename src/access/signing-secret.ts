// Where the token signing secret comes from: JWT_SECRET when set, else a random secret generated on first start
// and kept in the database, so every API process, worker and `npm run token` on one database share it and
// `npm install && npm start` needs no setting. Loaded once at start-up into ./tokens.ts.
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import type { Config } from '../config';
import { rawQuery } from '../db/raw';
import { useSigningSecret } from './tokens';
import { useGeneratedSecretsKey } from '../auth/secrets';

const JWT_SECRET_NAME = 'jwt-signing-secret';
const SECRETS_KEY_NAME = 'secrets-encryption-key';

/**
 * A random secret kept in app_secrets under `name`, generated on first call. INSERT IGNORE then read back: of several
 * processes starting at once on an empty table, the first insert wins and all of them read the same value.
 */
async function databaseSecret(sequelize: Sequelize, name: string, bytes: number): Promise<string> {
  await rawQuery(sequelize, 'INSERT IGNORE INTO app_secrets (name, value) VALUES (?, ?)', [name, randomBytes(bytes).toString('base64url')]);
  const [row] = await rawQuery<{ value: string }[]>(sequelize, 'SELECT value FROM app_secrets WHERE name = ?', [name]);
  return row.value;
}

/** The database's JWT signing secret, generated on first call. */
export function databaseJwtSecret(sequelize: Sequelize): Promise<string> {
  return databaseSecret(sequelize, JWT_SECRET_NAME, 48);
}

/**
 * The key that encrypts identity providers' client secrets when SECRETS_ENCRYPTION_KEY is unset outside production:
 * generated once per database (no key written in the source can ever decrypt them). Production requires the setting.
 */
export async function loadSecretsEncryptionKey(cfg: Pick<Config, 'NODE_ENV' | 'SECRETS_ENCRYPTION_KEY'>, sequelize: Sequelize): Promise<void> {
  if (cfg.SECRETS_ENCRYPTION_KEY.trim() || cfg.NODE_ENV === 'production') return;
  useGeneratedSecretsKey(Buffer.from(await databaseSecret(sequelize, SECRETS_KEY_NAME, 32), 'base64url'));
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
