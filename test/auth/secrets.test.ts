import { expect } from 'chai';
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

  it('uses one derived development key outside production, so every process reads what another wrote', () => {
    const stored = encryptSecret('dev', { NODE_ENV: 'development', SECRETS_ENCRYPTION_KEY: '' });
    expect(decryptSecret(stored, { NODE_ENV: 'test', SECRETS_ENCRYPTION_KEY: '' })).to.equal('dev');
  });

  it('refuses a key of the wrong length', () => {
    expect(() => encryptSecret('x', { NODE_ENV: 'production', SECRETS_ENCRYPTION_KEY: 'short' })).to.throw(SecretsKeyMissing, /32 bytes/);
  });
});
