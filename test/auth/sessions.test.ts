import { expect } from 'chai';
import { DEMO_USERS } from '../../seeders/data/users';
import { User } from '../../src/db/models';
import { rawQuery } from '../../src/db/raw';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeUser } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { CookieClient, formField } from '../helpers/cookie-client';
import { startServerProcess } from '../helpers/processes';

const TABLES = ['sessions', 'sign_in_audit', 'personal_access_tokens', 'users', 'institutions'];

/** GET the sign-in page, then press the button of the demo person with this e-mail. */
async function demoSignIn(server: TestServer, client: CookieClient, email: string) {
  const page = await client.request(`${server.url}/auth/sign-in`);
  const user = await User.findOne({ where: { email }, raw: true });
  await client.request(`${server.url}/auth/demo`, { form: { csrf: formField(page.body, 'csrf') ?? '', userId: String(user!.id) }, headers: { origin: server.url } });
  return client.cookie(server.url, 'labshare_session');
}

describe('sessions and demo sign-in', () => {
  let server: TestServer;
  let researcherId: number;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(async () => {
    await resetTables(TABLES);
    const hanoi = await makeInstitution({ name: 'Vietnam National University, Hanoi', countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' });
    researcherId = (await makeUser({ email: DEMO_USERS.researcher, name: 'Nguyễn Thị Lan', institutionId: hanoi.id, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' })).id;
    await makeUser({ email: DEMO_USERS.admin, name: 'LabShare Platform Admin', institutionId: hanoi.id, isAdmin: true });
  });

  it('signs in as the demo researcher with one click, and the session cookie answers me', async () => {
    const client = new CookieClient();
    const page = await client.request(`${server.url}/auth/sign-in`);
    expect(page.status).to.equal(200);
    expect(page.body).to.contain('Nguyễn Thị Lan').and.contain('researcher');
    const csrf = formField(page.body, 'csrf');
    expect(csrf).to.be.a('string');

    const signIn = await client.request(`${server.url}/auth/demo`, { form: { csrf: csrf!, userId: String(researcherId) }, headers: { origin: server.url } });
    expect(signIn.status).to.equal(303);
    expect(signIn.location).to.equal(`${server.url}/`);
    const setCookie = signIn.headers.getSetCookie().find((c) => c.startsWith('labshare_session='))!;
    expect(setCookie).to.match(/HttpOnly/).and.match(/SameSite=Lax/).and.match(/Path=\//);
    expect(setCookie).not.to.match(/Secure/); // plain http outside production

    const me = await server.gql('{ me { email signInMethod } }', undefined, { cookie: client.cookieHeader(server.url) });
    expect(me.errors).to.equal(undefined);
    expect(me.data!.me).to.deep.equal({ email: DEMO_USERS.researcher, signInMethod: 'DEMO' });
    const [audit] = await rawQuery<{ kind: string; outcome: string; userId: number }[]>(User.sequelize!, 'SELECT kind, outcome, user_id AS userId FROM sign_in_audit', []);
    expect(audit).to.deep.equal({ kind: 'DEMO', outcome: 'SUCCESS', userId: researcherId });
  });

  it('lands on a home page naming the signed-in user, whose sign-out button ends the session', async () => {
    const client = new CookieClient();
    const token = await demoSignIn(server, client, DEMO_USERS.researcher);
    const home = await client.request(`${server.url}/auth/home`);
    expect(home.status).to.equal(200);
    expect(home.body).to.contain('You are signed in as Nguyễn Thị Lan');
    const out = await client.request(`${server.url}/auth/sign-out`, { form: { csrf: formField(home.body, 'csrf')! }, headers: { origin: server.url } });
    expect(out.status).to.equal(200);
    expect(client.cookie(server.url, 'labshare_session')).to.equal(undefined);
    expect((await server.gql('{ me { id } }', undefined, { cookie: `labshare_session=${token}` })).status).to.equal(401);
    const [audit] = await rawQuery<{ n: number }[]>(User.sequelize!, "SELECT COUNT(*) AS n FROM sign_in_audit WHERE kind = 'SIGN_OUT' AND user_id = ?", [researcherId]);
    expect(Number(audit.n)).to.equal(1);
  });

  it('refuses a sign-out posted from another site', async () => {
    const client = new CookieClient();
    const token = await demoSignIn(server, client, DEMO_USERS.researcher);
    const home = await client.request(`${server.url}/auth/home`);
    const forged = await client.request(`${server.url}/auth/sign-out`, { form: { csrf: formField(home.body, 'csrf')! }, headers: { origin: 'https://evil.example' } });
    expect(forged.status).to.equal(403);
    expect((await server.gql('{ me { id } }', undefined, { cookie: `labshare_session=${token}` })).status).to.equal(200);
  });

  it('stores only a hash of the session cookie', async () => {
    const token = await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher);
    const rows = await rawQuery<{ tokenHash: string }[]>(User.sequelize!, 'SELECT token_hash AS tokenHash FROM sessions', []);
    expect(rows).to.have.length(1);
    expect(rows[0].tokenHash).to.match(/^[0-9a-f]{64}$/).and.not.equal(token);
  });

  it('refuses a demo sign-in whose form did not come from the sign-in page', async () => {
    const client = new CookieClient();
    await client.request(`${server.url}/auth/sign-in`);
    const forged = await client.request(`${server.url}/auth/demo`, { form: { csrf: 'x'.repeat(43), userId: String(researcherId) }, headers: { origin: server.url } });
    expect(forged.status).to.equal(403);
    expect(forged.headers.get('x-sign-in-error')).to.equal('CSRF');
    expect(client.cookie(server.url, 'labshare_session')).to.equal(undefined);
    const [{ count }] = await rawQuery<{ count: number }[]>(User.sequelize!, 'SELECT COUNT(*) AS count FROM sessions', []);
    expect(Number(count)).to.equal(0);
  });

  it('refuses demo sign-in in production, clearly, and lists nobody', async () => {
    const production = await startTestServer({ cfg: { NODE_ENV: 'production' } });
    try {
      const client = new CookieClient();
      const page = await client.request(`${production.url}/auth/sign-in`);
      expect(page.body).not.to.contain('Nguyễn Thị Lan');
      const refused = await client.request(`${production.url}/auth/demo`, {
        form: { csrf: formField(page.body, 'csrf') ?? '', userId: String(researcherId) }, headers: { origin: production.url },
      });
      expect(refused.status).to.equal(403);
      expect(refused.headers.get('x-sign-in-error')).to.equal('DEMO_UNAVAILABLE');
      expect(refused.body).to.contain('never is in production');
      expect(client.cookie(production.url, 'labshare_session')).to.equal(undefined);
    } finally {
      await production.close();
    }
  });

  it('refuses a cross-site form POST to /graphql that carries the session cookie', async () => {
    const client = new CookieClient();
    const cookie = `labshare_session=${await demoSignIn(server, client, DEMO_USERS.researcher)}`;
    // What a form on another site submits: a simple request, with the browser's Origin and the cookie.
    const form = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie },
      body: new URLSearchParams({ query: 'mutation { signOut { signedOut } }' }).toString(),
    });
    expect(form.status).to.be.oneOf([400, 403]);
    // The same mutation as JSON from another origin (what a CORS misconfiguration would let through) is refused too.
    const json = await server.gql('mutation { signOut { signedOut } }', undefined, { cookie, origin: 'https://evil.example' });
    expect(json.status).to.equal(403);
    expect(json.errors![0].extensions!.code).to.equal('FORBIDDEN');
    // The session survived both.
    const me = await server.gql('{ me { id } }', undefined, { cookie, origin: server.url });
    expect(me.data?.me.id).to.equal(String(researcherId));
  });

  it('ends the session at sign-out and at revocation, seen at once by a second API process', async () => {
    const other = await startServerProcess();
    const meThere = async (cookie: string) =>
      fetch(`${other.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query: '{ me { id } }' }) });
    try {
      const cookie = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
      expect(((await (await meThere(cookie)).json()) as { data: { me: { id: string } } }).data.me.id).to.equal(String(researcherId));
      const out = await server.gql('mutation { signOut { signedOut } }', undefined, { cookie });
      expect(out.data!.signOut.signedOut).to.equal(true);
      const after = await meThere(cookie);
      expect(after.status).to.equal(401);
      expect(((await after.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).to.equal('UNAUTHENTICATED');

      const laptop = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
      const phone = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
      expect((await meThere(phone)).status).to.equal(200);
      const [phoneSession] = await rawQuery<{ id: number }[]>(User.sequelize!, 'SELECT id FROM sessions WHERE revoked_at IS NULL ORDER BY id DESC LIMIT 1', []);
      await server.gql('mutation ($id: ID!) { revokeSession(id: $id) { revoked } }', { id: String(phoneSession.id) }, { cookie: laptop });
      expect((await meThere(phone)).status).to.equal(401);
      expect((await meThere(laptop)).status).to.equal(200);
    } finally {
      await other.stop();
    }
  });

  it('lists my sessions and revokes another one; the revoked browser is signed out at once', async () => {
    const laptop = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
    const phone = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
    const listed = await server.gql('{ mySessions { id current signInMethod } }', undefined, { cookie: laptop });
    expect(listed.data!.mySessions).to.have.length(2);
    const phoneSession = listed.data!.mySessions.find((s: { current: boolean }) => !s.current);
    expect(phoneSession.signInMethod).to.equal('DEMO');
    const revoked = await server.gql('mutation ($id: ID!) { revokeSession(id: $id) { revoked errors { code } } }', { id: phoneSession.id }, { cookie: laptop });
    expect(revoked.data!.revokeSession).to.deep.equal({ revoked: true, errors: [] });
    expect((await server.gql('{ me { id } }', undefined, { cookie: phone })).status).to.equal(401);
    expect((await server.gql('{ me { id } }', undefined, { cookie: laptop })).data?.me.id).to.equal(String(researcherId));
  });

  it("does not let one user revoke another user's session", async () => {
    const mine = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
    const other = await makeUser();
    await rawQuery(User.sequelize!, "INSERT INTO sessions (token_hash, user_id, method, created_at, last_seen_at, expires_at) VALUES (REPEAT('a', 64), ?, 'DEMO', NOW(3), NOW(3), NOW(3) + INTERVAL 1 DAY)", [other.id]);
    const [foreign] = await rawQuery<{ id: number }[]>(User.sequelize!, 'SELECT id FROM sessions WHERE user_id = ?', [other.id]);
    const attempt = await server.gql('mutation ($id: ID!) { revokeSession(id: $id) { revoked errors { code } } }', { id: String(foreign.id) }, { cookie: mine });
    expect(attempt.data!.revokeSession).to.deep.equal({ revoked: false, errors: [{ code: 'NOT_FOUND' }] });
    const [row] = await rawQuery<{ revokedAt: Date | null }[]>(User.sequelize!, 'SELECT revoked_at AS revokedAt FROM sessions WHERE id = ?', [foreign.id]);
    expect(row.revokedAt).to.equal(null);
  });

  it('ends a session idle longer than SESSION_IDLE_MINUTES, and one past its absolute end', async () => {
    const idle = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
    await rawQuery(User.sequelize!, 'UPDATE sessions SET last_seen_at = NOW(3) - INTERVAL 13 HOUR', []);
    expect((await server.gql('{ me { id } }', undefined, { cookie: idle })).status).to.equal(401);

    const old = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
    await rawQuery(User.sequelize!, 'UPDATE sessions SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE revoked_at IS NULL AND last_seen_at > NOW(3) - INTERVAL 1 HOUR', []);
    expect((await server.gql('{ me { id } }', undefined, { cookie: old })).status).to.equal(401);
  });

  it("disabling a user ends their sessions and personal access tokens at once", async () => {
    const userCookie = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
    const created = await server.gql('mutation { createPersonalAccessToken(input: { name: "notebook", expiresInDays: 30 }) { token } }', undefined, { cookie: userCookie });
    const pat = created.data!.createPersonalAccessToken.token as string;
    const adminCookie = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.admin)}`;
    const disabled = await server.gql('mutation ($id: ID!) { setUserDisabled(userId: $id, disabled: true) { user { disabledAt } errors { code } } }', { id: String(researcherId) }, { cookie: adminCookie });
    expect(disabled.data!.setUserDisabled.errors).to.deep.equal([]);
    expect(disabled.data!.setUserDisabled.user.disabledAt).to.be.a('string');
    expect((await server.gql('{ me { id } }', undefined, { cookie: userCookie })).status).to.equal(401);
    expect((await server.gql('{ me { id } }', undefined, { authorization: `Bearer ${pat}` })).status).to.equal(401);
    // And the demo button no longer signs them in.
    const client = new CookieClient();
    expect(await demoSignIn(server, client, DEMO_USERS.researcher)).to.equal(undefined);
  });

  it('creates a personal access token shown once, accepts it as Bearer with its last use, and stops it when revoked', async () => {
    const cookie = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
    const created = await server.gql(
      'mutation { createPersonalAccessToken(input: { name: "plate reader notebook", expiresInDays: 30 }) { token personalAccessToken { id name tokenPrefix lastUsedAt } errors { code } } }',
      undefined,
      { cookie },
    );
    const { token, personalAccessToken } = created.data!.createPersonalAccessToken;
    expect(token).to.match(/^lsp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(personalAccessToken.tokenPrefix)).to.equal(true);
    expect(personalAccessToken.lastUsedAt).to.equal(null);
    const [stored] = await rawQuery<{ tokenHash: string }[]>(User.sequelize!, 'SELECT token_hash AS tokenHash FROM personal_access_tokens', []);
    expect(stored.tokenHash).to.not.contain(token.slice(13));

    const me = await server.gql('{ me { email signInMethod } }', undefined, { authorization: `Bearer ${token}` });
    expect(me.data!.me).to.deep.equal({ email: DEMO_USERS.researcher, signInMethod: 'PERSONAL_ACCESS_TOKEN' });
    await new Promise((resolve) => setTimeout(resolve, 100)); // last use is written after the answer
    const listed = await server.gql('{ myPersonalAccessTokens { id name lastUsedAt } }', undefined, { cookie });
    expect(listed.data!.myPersonalAccessTokens).to.have.length(1);
    expect(listed.data!.myPersonalAccessTokens[0].lastUsedAt).to.be.a('string');
    expect(JSON.stringify(listed.data)).to.not.contain(token);

    const revoked = await server.gql('mutation ($id: ID!) { revokePersonalAccessToken(id: $id) { personalAccessToken { revokedAt } errors { code } } }', { id: personalAccessToken.id }, { cookie });
    expect(revoked.data!.revokePersonalAccessToken.personalAccessToken.revokedAt).to.be.a('string');
    const refused = await server.gql('{ me { id } }', undefined, { authorization: `Bearer ${token}` });
    expect(refused.status).to.equal(401);
    expect(refused.errors![0].message).to.contain('revoked');
  });

  it('refuses a personal access token after its expiry, and a token with a wrong secret part', async () => {
    const cookie = `labshare_session=${await demoSignIn(server, new CookieClient(), DEMO_USERS.researcher)}`;
    const created = await server.gql('mutation { createPersonalAccessToken(input: { name: "short", expiresInDays: 1 }) { token } }', undefined, { cookie });
    const token = created.data!.createPersonalAccessToken.token as string;
    const forged = `${token.slice(0, 13)}${'A'.repeat(43)}`;
    expect((await server.gql('{ me { id } }', undefined, { authorization: `Bearer ${forged}` })).status).to.equal(401);
    await rawQuery(User.sequelize!, 'UPDATE personal_access_tokens SET expires_at = NOW(3) - INTERVAL 1 SECOND', []);
    const expired = await server.gql('{ me { id } }', undefined, { authorization: `Bearer ${token}` });
    expect(expired.status).to.equal(401);
    expect(expired.errors![0].message).to.contain('expired');
  });
});
