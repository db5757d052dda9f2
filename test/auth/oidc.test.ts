import { expect } from 'chai';
import { exportJWK, generateKeyPair } from 'jose';
import { User } from '../../src/db/models';
import { rawQuery } from '../../src/db/raw';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeUser } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { CookieClient } from '../helpers/cookie-client';
import { signInAtProvider, startIdentityProvider, type TestIdentityProvider } from '../helpers/identity-provider';
import { createIdentityProvider } from '../../src/auth/identity-providers';
import { config } from '../../src/config';
import type { UserViewer } from '../../src/access/viewer';

const TABLES = ['sessions', 'sign_in_audit', 'user_identities', 'identity_providers', 'users', 'institutions'];
const ADMIN: UserViewer = { kind: 'USER', userId: 1, institutionId: 1, isAdmin: true, timeZone: 'UTC', locale: 'en' };

const count = async (sql: string, values: unknown[] = []) => Number((await rawQuery<{ n: number }[]>(User.sequelize!, sql, values))[0].n);

describe('single sign-on through institutions’ OpenID providers', () => {
  let server: TestServer;
  let chula: TestIdentityProvider;
  let vnu: TestIdentityProvider;
  let chulaId: number;
  let vnuId: number;

  before(async () => {
    server = await startTestServer();
    const redirectUri = `${server.url}/auth/oidc/callback`;
    [chula, vnu] = await Promise.all([startIdentityProvider({ redirectUri }), startIdentityProvider({ redirectUri })]);
  });
  after(async () => {
    await Promise.all([chula.close(), vnu.close()]);
    await server.close();
  });
  beforeEach(async () => {
    await resetTables(TABLES);
    chulaId = (await makeInstitution({ name: 'Chulalongkorn University', countryCode: 'TH', timeZone: 'Asia/Bangkok' })).id;
    vnuId = (await makeInstitution({ name: 'Vietnam National University, Hanoi', countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' })).id;
    for (const [institutionId, op, domain] of [[chulaId, chula, 'chula.example.ac.th'], [vnuId, vnu, 'vnu.example.edu.vn']] as const) {
      const created = await createIdentityProvider(ADMIN, { institutionId, issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, emailDomains: [domain] }, config());
      expect(created.errors).to.deep.equal([]);
    }
    chula.accounts.clear();
    vnu.accounts.clear();
    chula.accounts.set('pornthip', { email: 'pornthip@chula.example.ac.th', email_verified: true, name: 'Pornthip Srisuk', locale: 'th', zoneinfo: 'Asia/Bangkok' });
    vnu.accounts.set('lan', { email: 'lan@vnu.example.edu.vn', email_verified: true, name: 'Nguyễn Thị Lan', locale: 'vi', zoneinfo: 'Asia/Ho_Chi_Minh' });
  });

  /** Start at LabShare, sign in at the provider; the provider's redirect back, not yet followed. */
  async function toCallback(client: CookieClient, institutionId: number, accountId: string, tamper: (authorizeUrl: URL) => void = () => undefined) {
    const start = await client.request(`${server.url}/auth/oidc/${institutionId}/start`);
    expect(start.status).to.equal(303);
    const authorize = new URL(start.location!);
    tamper(authorize);
    return signInAtProvider(client, authorize.toString(), accountId);
  }

  async function signIn(client: CookieClient, institutionId: number, accountId: string) {
    const back = await toCallback(client, institutionId, accountId);
    return client.request(back.location!);
  }

  it('creates the account on a first sign-in, in the provider’s institution with the claims’ name, locale and zone', async () => {
    const client = new CookieClient();
    const done = await signIn(client, chulaId, 'pornthip');
    expect(done.status, done.body).to.equal(303);
    expect(done.location).to.equal(`${server.url}/`);
    const user = await User.findOne({ where: { email: 'pornthip@chula.example.ac.th' }, raw: true });
    expect(user).to.include({ institutionId: chulaId, name: 'Pornthip Srisuk', locale: 'th', timeZone: 'Asia/Bangkok' });
    expect(await count('SELECT COUNT(*) AS n FROM user_identities WHERE user_id = ? AND issuer = ? AND subject = ?', [user!.id, chula.issuer, 'pornthip'])).to.equal(1);
    const me = await server.gql('{ me { email signInMethod institution { name } } }', undefined, { cookie: client.cookieHeader(server.url) });
    expect(me.data!.me).to.deep.equal({ email: 'pornthip@chula.example.ac.th', signInMethod: 'OIDC', institution: { name: 'Chulalongkorn University' } });
    expect(await count("SELECT COUNT(*) AS n FROM sign_in_audit WHERE kind = 'OIDC' AND outcome = 'SUCCESS' AND user_id = ?", [user!.id])).to.equal(1);
  });

  it('matches a later sign-in by issuer and subject, not by e-mail', async () => {
    await signIn(new CookieClient(), chulaId, 'pornthip');
    const first = await User.findOne({ where: { email: 'pornthip@chula.example.ac.th' }, raw: true });
    // The person's address changed at the provider: still the same LabShare account.
    chula.accounts.set('pornthip', { ...chula.accounts.get('pornthip'), email: 'pornthip.s@chula.example.ac.th' });
    const client = new CookieClient();
    const again = await signIn(client, chulaId, 'pornthip');
    expect(again.status).to.equal(303);
    expect(await count('SELECT COUNT(*) AS n FROM users')).to.equal(1);
    const me = await server.gql('{ me { id } }', undefined, { cookie: client.cookieHeader(server.url) });
    expect(me.data!.me.id).to.equal(String(first!.id));
  });

  it('links a seeded user of the same institution on first sign-in when the provider verified the e-mail', async () => {
    const seeded = await makeUser({ email: 'lan@vnu.example.edu.vn', name: 'Lan (seeded)', institutionId: vnuId });
    const client = new CookieClient();
    expect((await signIn(client, vnuId, 'lan')).status).to.equal(303);
    expect(await count('SELECT COUNT(*) AS n FROM users')).to.equal(1);
    const me = await server.gql('{ me { id name } }', undefined, { cookie: client.cookieHeader(server.url) });
    expect(me.data!.me).to.deep.equal({ id: String(seeded.id), name: 'Lan (seeded)' });
  });

  it('refuses to take over an account of another institution with the same e-mail, creating nothing', async () => {
    await makeUser({ email: 'lan@vnu.example.edu.vn', institutionId: chulaId });
    const client = new CookieClient();
    const refused = await signIn(client, vnuId, 'lan');
    expect(refused.status).to.equal(403);
    expect(refused.headers.get('x-sign-in-error')).to.equal('EMAIL_TAKEN');
    expect(await count('SELECT COUNT(*) AS n FROM user_identities')).to.equal(0);
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(0);
  });

  it('refuses an e-mail outside the provider’s domains with a clear page, creating nothing', async () => {
    chula.accounts.set('outsider', { email: 'someone@gmail.example', email_verified: true, name: 'Outsider' });
    const client = new CookieClient();
    const refused = await signIn(client, chulaId, 'outsider');
    expect(refused.status).to.equal(403);
    expect(refused.headers.get('x-sign-in-error')).to.equal('EMAIL_OUTSIDE_DOMAINS');
    expect(refused.body).to.contain('not in the domains');
    expect(await count('SELECT COUNT(*) AS n FROM users')).to.equal(0);
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(0);
    expect(client.cookie(server.url, 'labshare_session')).to.equal(undefined);
    expect(await count("SELECT COUNT(*) AS n FROM sign_in_audit WHERE outcome = 'EMAIL_OUTSIDE_DOMAINS' AND email = 'someone@gmail.example'")).to.equal(1);
  });

  it('refuses a callback whose state was altered', async () => {
    const client = new CookieClient();
    const back = new URL((await toCallback(client, chulaId, 'pornthip')).location!);
    back.searchParams.set('state', 'altered');
    const refused = await client.request(back.toString());
    expect(refused.status).to.equal(400);
    expect(refused.headers.get('x-sign-in-error')).to.equal('STATE_MISMATCH');
    expect(await count('SELECT COUNT(*) AS n FROM users')).to.equal(0);
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(0);
  });

  it('refuses a replayed callback (its code and flow were used), with no second session', async () => {
    const client = new CookieClient();
    const back = (await toCallback(client, chulaId, 'pornthip')).location!;
    expect((await client.request(back)).status).to.equal(303);
    const replay = await client.request(back);
    expect(replay.status).to.equal(400);
    expect(replay.headers.get('x-sign-in-error')).to.equal('FLOW_EXPIRED');
    // Even inside a fresh sign-in of the same browser, the old answer does not fit.
    await client.request(`${server.url}/auth/oidc/${chulaId}/start`);
    const again = await client.request(back);
    expect(again.headers.get('x-sign-in-error')).to.equal('STATE_MISMATCH');
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(1);
  });

  it('refuses an ID token whose nonce does not match the one LabShare sent', async () => {
    const client = new CookieClient();
    const back = await toCallback(client, chulaId, 'pornthip', (authorize) => authorize.searchParams.set('nonce', 'not-the-one-we-sent'));
    const refused = await client.request(back.location!);
    expect(refused.status).to.equal(400);
    expect(refused.headers.get('x-sign-in-error')).to.equal('TOKEN_REJECTED');
    expect(await count('SELECT COUNT(*) AS n FROM users')).to.equal(0);
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(0);
  });

  it('refuses an answer from another institution’s provider delivered to this institution’s sign-in', async () => {
    const victim = new CookieClient();
    const start = await victim.request(`${server.url}/auth/oidc/${chulaId}/start`);
    const chulaState = new URL(start.location!).searchParams.get('state')!;
    // A real code from the Hanoi provider, with the Bangkok flow's state pasted in.
    const attacker = new CookieClient();
    const fromVnu = new URL((await toCallback(attacker, vnuId, 'lan')).location!);
    fromVnu.searchParams.set('state', chulaState);
    const refused = await victim.request(fromVnu.toString());
    expect(refused.status).to.equal(400);
    expect(refused.headers.get('x-sign-in-error')).to.equal('TOKEN_REJECTED');
    expect(await count('SELECT COUNT(*) AS n FROM users')).to.equal(0);
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(0);
  });

  it('refuses an ID token not signed with the keys the provider publishes', async () => {
    // The provider now publishes other keys under the same key ids: its signatures no longer verify.
    const published = (await (await fetch(`${chula.issuer}/jwks`)).json()) as { keys: { kid: string; alg?: string; kty: string }[] };
    chula.servedJwks = {
      keys: await Promise.all(published.keys.filter((k) => k.kty === 'RSA').map(async (k) => ({ ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey)), kid: k.kid, use: 'sig' }))),
    };
    try {
      const client = new CookieClient();
      const refused = await signIn(client, chulaId, 'pornthip');
      expect(refused.status).to.equal(400);
      expect(refused.headers.get('x-sign-in-error')).to.equal('TOKEN_REJECTED');
      expect(await count('SELECT COUNT(*) AS n FROM users')).to.equal(0);
      expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(0);
    } finally {
      chula.servedJwks = undefined;
    }
  });

  it('refuses an ID token that expired, though the provider signed it, creating nothing', async () => {
    // Issued and expired an hour ago: far beyond any clock tolerance.
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    chula.rewriteIdToken = (claims) => ({ ...claims, iat: hourAgo - 600, exp: hourAgo });
    try {
      const refused = await signIn(new CookieClient(), chulaId, 'pornthip');
      expect(refused.status).to.equal(400);
      expect(refused.headers.get('x-sign-in-error')).to.equal('TOKEN_REJECTED');
      expect(await count('SELECT COUNT(*) AS n FROM users')).to.equal(0);
      expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(0);
    } finally {
      chula.rewriteIdToken = undefined;
    }
    // The same provider's unaltered, re-signed answer is accepted: the refusal was the expiry, not the re-signing.
    chula.rewriteIdToken = (claims) => claims;
    try {
      expect((await signIn(new CookieClient(), chulaId, 'pornthip')).status).to.equal(303);
    } finally {
      chula.rewriteIdToken = undefined;
    }
  });

  it('refuses a disabled user and ends the sessions they still had', async () => {
    const earlier = new CookieClient();
    await signIn(earlier, chulaId, 'pornthip');
    const cookie = earlier.cookieHeader(server.url);
    expect((await server.gql('{ me { id } }', undefined, { cookie })).status).to.equal(200);
    await User.update({ disabledAt: new Date() }, { where: { email: 'pornthip@chula.example.ac.th' } });
    const refused = await signIn(new CookieClient(), chulaId, 'pornthip');
    expect(refused.status).to.equal(403);
    expect(refused.headers.get('x-sign-in-error')).to.equal('USER_DISABLED');
    expect(await count('SELECT COUNT(*) AS n FROM sessions WHERE revoked_at IS NULL')).to.equal(0);
    expect((await server.gql('{ me { id } }', undefined, { cookie })).status).to.equal(401);
  });

  it('answers a clear page for an institution without a provider', async () => {
    const none = await makeInstitution();
    const refused = await new CookieClient().request(`${server.url}/auth/oidc/${none.id}/start`);
    expect(refused.status).to.equal(404);
    expect(refused.headers.get('x-sign-in-error')).to.equal('NO_PROVIDER');
  });

  it('lists institutions with a provider on the sign-in page, searchable, and remembers the last one chosen', async () => {
    const client = new CookieClient();
    const page = await client.request(`${server.url}/auth/sign-in?q=TH`);
    expect(page.body).to.contain('Chulalongkorn University').and.not.contain('Vietnam National University');
    await client.request(`${server.url}/auth/oidc/${vnuId}/start`);
    const again = await client.request(`${server.url}/auth/sign-in?lang=zh-CN`);
    expect(again.body).to.contain('上次登录使用的机构').and.contain(`/auth/oidc/${vnuId}/start`);
  });

  it('routes an e-mail typed on the sign-in page to its institution’s provider by domain', async () => {
    const client = new CookieClient();
    const page = await client.request(`${server.url}/auth/sign-in`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1];
    const routed = await client.request(`${server.url}/auth/email`, { form: { csrf, email: 'lan@vnu.example.edu.vn' }, headers: { origin: server.url } });
    expect(routed.status).to.equal(303);
    expect(routed.location).to.equal(`${server.url}/auth/oidc/${vnuId}/start?login_hint=lan%40vnu.example.edu.vn`);
  });
});
