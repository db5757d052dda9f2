import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { DEMO_USERS } from '../../seeders/data/users';
import { User } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeUser } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { CookieClient, formField } from '../helpers/cookie-client';

async function demoSession(server: TestServer, email: string): Promise<string> {
  const client = new CookieClient();
  const page = await client.request(`${server.url}/auth/sign-in`);
  const user = await User.findOne({ where: { email }, raw: true });
  await client.request(`${server.url}/auth/demo`, { form: { csrf: formField(page.body, 'csrf')!, userId: String(user!.id) }, headers: { origin: server.url } });
  return `labshare_session=${client.cookie(server.url, 'labshare_session')}`;
}

describe('admin pages accept an admin’s browser session', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ cfg: { METRICS_TOKEN: 'scraper-token' } });
  });
  after(() => server.close());
  beforeEach(async () => {
    await resetTables(['sessions', 'sign_in_audit', 'users', 'institutions']);
    const gxu = await makeInstitution({ name: 'Guangxi University', countryCode: 'CN', timeZone: 'Asia/Shanghai' });
    await makeUser({ email: DEMO_USERS.admin, institutionId: gxu.id, isAdmin: true });
    await makeUser({ email: DEMO_USERS.researcher, institutionId: gxu.id });
  });

  it('opens /admin/queues for a signed-in admin and refuses a signed-in researcher', async () => {
    const admin = await demoSession(server, DEMO_USERS.admin);
    const page = await fetch(`${server.url}/admin/queues`, { headers: { cookie: admin } });
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('<html');
    const researcher = await demoSession(server, DEMO_USERS.researcher);
    expect((await fetch(`${server.url}/admin/queues`, { headers: { cookie: researcher } })).status).to.equal(403);
    expect((await fetch(`${server.url}/admin/queues`)).status).to.equal(401);
  });

  it('does not let another site use the admin’s session on the dashboard', async () => {
    const admin = await demoSession(server, DEMO_USERS.admin);
    const crossSite = await fetch(`${server.url}/admin/queues/api/queues/confirmations/clean/failed`, { method: 'PUT', headers: { cookie: admin, origin: 'https://evil.example' } });
    expect(crossSite.status).to.equal(401);
  });

  it('serves token-protected /metrics to the scraper’s token and to a signed-in admin, not to others', async () => {
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer scraper-token' } })).status).to.equal(200);
    expect((await fetch(`${server.url}/metrics`, { headers: { cookie: await demoSession(server, DEMO_USERS.admin) } })).status).to.equal(200);
    expect((await fetch(`${server.url}/metrics`, { headers: { cookie: await demoSession(server, DEMO_USERS.researcher) } })).status).to.equal(401);
    expect((await fetch(`${server.url}/metrics`)).status).to.equal(401);
  });

  it('refuses npm run token in production', () => {
    const root = path.resolve(__dirname, '../..');
    const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'src/cli/token.ts', DEMO_USERS.researcher], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', PUBLIC_URL: 'https://labshare.example.org', JWT_SECRET: 'a-production-secret-of-at-least-32-characters' },
      encoding: 'utf8',
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.contain('refused in production');
    expect(run.stdout).to.equal('');
  });
});
