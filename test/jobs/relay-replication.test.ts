// The relay with REDIS_MIN_REPLICAS on a real Redis Cluster (the shared private one): a job a master accepted is
// counted only once its replica holds it too (WAIT), so a master lost before replicating cannot take a job whose
// event was already marked dispatched. With the replica stopped (SIGSTOP) the event stays undispatched; once the
// replica is back the next pass adds the job again (the same jobId: no second job) and marks it.
import { expect } from 'chai';
import pino from 'pino';
import { config } from '../../src/config';
import { OutboxEvent } from '../../src/db/models';
import { hashTag } from '../../src/redis';
import { resetTables } from '../helpers/db';
import { sharedRedisCluster, type ClusterNode, type RedisClusterFixture } from '../helpers/redis-cluster';
import { startTestPipeline, waitFor, type TestPipeline } from './support';

const alive = (node: ClusterNode) => node.child.exitCode === null && node.child.signalCode === null;

/** An undispatched event old enough for the sweeper; it plans one webhook fan-out job (no worker runs here). */
async function pendingEvent(n: number): Promise<string> {
  const eventId = `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
  await OutboxEvent.create({
    eventId, type: 'booking.completed', aggregateType: 'booking', aggregateId: String(n), payload: { bookingId: n },
    createdAt: new Date(Date.now() - 60_000),
  });
  return eventId;
}

const row = async (eventId: string) => (await OutboxEvent.findOne({ where: { eventId }, raw: true }))!;

describe('outbox relay with REDIS_MIN_REPLICAS on a Redis Cluster', function () {
  this.timeout(90_000);
  let cluster: RedisClusterFixture;
  let pipeline: TestPipeline | undefined;
  let replica: ClusterNode;
  let prefix: string;
  const logs: { msg: string }[] = [];
  const logged = () => JSON.stringify(logs.slice(-5));

  /** Whether this node replicates `masterPort` and is in sync with it. */
  const replicates = (node: ClusterNode, masterPort: number) => {
    const info = cluster.cli(node.port, 'INFO', 'replication');
    return /^role:slave/m.test(info) && new RegExp(`^master_port:${masterPort}\\r?$`, 'm').test(info) && /^master_link_status:up/m.test(info);
  };

  before(async () => {
    cluster = await sharedRedisCluster();
    await resetTables(['outbox_events']);
    // A queue prefix whose slot's master has a live replica in sync (another test may have killed a master).
    const base = hashTag(config().QUEUE_PREFIX)!;
    for (let i = 0; !prefix; i += 1) {
      if (i > 100) throw new Error('no cluster master with a replica in sync');
      const tag = `${base}-replicated-${i}`;
      const master = cluster.masterOf(cluster.keySlot(tag));
      const found = cluster.nodes.find((node) => alive(node) && replicates(node, master));
      if (found) [prefix, replica] = [`{${tag}}`, found];
    }
    pipeline = await startTestPipeline(
      { minReplicas: 1, replicaWaitMs: 1000, sweepIntervalMs: 3_600_000, sweepMinAgeMs: 0 },
      { redisClusterNodes: cluster.seeds, prefix, workers: false, logger: pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) }) },
    );
    // The relay's connection is ready once the cluster's slot map is known (until then a pass fails: the sweeper's job).
    await waitFor(() => pipeline!.queues.webhooks.getJobCounts().then(() => true, () => false), 'the queues on the cluster', 20_000);
  });

  after(async () => {
    if (replica && alive(replica)) replica.child.kill('SIGCONT');
    await pipeline?.stop();
  });

  it('marks an event dispatched once the replica holds its job', async () => {
    const eventId = await pendingEvent(1);
    await pipeline!.relay!.sweep();
    const dispatched = await row(eventId);
    expect(dispatched.dispatchedAt, logged()).to.not.equal(null);
    expect(dispatched.dispatchAttempts).to.equal(1);
    expect(await pipeline!.queues.webhooks.getJob(eventId), 'its job').to.not.equal(undefined);
  });

  it('leaves the event undispatched while the replica is stopped, and adds its job again (the same one) once it is back', async () => {
    const eventId = await pendingEvent(2);
    replica.child.kill('SIGSTOP');
    try {
      await pipeline!.relay!.sweep();
      const stalled = await row(eventId);
      expect(stalled.dispatchedAt, 'not marked while no replica confirmed').to.equal(null);
      expect(logs.map((l) => l.msg)).to.include('Redis replicas did not confirm the new jobs; their events stay undispatched for the sweeper');
      expect(stalled.dispatchAttempts).to.equal(1);
      // The master took the job; only its replica does not have it yet.
      expect(await pipeline!.queues.webhooks.getJob(eventId)).to.not.equal(undefined);
    } finally {
      replica.child.kill('SIGCONT');
    }
    await waitFor(async () => replicates(replica, cluster.masterOf(cluster.keySlot(hashTag(prefix)!))), 'the replica back in sync', 20_000, 100);

    await pipeline!.relay!.sweep();
    const marked = await row(eventId);
    expect(marked.dispatchedAt, `marked once the replica confirmed; ${logged()}`).to.not.equal(null);
    expect(marked.dispatchAttempts).to.equal(2);
    // Adding again was a no-op: one job per event, both events' jobs and nothing more.
    const counts = await pipeline!.queues.webhooks.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(2);
  });
});
