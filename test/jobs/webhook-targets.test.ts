// The worker's webhook delivery checks the target address when it connects: a subscription row that reaches
// loopback (written past the registration check) is refused, recorded FAILED at once and never retried.
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotificationDelivery, WebhookSubscription } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { makeInstitution } from '../helpers/factories';
import { obliterateQueues, startTestPipeline, startWebhookReceiver, waitFor, type TestPipeline, type WebhookReceiver } from './support';

describe('webhook delivery address check (MariaDB + Redis)', function () {
  this.timeout(30_000);
  let pipeline: TestPipeline | undefined;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    await resetTables(['notification_deliveries', 'webhook_subscriptions', 'institutions']);
    await obliterateQueues();
    receiver = await startWebhookReceiver(); // on 127.0.0.1
  });

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
    await receiver.close();
  });

  async function deliverTo(url: string, eventId: string): Promise<void> {
    const institution = await makeInstitution();
    const subscription = await WebhookSubscription.create({ institutionId: institution.id, url, secret: 'whsec_test-secret-0123456789abcdef', eventTypes: null });
    await pipeline!.queues.webhooks.add(
      'deliver',
      { eventId, type: 'booking.confirmed', occurredAt: new Date().toISOString(), data: {}, subscriptionId: subscription.id },
      { jobId: eventId, attempts: 3, backoff: { type: 'exponential', delay: 100 } },
    );
  }

  it('refuses a host name that resolves to loopback: the listener receives nothing and the delivery is FAILED after one attempt', async () => {
    pipeline = await startTestPipeline({ webhookAllowPrivateTargets: false });
    const port = new URL(receiver.url).port;
    const urls = [`http://localhost:${port}/hooks/labshare`, `http://[::ffff:127.0.0.1]:${port}/hooks/labshare`, receiver.url];
    for (const [i, url] of urls.entries()) await deliverTo(url, `refused-${i}`);
    for (const [i, url] of urls.entries()) {
      await waitFor(async () => (await pipeline!.queues.webhooks.getJobState(`refused-${i}`)) === 'failed', `the delivery to ${url} to fail`);
      const job = await pipeline.queues.webhooks.getJob(`refused-${i}`);
      expect(job!.attemptsMade, url).to.equal(1);
      const row = await NotificationDelivery.findOne({ where: { eventKey: `refused-${i}` }, raw: true });
      expect(row, url).to.deep.include({ status: 'FAILED', attempts: 1 });
      expect(row!.lastError, url).to.match(/Refused to connect/);
    }
    await sleep(500); // a retry would have arrived by now (backoff 100 ms)
    expect(receiver.received).to.deep.equal([]);
  });

  it('delivers to the same loopback receiver only when private targets are allowed explicitly', async () => {
    pipeline = await startTestPipeline({ webhookAllowPrivateTargets: true });
    await deliverTo(`http://localhost:${new URL(receiver.url).port}/hooks/labshare`, 'allowed-0');
    await waitFor(async () => (await pipeline!.queues.webhooks.getJobState('allowed-0')) === 'completed', 'the delivery');
    expect(receiver.received).to.have.length(1);
    expect((await NotificationDelivery.findOne({ where: { eventKey: 'allowed-0' }, raw: true }))!.status).to.equal('SENT');
  });
});
