// Webhook subscriptions per institution, managed by admins: the signing secret is shown once; URLs are checked.
import { expect } from 'chai';
import { webhookUrlError } from '../../src/access/webhook-subscriptions';
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

  it('in production accepts only https URLs of public hosts', () => {
    const strict = { strict: true };
    expect(webhookUrlError('https://hooks.partner.example/x', strict)).to.equal(null);
    for (const url of ['http://hooks.partner.example/x', 'https://localhost/x', 'https://127.0.0.1/x', 'https://10.1.2.3/x', 'https://192.168.0.1/x', 'https://[::1]/x', 'https://169.254.169.254/latest']) {
      expect(webhookUrlError(url, strict), url).to.include({ code: 'BAD_INPUT' });
    }
    expect(webhookUrlError('http://127.0.0.1:9999/x', { strict: false })).to.equal(null);
  });
});
