import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { User } from '../../src/db/models';
import { rawQuery } from '../../src/db/raw';
import { config } from '../../src/config';
import { connectRedis } from '../../src/redis';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeUser } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { CookieClient, formField } from '../helpers/cookie-client';

const TABLES = ['sessions', 'sign_in_audit', 'sign_in_links', 'identity_providers', 'users', 'institutions'];
const count = async (sql: string) => Number((await rawQuery<{ n: number }[]>(User.sequelize!, sql, []))[0].n);

async function clearLinkLimits(): Promise<void> {
  const redis = await connectRedis(config().REDIS_URL);
  const keys = await redis.keys(`${config().QUEUE_PREFIX}:sign-in-link:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

/** The messages in the folder mailer's directory, decoded from quoted-printable. */
async function mails(dir: string): Promise<string[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
  return Promise.all(files.map(async (f) => (await readFile(path.join(dir, f), 'utf8')).replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))));
}

async function waitForMails(dir: string, n: number): Promise<string[]> {
  for (let i = 0; i < 100; i += 1) {
    const found = await mails(dir);
    if (found.length >= n) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`expected ${n} mails in ${dir}`);
}

describe('e-mail sign-in links', () => {
  let server: TestServer;
  let mailDir: string;

  before(async () => {
    mailDir = await mkdtemp(path.join(os.tmpdir(), 'labshare-sign-in-mail-'));
    server = await startTestServer({ cfg: { MAIL_DIR: mailDir, SIGN_IN_LINKS_PER_ADDRESS_PER_HOUR: 3, SIGN_IN_LINKS_PER_CLIENT_PER_HOUR: 6 } });
  });
  after(async () => {
    await server.close();
    await rm(mailDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetTables(TABLES);
    await clearLinkLimits();
    await rm(mailDir, { recursive: true, force: true });
    const open = await makeInstitution({ name: 'Institut Pasteur du Cambodge', countryCode: 'KH', timeZone: 'Asia/Phnom_Penh', emailSignInEnabled: true });
    const closed = await makeInstitution({ name: 'No Links Institute', emailSignInEnabled: false });
    await makeUser({ email: 'sokha@pasteur.example.kh', name: 'Sokha', institutionId: open.id, locale: 'en' });
    await makeUser({ email: 'wei@kib.example.ac.cn', name: '魏', institutionId: open.id, locale: 'zh-CN' });
    await makeUser({ email: 'nolinks@closed.example', institutionId: closed.id });
  });

  async function ask(client: CookieClient, email: string) {
    const page = await client.request(`${server.url}/auth/sign-in`);
    return client.request(`${server.url}/auth/email`, { form: { csrf: formField(page.body, 'csrf')!, email }, headers: { origin: server.url } });
  }

  async function linkFrom(mail: string): Promise<string> {
    return /(http:\/\/\S+\/auth\/email-link\?token=[A-Za-z0-9_-]+&lang=[\w%-]+)/.exec(mail)![1];
  }

  async function useLink(client: CookieClient, link: string) {
    const confirm = await client.request(link);
    expect(confirm.status).to.equal(200);
    return client.request(`${server.url}/auth/email-link`, { form: { token: formField(confirm.body, 'token')!, csrf: formField(confirm.body, 'csrf')! }, headers: { origin: server.url } });
  }

  it('mails a link that signs in once, and only once', async () => {
    const client = new CookieClient();
    const asked = await ask(client, 'Sokha@pasteur.example.kh');
    expect(asked.status).to.equal(200);
    const [mail] = await waitForMails(mailDir, 1);
    expect(mail).to.contain('To: Sokha <sokha@pasteur.example.kh>').and.contain('Your LabShare sign-in link').and.contain('15 minutes');
    const link = await linkFrom(mail);
    const [stored] = await rawQuery<{ tokenHash: string }[]>(User.sequelize!, 'SELECT token_hash AS tokenHash FROM sign_in_links', []);
    expect(link).to.not.contain(stored.tokenHash);

    // Opening the link (what a mail scanner does) does not use it; pressing the button does.
    const signedIn = await useLink(client, link);
    expect(signedIn.status).to.equal(303);
    const me = await server.gql('{ me { email signInMethod } }', undefined, { cookie: client.cookieHeader(server.url) });
    expect(me.data!.me).to.deep.equal({ email: 'sokha@pasteur.example.kh', signInMethod: 'EMAIL_LINK' });

    const again = await useLink(new CookieClient(), link);
    expect(again.status).to.equal(400);
    expect(again.headers.get('x-sign-in-error')).to.equal('LINK_INVALID');
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(1);
  });

  it('writes the mail in the user’s language', async () => {
    await ask(new CookieClient(), 'wei@kib.example.ac.cn');
    const [mail] = await waitForMails(mailDir, 1);
    expect(mail).to.contain('Content-Language: zh-CN').and.contain('lang=zh-CN');
  });

  it('refuses a link after its 15 minutes', async () => {
    await ask(new CookieClient(), 'sokha@pasteur.example.kh');
    const link = await linkFrom((await waitForMails(mailDir, 1))[0]);
    await rawQuery(User.sequelize!, 'UPDATE sign_in_links SET expires_at = NOW(3) - INTERVAL 1 SECOND', []);
    const refused = await useLink(new CookieClient(), link);
    expect(refused.headers.get('x-sign-in-error')).to.equal('LINK_INVALID');
    expect(await count('SELECT COUNT(*) AS n FROM sessions')).to.equal(0);
  });

  it('answers the same for unknown addresses and institutions without e-mail sign-in, and sends nothing', async () => {
    const known = await ask(new CookieClient(), 'sokha@pasteur.example.kh');
    await waitForMails(mailDir, 1);
    const unknown = await ask(new CookieClient(), 'nobody@pasteur.example.kh');
    const closed = await ask(new CookieClient(), 'nolinks@closed.example');
    for (const answer of [unknown, closed]) {
      expect(answer.status).to.equal(known.status);
      expect(answer.body).to.equal(known.body);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await mails(mailDir)).to.have.length(1);
    expect(await count('SELECT COUNT(*) AS n FROM sign_in_links')).to.equal(1);
  });

  it('limits requests per address, whether or not the address exists', async () => {
    for (const email of ['sokha@pasteur.example.kh', 'nobody@pasteur.example.kh']) {
      for (let i = 0; i < 3; i += 1) expect((await ask(new CookieClient(), email)).status).to.equal(200);
      const limited = await ask(new CookieClient(), email);
      expect(limited.status).to.equal(429);
      expect(limited.headers.get('x-sign-in-error')).to.equal('RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
    }
  });

  it('limits requests per client address across addresses', async () => {
    for (let i = 0; i < 6; i += 1) expect((await ask(new CookieClient(), `person${i}@pasteur.example.kh`)).status).to.equal(200);
    expect((await ask(new CookieClient(), 'person6@pasteur.example.kh')).status).to.equal(429);
  });
});
