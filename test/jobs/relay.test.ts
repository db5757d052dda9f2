import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxEvent } from '../../src/db/models';
import { recordEvent } from '../../src/events/outbox';
import { runTransaction } from '../../src/db/transaction';
import { resetTables, testDatabase } from '../helpers/db';
import { obliterateQueues, startTestPipeline, waitFor, type TestPipeline } from './support';

/** An event with no booking behind it: it plans only a webhook fan-out job, which the test reads but never runs. */
const event = (n: number) => ({ type: 'booking.completed', aggregateType: 'booking', aggregateId: n, payload: { bookingId: n } });

async function jobCount(pipeline: TestPipeline): Promise<number> {
  const counts = await Promise.all(Object.values(pipeline.queues).map((q) => q.getJobCountByTypes('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized')));
  return counts.reduce((a, b) => a + b, 0);
}

describe('outbox relay and sweeper (MariaDB + Redis)', () => {
  let pipelines: TestPipeline[] = [];

  beforeEach(async () => {
    await resetTables(['outbox_events']);
    await obliterateQueues();
  });

  afterEach(async () => {
    await Promise.all(pipelines.map((p) => p.stop()));
    pipelines = [];
  });

  const relayOnly = async (sweepMinAgeMs: number) => {
    const pipeline = await startTestPipeline({ sweepMinAgeMs }, { workers: false });
    pipelines.push(pipeline);
    return pipeline;
  };

  it('enqueues a committed event right after commit, with the event id as jobId, and marks it dispatched', async () => {
    const pipeline = await relayOnly(60_000); // the sweeper would wait a minute: only the wake-up can do this
    const sequelize = await testDatabase();
    const eventId = await runTransaction(sequelize, (transaction) => recordEvent(event(1), transaction));
    await waitFor(() => pipeline.queues.webhooks.getJob(eventId), 'the job', 3000);
    const row = await waitFor(async () => {
      const found = await OutboxEvent.findOne({ where: { eventId }, raw: true });
      return found?.dispatchedAt ? found : null;
    }, 'dispatched_at');
    expect(row.dispatchAttempts).to.equal(1);
  });

  it('enqueues nothing for a transaction that rolled back', async () => {
    const pipeline = await relayOnly(0);
    const sequelize = await testDatabase();
    let written: string | undefined;
    await runTransaction(sequelize, async (transaction) => {
      written = await recordEvent(event(2), transaction);
      throw new Error('the booking failed after its event was written');
    }).catch(() => undefined);
    expect(written).to.be.a('string');
    await sleep(600); // wake-ups and three sweeps would have happened
    expect(await OutboxEvent.count()).to.equal(0);
    expect(await jobCount(pipeline)).to.equal(0);
  });

  it('sweeps events whose wake-up was lost once they are older than the minimum age', async () => {
    // Written without a relay listening (as if the process died right after commit).
    const sequelize = await testDatabase();
    const ids = await runTransaction(sequelize, async (transaction) => [await recordEvent(event(3), transaction), await recordEvent(event(4), transaction)]);
    const pipeline = await relayOnly(300);
    for (const id of ids) await waitFor(() => pipeline.queues.webhooks.getJob(id), `job ${id}`, 5000);
    // The job is in Redis before the relay's UPDATE marks the row dispatched: wait for that UPDATE, then check nothing is left.
    await waitFor(async () => (await OutboxEvent.count({ where: { dispatchedAt: null } })) === 0, 'both rows marked dispatched', 5000);
    expect(await OutboxEvent.count({ where: { eventId: ids, dispatchAttempts: 1 } })).to.equal(2);
  });

  it('enqueues each event once when several processes sweep at the same time', async () => {
    await OutboxEvent.bulkCreate(Array.from({ length: 30 }, (_, n) => ({
      eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, type: 'booking.completed', aggregateType: 'booking',
      aggregateId: String(n), payload: { bookingId: n }, createdAt: new Date(Date.now() - 10_000),
    })));
    const sweepers = [await relayOnly(0), await relayOnly(0), await relayOnly(0)];
    await Promise.all(sweepers.map((p) => p.relay!.sweep()));
    await waitFor(async () => (await OutboxEvent.count({ where: { dispatchedAt: null } })) === 0, 'every event dispatched');
    expect(await sweepers[0].queues.webhooks.getJobCountByTypes('waiting')).to.equal(30);
    expect(await jobCount(sweepers[0])).to.equal(30);
  });

  it('with REDIS_MIN_REPLICAS, leaves events undispatched while no replica acknowledges their jobs (here: a Redis without replicas)', async () => {
    const pipeline = await startTestPipeline({ sweepMinAgeMs: 0, sweepIntervalMs: 3_600_000, minReplicas: 1, replicaWaitMs: 200 }, { workers: false });
    pipelines.push(pipeline);
    const eventId = '00000000-0000-4000-8000-000000000099';
    await OutboxEvent.create({ eventId, type: 'booking.completed', aggregateType: 'booking', aggregateId: '99', payload: { bookingId: 99 }, createdAt: new Date(Date.now() - 10_000) });
    await pipeline.relay!.sweep();
    expect(await OutboxEvent.findOne({ where: { eventId }, raw: true })).to.include({ dispatchedAt: null, dispatchAttempts: 1 });
    expect(await pipeline.queues.webhooks.getJob(eventId), 'the job was added, only not confirmed').to.not.equal(undefined);
  });
});
