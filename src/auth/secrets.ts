// Secrets LabShare must present again (identity providers' client secrets) are stored AES-256-GCM encrypted with
// SECRETS_ENCRYPTION_KEY. Outside production, without a key, start-up loads a random key generated once per database
// (loadSecretsEncryptionKey), so every process of a development setup reads what another wrote and no key in the
// source decrypts anything; production refuses to store or read without the setting.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Config } from '../config';

type SecretsConfig = Pick<Config, 'NODE_ENV' | 'SECRETS_ENCRYPTION_KEY'>;

export class SecretsKeyMissing extends Error {
  constructor(message = 'Set SECRETS_ENCRYPTION_KEY (32 bytes as 64 hex characters or base64) to store or use identity provider secrets in production.') {
    super(message);
    this.name = 'SecretsKeyMissing';
  }
}

let generatedKey: Buffer | undefined;

/** Start-up (outside production, without SECRETS_ENCRYPTION_KEY) hands over the database's generated key. */
export function useGeneratedSecretsKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('The generated secrets key must be 32 bytes.');
  generatedKey = key;
}

export function encryptionKey(cfg: SecretsConfig): Buffer {
  const given = cfg.SECRETS_ENCRYPTION_KEY.trim();
  if (given) {
    const key = /^[0-9a-f]{64}$/i.test(given) ? Buffer.from(given, 'hex') : Buffer.from(given, 'base64');
    if (key.length !== 32) throw new SecretsKeyMissing('SECRETS_ENCRYPTION_KEY must be 32 bytes: 64 hex characters or 44 base64 characters.');
    return key;
  }
  if (cfg.NODE_ENV === 'production') throw new SecretsKeyMissing();
  if (!generatedKey) throw new SecretsKeyMissing('The secrets key is not loaded: start-up calls loadSecretsEncryptionKey first, or set SECRETS_ENCRYPTION_KEY.');
  return generatedKey;
}

const b64 = (b: Buffer) => b.toString('base64url');

/** base64url(iv).base64url(tag).base64url(ciphertext) */
export function encryptSecret(plain: string, cfg: SecretsConfig): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(cfg), iv);
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${b64(iv)}.${b64(cipher.getAuthTag())}.${b64(ciphertext)}`;
}

export function decryptSecret(stored: string, cfg: SecretsConfig): string {
  const [iv, tag, ciphertext] = stored.split('.').map((part) => Buffer.from(part, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(cfg), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
}
