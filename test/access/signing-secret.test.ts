// The token signing secret: never a published string; without JWT_SECRET, one random secret generated on first
// start and kept in the database, shared by every process on that database.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { SignJWT } from 'jose';
import { QueryTypes, type Sequelize } from 'sequelize';
import { databaseJwtSecret, loadSigningSecret } from '../../src/access/signing-secret';
import { InvalidTokenError, issueToken, verifyToken } from '../../src/access/tokens';
import { config, ConfigError, loadConfig } from '../../src/config';
import { createSequelize } from '../../src/db/database';
import { testDatabase } from '../helpers/db';
import { makeUser } from '../helpers/factories';
import { startServerProcess, type ServerProcess } from '../helpers/processes';

/** The default JWT_SECRET earlier versions shipped in src/config.ts: it signed admin tokens for anyone. */
const PUBLISHED_DEFAULT = 'labshare-development-secret-change-me-in-production';
const root = path.resolve(__dirname, '../..');
const tokenSettings = { JWT_ISSUER: 'labshare', JWT_TTL_SECONDS: 3600 };

const signWith = (secret: string, userId: number) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(String(userId)).setIssuer('labshare')
    .setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret));

async function forgetDatabaseSecret(): Promise<Sequelize> {
  const sequelize = await testDatabase();
  await sequelize.query('DELETE FROM app_secrets');
  return sequelize;
}

/** `npm run token -- <email>` as a newcomer runs it, with JWT_SECRET unset. */
function tokenCli(email: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/token.ts', email], {
      cwd: root, env: { ...process.env, JWT_SECRET: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`token cli exited ${code}: ${err}`))));
  });
}

describe('token signing secret', function () {
  this.timeout(120_000);

  after(async () => {
    // Later suites mint tokens with the test run's own JWT_SECRET again.
    await loadSigningSecret(config(), await testDatabase());
  });

  it('refuses JWT_SECRET set to a secret published with LabShare, without echoing it', () => {
    expect(() => loadConfig({ JWT_SECRET: PUBLISHED_DEFAULT })).to.throw(ConfigError, /JWT_SECRET.*published/);
    expect(() => loadConfig({ JWT_SECRET: PUBLISHED_DEFAULT })).not.to.throw(ConfigError, new RegExp(PUBLISHED_DEFAULT));
    expect(loadConfig({}).JWT_SECRET).to.equal(undefined);
  });

  it('with JWT_SECRET unset, two loads starting at once agree on one random secret kept in the database', async () => {
    await forgetDatabaseSecret();
    const first = createSequelize({ ...config(), DATABASE_POOL_MAX: 1 });
    const second = createSequelize({ ...config(), DATABASE_POOL_MAX: 1 });
    try {
      const [a, b] = await Promise.all([databaseJwtSecret(first), databaseJwtSecret(second)]);
      expect(a).to.equal(b);
      expect(a).to.have.length.of.at.least(64);
      expect(await databaseJwtSecret(first)).to.equal(a); // kept, not regenerated
      const rows = await first.query<{ n: number }>('SELECT COUNT(*) AS n FROM app_secrets', { type: QueryTypes.SELECT });
      expect(Number(rows[0].n)).to.equal(1);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('with JWT_SECRET unset, signs with the database secret and refuses a token signed with the published default', async () => {
    const sequelize = await forgetDatabaseSecret();
    expect(await loadSigningSecret({ JWT_SECRET: undefined }, sequelize)).to.equal('database');
    const token = await issueToken(1, tokenSettings);
    expect(await verifyToken(token, tokenSettings)).to.equal(1);
    const forged = await signWith(PUBLISHED_DEFAULT, 1);
    const refused = await verifyToken(forged, tokenSettings).then(() => null, (error: Error) => error);
    expect(refused).to.be.instanceOf(InvalidTokenError);
  });

  it('API processes and npm run token started without JWT_SECRET share the generated secret; the published default signs nothing', async () => {
    await forgetDatabaseSecret();
    const admin = await makeUser({ isAdmin: true });
    const servers: ServerProcess[] = [];
    try {
      // Both start on an empty app_secrets table at once: each may generate one, only one is kept.
      servers.push(...(await Promise.all([startServerProcess({ JWT_SECRET: '' }), startServerProcess({ JWT_SECRET: '' })])));
      const token = await tokenCli(admin.email);
      const me = (server: ServerProcess, bearerToken: string) =>
        fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearerToken}` },
          body: JSON.stringify({ query: '{ me { id isAdmin } }' }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { data?: any; errors?: any[] } }));
      const forged = await signWith(PUBLISHED_DEFAULT, admin.id);
      for (const server of servers) {
        const accepted = await me(server, token);
        expect(accepted.body.data?.me, 'the npm run token token').to.deep.include({ isAdmin: true });
        const refused = await me(server, forged);
        expect(refused.status).to.equal(401);
        expect(refused.body.errors?.[0].extensions.code).to.equal('UNAUTHENTICATED');
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});
