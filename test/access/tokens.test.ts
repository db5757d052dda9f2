import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSigningSecret } from '../../src/access/signing-secret';
import { InvalidTokenError, issueToken, useSigningSecret, verifyToken } from '../../src/access/tokens';
import { config } from '../../src/config';
import { testDatabase } from '../helpers/db';

const SECRET = 'a-test-secret-of-at-least-thirty-two-chars';
const cfg = { JWT_ISSUER: 'labshare', JWT_TTL_SECONDS: 3600 };

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the token to be rejected');
}

describe('bearer tokens (verified results kept until the token expires)', () => {
  beforeEach(() => useSigningSecret(SECRET));
  // Later suites mint tokens with the test run's own secret again.
  after(async () => loadSigningSecret(config(), await testDatabase()));

  it('names the same user on every verification', async () => {
    const token = await issueToken(42, cfg);
    expect(await verifyToken(token, cfg)).to.equal(42);
    expect(await verifyToken(token, cfg)).to.equal(42);
  });

  it('rejects a token once it has expired, even after it was verified while valid', async () => {
    const token = await issueToken(7, cfg, 1);
    expect(await verifyToken(token, cfg)).to.equal(7);
    await sleep(2100); // exp has whole-second resolution
    const error = await rejection(verifyToken(token, cfg));
    expect(error).to.be.instanceOf(InvalidTokenError);
    expect(error.message).to.contain('expired');
  });

  it('does not accept a token verified under one secret or issuer when checked under another', async () => {
    const token = await issueToken(9, cfg);
    expect(await verifyToken(token, cfg)).to.equal(9);
    expect(await rejection(verifyToken(token, { ...cfg, JWT_ISSUER: 'someone-else' }))).to.be.instanceOf(InvalidTokenError);
    useSigningSecret('another-secret-of-at-least-thirty-two-chars');
    expect(await rejection(verifyToken(token, cfg))).to.be.instanceOf(InvalidTokenError);
  });

  it('rejects a tampered token whose untouched original was verified', async () => {
    const token = await issueToken(3, cfg);
    expect(await verifyToken(token, cfg)).to.equal(3);
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: '1', iss: 'labshare', exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    expect(await rejection(verifyToken(`${header}.${forgedPayload}.${signature}`, cfg))).to.be.instanceOf(InvalidTokenError);
  });
});
