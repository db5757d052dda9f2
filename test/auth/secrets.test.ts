import { hkdfSync } from 'node:crypto';
import { expect } from 'chai';
import { loadSecretsEncryptionKey } from '../../src/access/signing-secret';
import { testDatabase } from '../helpers/db';
import { decryptSecret, encryptSecret, SecretsKeyMissing } from '../../src/auth/secrets';

describe('identity provider secrets at rest', () => {
  const key = 'ab'.repeat(32);

  it('round-trips with the configured key, and another key cannot read it', () => {
    const stored = encryptSecret('client-secret', { NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: key });
    expect(stored).to.not.contain('client-secret');
    expect(decryptSecret(stored, { NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: key })).to.equal('client-secret');
    expect(() => decryptSecret(stored, { NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: 'cd'.repeat(32) })).to.throw();
  });

  it('refuses to store a secret in production without SECRETS_ENCRYPTION_KEY', () => {
    expect(() => encryptSecret('x', { NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: '' })).to.throw(SecretsKeyMissing, /SECRETS_ENCRYPTION_KEY/);
  });

  it('outside production without a key, uses the one generated for the database, so every process reads what another wrote', async () => {
    const sequelize = await testDatabase();
    await loadSecretsEncryptionKey({ NODE_ENV: 'development', SECRETS_ENCRYPTION_KEY: '' }, sequelize);
    const stored = encryptSecret('dev', { NODE_ENV: 'development', SECRETS_ENCRYPTION_KEY: '' });
    const [row] = (await sequelize.query("SELECT value FROM app_secrets WHERE name = 'secrets-encryption-key'", { raw: true }))[0] as { value: string }[];
    expect(Buffer.from(row.value, 'base64url')).to.have.length(32);
    // Another process of the same database loads the same key and reads it.
    await loadSecretsEncryptionKey({ NODE_ENV: 'test', SECRETS_ENCRYPTION_KEY: '' }, sequelize);
    expect(decryptSecret(stored, { NODE_ENV: 'test', SECRETS_ENCRYPTION_KEY: '' })).to.equal('dev');
    // No key written in the source reads it: the development key this replaces, derived from published strings.
    const published = hkdfSync('sha256', 'labshare-development-secrets', 'labshare', 'identity-provider-secrets', 32);
    expect(() => decryptSecret(stored, { NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: Buffer.from(published).toString('hex') })).to.throw();
  });

  it('refuses a key of the wrong length', () => {
    expect(() => encryptSecret('x', { NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: 'short' })).to.throw(SecretsKeyMissing, /32 bytes/);
  });
});
