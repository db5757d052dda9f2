// An admin's "send a test event": one signed webhook.test event through the outbox and the webhooks queue, delivered
// to the chosen subscription only (not to the institution's other subscriptions), and logged like any delivery.
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../jobs/webhooks';
import { NotificationDelivery, WebhookSubscription } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';
import { obliterateQueues, startTestPipeline, startWebhookReceiver, waitFor, type TestPipeline, type WebhookReceiver } from './support';

const SEND = 'mutation($id: ID!) { sendWebhookTestEvent(subscriptionId: $id) { eventId errors { code field message } } }';
const SECRET = 'whsec_chosen-0123456789abcdef';

describe('webhook test events (MariaDB + Redis)', function () {
  this.timeout(30_000);
  let server: TestServer;
  let pipeline: TestPipeline;
  let receiver: WebhookReceiver;
  let admin: Record<string, string>;

  beforeEach(async () => {
    await resetTables(['notification_deliveries', 'outbox_events', 'webhook_subscriptions', 'users', 'institutions']);
    await obliterateQueues();
    receiver = await startWebhookReceiver(); // on 127.0.0.1
    pipeline = await startTestPipeline({ webhookAllowPrivateTargets: true });
    server = await startTestServer();
    admin = await bearer((await makeUser({ isAdmin: true })).id);
  });

  afterEach(async () => {
    await server.close();
    await pipeline.stop();
    await receiver.close();
  });

  it('delivers one signed webhook.test event to the chosen subscription only and logs it SENT', async () => {
    const institution = await makeInstitution();
    const subscribe = (path: string, secret: string, eventTypes: string[] | null) =>
      WebhookSubscription.create({ institutionId: institution.id, url: `${receiver.url}/${path}`, secret, eventTypes });
    // The chosen one wants only booking.cancelled: a test is delivered whatever the filter says.
    const chosen = await subscribe('chosen', SECRET, ['booking.cancelled']);
    await subscribe('sibling', 'whsec_sibling-0123456789abcdef', null);

    const answer = (await server.gql(SEND, { id: String(chosen.id) }, admin)).data!.sendWebhookTestEvent;
    expect(answer.errors).to.deep.equal([]);
    expect(answer.eventId).to.be.a('string');

    const delivery = await waitFor(
      async () => NotificationDelivery.findOne({ where: { eventKey: answer.eventId, status: 'SENT' }, raw: true }), 'the test delivery to be SENT',
    );
    expect(delivery).to.deep.include({ channel: 'WEBHOOK', recipient: `${receiver.url}/chosen`, attempts: 1 });
    await sleep(500); // a delivery to the sibling would have arrived by now
    expect(receiver.received.map((r) => r.path)).to.deep.equal(['/hooks/labshare/chosen']);
    const [received] = receiver.received;
    expect(JSON.parse(received.body)).to.deep.include({ id: answer.eventId, type: 'webhook.test', data: { subscriptionId: chosen.id } });
    expect(received.headers['x-labshare-event']).to.equal('webhook.test');
    const timestamp = Number(received.headers[TIMESTAMP_HEADER]);
    expect(received.headers[SIGNATURE_HEADER]).to.equal(signWebhook(SECRET, timestamp, received.body));
    expect(await NotificationDelivery.count({ where: { channel: 'WEBHOOK' } })).to.equal(1);
  });

  it('refuses a paused or unknown subscription in place and sends nothing, and refuses non-admins', async () => {
    const paused = await WebhookSubscription.create({ institutionId: (await makeInstitution()).id, url: receiver.url, secret: SECRET, eventTypes: null, active: false });
    const inactive = (await server.gql(SEND, { id: String(paused.id) }, admin)).data!.sendWebhookTestEvent;
    expect(inactive).to.deep.include({ eventId: null });
    expect(inactive.errors).to.deep.equal([{ code: 'BAD_INPUT', field: 'subscriptionId', message: 'This webhook is paused: activate it before sending a test event.' }]);
    const unknown = (await server.gql(SEND, { id: String(paused.id + 1000) }, admin)).data!.sendWebhookTestEvent;
    expect(unknown.errors.map((e: { code: string }) => e.code)).to.deep.equal(['NOT_FOUND']);
    const researcher = await server.gql(SEND, { id: String(paused.id) }, await bearer((await makeUser()).id));
    expect(researcher.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    await sleep(500);
    expect(receiver.received).to.deep.equal([]);
    expect(await NotificationDelivery.count()).to.equal(0);
  });
});
