// Webhook subscriptions per institution, managed by admins: the signing secret is shown once; URLs are checked.
import { expect } from 'chai';
import http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Viewer } from '../../src/access/viewer';
import { createWebhookSubscription, webhookUrlError } from '../../src/access/webhook-subscriptions';
import { WebhookSubscription } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const CREATE = 'mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { secret subscription { id url eventTypes active } errors { code field message } } }';

describe('webhook subscriptions', () => {
  let server: TestServer;
  let admin: Record<string, string>;
  let institutionId: string;

  before(async () => {
    await resetTables();
    server = await startTestServer();
    admin = await bearer((await makeUser({ isAdmin: true })).id);
    institutionId = String((await makeInstitution()).id);
  });

  after(async () => {
    await server?.close();
  });

  it('creates a subscription with a generated secret shown once, then updates, lists and deletes it', async () => {
    const created = (await server.gql(CREATE, { i: { institutionId, url: 'https://hooks.partner.example/labshare', eventTypes: ['booking.confirmed'] } }, admin)).data!.createWebhookSubscription;
    expect(created.errors).to.deep.equal([]);
    expect(created.secret).to.match(/^whsec_[\w-]{43}$/);
    expect(created.subscription).to.deep.include({ url: 'https://hooks.partner.example/labshare', eventTypes: ['booking.confirmed'], active: true });
    expect((await WebhookSubscription.findByPk(created.subscription.id, { raw: true }))!.secret).to.equal(created.secret);

    const updated = await server.gql(
      'mutation($i: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(input: $i) { subscription { eventTypes active } errors { code } } }',
      { i: { id: created.subscription.id, allEventTypes: true, active: false } }, admin,
    );
    expect(updated.data!.updateWebhookSubscription).to.deep.equal({ subscription: { eventTypes: null, active: false }, errors: [] });
    const listed = await server.gql('query($id: ID!) { webhookSubscriptions(institutionId: $id) { nodes { id active } } }', { id: institutionId }, admin);
    expect(listed.data!.webhookSubscriptions.nodes).to.deep.equal([{ id: created.subscription.id, active: false }]);
    expect(JSON.stringify(listed)).not.to.include(created.secret);

    const deleted = await server.gql('mutation($id: ID!) { deleteWebhookSubscription(id: $id) { deleted errors { code } } }', { id: created.subscription.id }, admin);
    expect(deleted.data!.deleteWebhookSubscription).to.deep.equal({ deleted: true, errors: [] });
  });

  it('refuses unusable URLs and unknown event types as user errors', async () => {
    for (const [url, pattern] of [['ftp://x.example/h', /https/], ['https://user:pw@x.example/h', /credentials/], ['not a url', /absolute URL/]] as const) {
      const res = await server.gql(CREATE, { i: { institutionId, url } }, admin);
      expect(res.data!.createWebhookSubscription.errors[0]).to.include({ code: 'BAD_INPUT', field: 'url' });
      expect(res.data!.createWebhookSubscription.errors[0].message).to.match(pattern);
      expect(res.data!.createWebhookSubscription.secret).to.equal(null);
    }
    const events = await server.gql(CREATE, { i: { institutionId, url: 'https://x.example/h', eventTypes: ['booking.exploded'] } }, admin);
    expect(events.data!.createWebhookSubscription.errors[0]).to.include({ code: 'BAD_INPUT', field: 'eventTypes' });
  });

  describe('address filter at registration (WEBHOOK_ALLOW_PRIVATE_TARGETS off, whatever NODE_ENV says)', () => {
    let listener: http.Server;
    let port: number;
    let viewer: Viewer;
    // A fixed name table: a public-looking name can point anywhere, e.g. at the cloud metadata service.
    const names: Record<string, string[]> = {
      'hooks.partner.example': ['93.184.216.34', '2606:2800:220:1::1'],
      'metadata.partner.example': ['169.254.169.254'],
      'loopback.partner.example': ['127.0.0.1'],
      'mixed.partner.example': ['93.184.216.34', '10.0.0.5'],
      'v6-loopback.partner.example': ['::1'],
    };
    const resolve = async (host: string) => {
      if (!names[host]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return names[host].map((address) => ({ address, family: isIP(address) }));
    };
    const secure = { allowPrivateTargets: false, resolve };

    before(async () => {
      listener = http.createServer((_req, res) => res.writeHead(204).end());
      await new Promise<void>((done) => listener.listen(0, '127.0.0.1', done));
      port = (listener.address() as AddressInfo).port;
      const user = await makeUser({ isAdmin: true });
      viewer = { kind: 'USER', userId: user.id, institutionId: user.institutionId, isAdmin: true, timeZone: 'UTC', locale: 'en' };
    });

    after(() => new Promise<void>((done) => listener.close(() => done())));

    it('refuses loopback, private, link-local, site-local, mapped and metadata targets however they are written or resolved', async () => {
      const refused = [
        `https://localhost.:${port}/x`,
        `https://localhost:${port}/x`,
        'https://metadata.google.internal./computeMetadata/v1/',
        'https://metadata.partner.example/latest/meta-data/',
        `https://loopback.partner.example:${port}/x`,
        'https://mixed.partner.example/x',
        'https://v6-loopback.partner.example/x',
        `https://[::127.0.0.1]:${port}/x`,
        'https://[fec0::1]/x',
        `https://[::ffff:127.0.0.1]:${port}/x`,
        `https://[::ffff:7f00:1]:${port}/x`,
        `https://[::1]:${port}/x`,
        'https://[::]/x',
        'https://[fe80::1]/x',
        'https://[fd00::1]/x',
        'https://[ff02::1]/x',
        'https://[64:ff9b::a9fe:a9fe]/x',
        'https://[2002:7f00:1::1]/x',
        'https://[2001::1]/x',
        `https://127.0.0.1:${port}/x`,
        `https://0x7f000001:${port}/x`,
        `https://2130706433:${port}/x`,
        'https://0.0.0.0/x',
        'https://10.1.2.3/x',
        'https://100.64.0.1/x',
        'https://172.16.0.1/x',
        'https://192.168.0.1/x',
        'https://169.254.169.254/latest',
        'https://224.0.0.1/x',
        'https://255.255.255.255/x',
        'https://intranet/x',
        'https://printer.local/x',
        'https://router.home.arpa/x',
        `http://127.0.0.1:${port}/x`,
        'http://hooks.partner.example/x',
      ];
      for (const url of refused) {
        const result = await createWebhookSubscription(viewer, { institutionId: Number(institutionId), url }, secure);
        expect(result.errors, url).to.have.length(1);
        expect(result.errors[0], url).to.include({ code: 'BAD_INPUT', field: 'url' });
        expect(result.subscription, url).to.equal(null);
      }
      expect(await WebhookSubscription.count({ where: { institutionId } })).to.equal(0);
    });

    it('accepts https URLs whose host is public by name and by every address it resolves to', async () => {
      for (const url of ['https://hooks.partner.example/labshare', 'https://93.184.216.34/x', 'https://[2606:2800:220:1::1]/x', 'https://not-yet-in-dns.partner.example/x']) {
        expect(await webhookUrlError(url, secure), url).to.equal(null);
      }
    });

    it('accepts http and loopback receivers only when private targets are allowed explicitly', async () => {
      expect(await webhookUrlError(`http://127.0.0.1:${port}/x`, { allowPrivateTargets: true })).to.equal(null);
      expect(await webhookUrlError(`http://localhost:${port}/x`, { allowPrivateTargets: true })).to.equal(null);
      expect(await webhookUrlError(`http://localhost:${port}/x`, secure)).to.include({ code: 'BAD_INPUT' });
    });
  });
});
