// LabShare on a Redis Cluster (3 masters, 3 replicas, private, on loopback): two API processes, each with the relay
// and workers, connected through REDIS_CLUSTER_NODES. Bookings and their confirmations, shared rate limits, and the
// master that owns the queue prefix's slot killed under load: the replica takes over and LabShare follows it
// without a restart.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import pino from 'pino';
import { issueToken } from '../src/access/tokens';
import { config } from '../src/config';
import { NotificationDelivery } from '../src/db/models';
import { hashTag } from '../src/redis';
import { resetTables } from './helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from './helpers/factories';
import { startServerProcess, type ServerProcess } from './helpers/processes';
import { sharedRedisCluster, type RedisClusterFixture } from './helpers/redis-cluster';
import { readMailbox, startTestPipeline, waitFor } from './jobs/support';

const BOOK = `mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) { booking { id status } errors { code } }
}`;
const READ = '{ institutions(first: 1) { nodes { id } } }';
const USER_LIMIT = 60;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('on a Redis Cluster: two API processes with relays and workers', function () {
  this.timeout(120_000);
  let cluster: RedisClusterFixture;
  let servers: ServerProcess[] = [];
  let mailDir: string;
  let instrumentId: number;
  let tokens: string[];
  let booked = 0;
  const day = DateTime.utc().plus({ days: 2 }).startOf('day');

  before(async () => {
    cluster = await sharedRedisCluster();
    await resetTables(['notification_deliveries', 'outbox_events', 'booking_history', 'bookings', 'opening_hours', 'lab_memberships', 'instruments', 'labs', 'users', 'institutions']);
    const lab = await makeLab({ timeZone: 'Asia/Singapore' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrumentId = (await makeInstrument({ labId: lab.id })).id;
    const users = await Promise.all(Array.from({ length: 24 }, () => makeUser()));
    tokens = await Promise.all(users.map((u) => issueToken(u.id, config())));
    mailDir = mkdtempSync(path.join(os.tmpdir(), 'labshare-cluster-mail-'));
    const env = {
      // Two seeds are enough: the client learns the other nodes from the cluster.
      REDIS_CLUSTER_NODES: cluster.seeds.split(',').slice(0, 2).join(','),
      // Credentials and TLS would come from here; a plain client on this node would meet MOVED for the queue slot.
      REDIS_URL: `redis://127.0.0.1:${notOwner()}`,
      RUN_WORKERS: 'true', MAIL_DIR: mailDir, OUTBOX_SWEEP_INTERVAL_MS: '500', OUTBOX_SWEEP_MIN_AGE_MS: '500',
      WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000',
      RATE_LIMIT_USER_PER_MINUTE: String(USER_LIMIT),
    };
    servers = await Promise.all([startServerProcess(env, { startTimeoutMs: 90_000 }), startServerProcess(env, { startTimeoutMs: 90_000 })]);
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  });

  /** A cluster master that does not serve the queue prefix's slot. */
  function notOwner(): number {
    const owner = cluster.masterOf(cluster.keySlot(hashTag(config().QUEUE_PREFIX)!));
    return cluster.nodes.map((n) => n.port).find((port) => port !== owner && /^role:master/m.test(cluster.cli(port, 'INFO', 'replication')))!;
  }

  /** Books the next free half hour through API process i % 2, as user i. */
  async function book(i: number): Promise<{ ms: number; ok: boolean }> {
    const start = day.plus({ minutes: 30 * booked });
    booked += 1;
    const started = Date.now();
    const response = await fetch(`${servers[i % 2].url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
      body: JSON.stringify({ query: BOOK, variables: { input: { instrumentId: String(instrumentId), start: start.toISO(), end: start.plus({ minutes: 30 }).toISO() } } }),
    });
    const body = (await response.json()) as { data?: { requestBooking: { booking: { status: string } | null; errors: unknown[] } } };
    return { ms: Date.now() - started, ok: response.status === 200 && body.data?.requestBooking.booking?.status === 'CONFIRMED' };
  }

  /** Every booking made so far gets its confirmation: one message per event, none twice. */
  async function expectEachConfirmedOnce(timeoutMs: number): Promise<void> {
    await waitFor(async () => readMailbox(mailDir).length >= booked, `${booked} confirmations`, timeoutMs, 200);
    await sleep(1000); // a duplicate would arrive about now
    const mails = readMailbox(mailDir);
    expect(mails).to.have.length(booked);
    expect(new Set(mails.map((m) => m.headers['x-labshare-delivery'])).size).to.equal(booked);
    expect(await NotificationDelivery.count({ where: { channel: 'EMAIL', status: 'SENT' } })).to.equal(booked);
  }

  it('refuses to start, in one line, on a cluster node named as a single server or with a queue prefix without a hash tag', async () => {
    const asSingle = await startServerProcess({ REDIS_URL: `redis://127.0.0.1:${notOwner()}` }).then(() => '', (error: Error) => error.message);
    expect(asSingle).to.match(/exited early \(1\): labshare: Redis at 127\.0\.0\.1:\d+ is a Redis Cluster node: list the cluster's nodes in REDIS_CLUSTER_NODES.*\n$/);
    const noTag = await startServerProcess({ REDIS_CLUSTER_NODES: cluster.seeds, QUEUE_PREFIX: 'labshare-test-scale' }).then(() => '', (error: Error) => error.message);
    expect(noTag).to.match(/exited early \(1\): labshare: Invalid setting QUEUE_PREFIX \(got "labshare-test-scale"\): on a Redis Cluster \(REDIS_CLUSTER_NODES\) it needs a hash tag in braces, e\.g\. \{labshare\}.*\n$/);
    expect(asSingle.split('\n').filter(Boolean)).to.have.length(1);
    expect(noTag.split('\n').filter(Boolean)).to.have.length(1);
  });

  it('logs a worker\'s error loop (here CROSSSLOT, from a prefix without a hash tag) at error level once per interval, not per error', async () => {
    const logs: { level: number; msg: string; err?: string; queue?: string }[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    // Start-up refuses such a prefix; the pipeline is started directly to make the loop happen.
    const pipeline = await startTestPipeline({}, { redisUrl: config().REDIS_URL, redisClusterNodes: cluster.seeds, prefix: 'labshare-test-scale-untagged', relay: false, workers: ['confirmations'], logger });
    let emitted = 0;
    pipeline.workers!.workers[0].on('error', () => (emitted += 1));
    try {
      await waitFor(async () => emitted >= 3, 'the worker to fail a few times', 20_000);
    } finally {
      await pipeline.stop();
    }
    const logged = logs.filter((entry) => entry.msg === 'worker error');
    expect(logged).to.have.length(1);
    expect(logged[0]).to.include({ level: 50, queue: 'confirmations' });
    expect(logged[0].err).to.match(/CROSSSLOT/);
  });

  it('answers /readyz ok through the cluster', async () => {
    for (const server of servers) {
      expect(await (await fetch(`${server.url}/readyz`)).json()).to.deep.equal({ status: 'ok', mariadb: 'ok', redis: 'ok' });
    }
  });

  it('takes bookings through either process and delivers each confirmation exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => book(i)));
    expect(results.every((r) => r.ok)).to.equal(true);
    await expectEachConfirmedOnce(20_000);
  });

  it('shares a caller\'s rate limit across the two processes', async () => {
    const user = await makeUser();
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await issueToken(user.id, config())}` };
    const statuses: number[] = [];
    // Half the requests go to each process: counted per process, neither would reach the limit.
    for (let i = 0; i <= USER_LIMIT; i += 1) {
      const response = await fetch(`${servers[i % 2].url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: READ }) });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, USER_LIMIT).every((s) => s === 200)).to.equal(true);
    expect(statuses[USER_LIMIT]).to.equal(429);
  });

  it('follows a failover of the master owning the queue slot under load: normal latency after, every event delivered once, no restart', async () => {
    const slot = cluster.keySlot(hashTag(config().QUEUE_PREFIX)!);
    const doomed = cluster.masterOf(slot);
    expect(doomed).to.be.greaterThan(0);

    const before = [];
    for (let i = 0; i < 10; i += 1) before.push(await book(i));
    expect(before.every((r) => r.ok)).to.equal(true);
    const normal = median(before.map((r) => r.ms));

    // Load from two clients all through the failover.
    let loading = true;
    const during: { ms: number; ok: boolean }[] = [];
    const load = Promise.all([0, 1].map(async (lane) => {
      for (let i = lane; loading; i += 2) during.push(await book(i));
    }));
    await sleep(300);
    await cluster.kill(doomed);
    const killedAt = Date.now();
    await waitFor(async () => {
      const owner = cluster.masterOf(slot);
      return owner > 0 && owner !== doomed;
    }, 'a replica to take over the slot', 30_000, 200);
    const promotedMs = Date.now() - killedAt;
    await sleep(1000); // the clients' next slot-map refresh
    loading = false;
    await load;
    // Bookings never wait on Redis: every one of them succeeded while the master was gone.
    expect(during.filter((r) => !r.ok)).to.deep.equal([]);

    const after = [];
    for (let i = 0; i < 10; i += 1) after.push(await book(i));
    expect(after.every((r) => r.ok)).to.equal(true);
    expect(median(after.map((r) => r.ms)), `normal ${normal} ms; promoted after ${promotedMs} ms`).to.be.below(Math.max(3 * normal, normal + 150));

    for (const server of servers) {
      expect(server.child.exitCode).to.equal(null);
      expect(await (await fetch(`${server.url}/readyz`)).json()).to.include({ status: 'ok', redis: 'ok' });
    }
    await expectEachConfirmedOnce(30_000);
  });
});
