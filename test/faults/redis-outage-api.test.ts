// Fault test: the API (in this process) and its outbox relay point at a redis-server this test starts, kills under
// load and restarts. Reads and booking writes keep their latency, the rate limiter falls back to per-process limits
// at once and says so once, /readyz answers 200 "degraded" within a second, and the shared limiter works again after the restart.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createRequestRateLimiter } from '../../src/access/rate-limit';
import { config } from '../../src/config';
import { OutboxEvent } from '../../src/db/models';
import type { RedisClient } from '../../src/redis';
import { openRedis } from '../../src/startup';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { freePort } from '../helpers/processes';
import { bearer, startTestServer, type TestServer } from '../helpers/server';
import { startRedisServer, startTestPipeline, waitFor, type RedisServer, type TestPipeline } from '../jobs/support';

const READ = '{ instruments(first: 5) { nodes { id name } } }';
const REQUEST = `mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id status } errors { code } } }`;
const USER_LIMIT = 40;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('fault test: Redis is killed and restarted under load while the API serves', function () {
  this.timeout(50_000);
  let redisServer: RedisServer;
  let apiRedis: RedisClient;
  let pipeline: TestPipeline;
  let server: TestServer;
  let instrumentId: number;
  const logs: { level: number; msg: string }[] = [];
  const keyPrefix = `${config().QUEUE_PREFIX}:faults:${Date.now()}`;
  let nextHour = 0;

  before(async () => {
    await resetTables(['outbox_events', 'booking_history', 'bookings', 'opening_hours', 'lab_memberships', 'instruments', 'labs', 'users', 'institutions']);
    const lab = await makeLab({ timeZone: 'Asia/Bangkok' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrumentId = (await makeInstrument({ labId: lab.id, slotMinutes: 30, minMinutes: 30 })).id;

    redisServer = await startRedisServer(await freePort());
    apiRedis = await openRedis({ ...config(), REDIS_URL: redisServer.url }); // the API's own connection, as src/server.ts opens it
    pipeline = await startTestPipeline({}, { redisUrl: redisServer.url, relay: true, workers: false });
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    server = await startTestServer({
      redis: apiRedis,
      logger,
      queues: pipeline.queues,
      rateLimiter: createRequestRateLimiter(apiRedis, { userPerMinute: USER_LIMIT, partnerPerMinute: 100, anonymousPerMinute: 100_000, keyPrefix, logger }),
    });
  });

  after(async () => {
    await server?.close();
    await pipeline?.stop();
    apiRedis?.disconnect();
    await redisServer?.stop();
  });

  const timed = async <T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> => {
    const started = performance.now();
    const value = await fn();
    return { ms: performance.now() - started, value };
  };

  /** A small batch, one request at a time: p50 of reads and of booking writes (each a new confirmed booking). */
  async function measure(): Promise<{ read: number; write: number }> {
    const booker = await bearer((await makeUser()).id);
    const reads: number[] = [];
    const writes: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      const { ms, value } = await timed(() => server.gql(READ));
      expect(value.errors, JSON.stringify(value.errors)).to.equal(undefined);
      reads.push(ms);
    }
    const day = DateTime.now().setZone('Asia/Bangkok').plus({ days: 2 }).startOf('day');
    for (let i = 0; i < 9; i += 1) {
      const start = day.plus({ minutes: 30 * nextHour++ });
      const input = { instrumentId: String(instrumentId), start: start.toISO(), end: start.plus({ minutes: 30 }).toISO() };
      const { ms, value } = await timed(() => server.gql(REQUEST, { input }, booker));
      expect(value.data?.requestBooking, JSON.stringify(value)).to.deep.include({ errors: [] });
      expect(value.data?.requestBooking.booking.status).to.equal('CONFIRMED');
      writes.push(ms);
    }
    return { read: median(reads), write: median(writes) };
  }

  async function readyz(): Promise<{ ms: number; status: number; body: Record<string, string> }> {
    const { ms, value } = await timed(async () => {
      const response = await fetch(`${server.url}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    });
    return { ms, ...value };
  }

  const fallbackGauge = async () => /^labshare_rate_limit_fallback (\d)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1];
  const said = (text: string) => logs.filter((entry) => entry.msg.includes(text));

  it('keeps reads and booking writes at their latency, limits per process at once, and shares limits again after a restart', async () => {
    // Background load all along: every answer must come, fast and without errors.
    let loading = true;
    const background: { ms: number; ok: boolean }[] = [];
    const load = (async () => {
      while (loading) {
        const { ms, value } = await timed(() => server.gql(READ));
        background.push({ ms, ok: value.status === 200 && !value.errors });
      }
    })();

    try {
      await measure(); // warm-up
      const up = await measure();
      expect((await readyz()).status).to.equal(200);
      expect(await fallbackGauge()).to.equal('0');

      await redisServer.stop(); // SIGKILL
      const killedAt = Date.now();
      const down = await measure();
      // Degraded, not unavailable: every instance shares this Redis, and a 503 would take them all out of the balancer.
      const ready = await readyz();
      expect(ready.status).to.equal(200);
      expect(ready.body.status).to.equal('degraded');
      expect(ready.body.redis).to.match(/^unreachable/);
      expect(ready.body.mariadb).to.equal('ok');
      expect(ready.ms).to.be.below(1000);
      expect(await fallbackGauge()).to.equal('1');

      // The per-process limiter limits: a caller over the limit is refused at once.
      const greedy = await bearer((await makeUser()).id);
      const statuses: number[] = [];
      for (let i = 0; i <= USER_LIMIT; i += 1) statuses.push((await server.gql(READ, undefined, greedy)).status);
      expect(statuses.slice(0, USER_LIMIT).every((s) => s === 200)).to.equal(true);
      expect(statuses[USER_LIMIT]).to.equal(429);

      // Let ioredis retry a few times (its backoff grows to 2 s): the fallback is still reported once.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3000 - (Date.now() - killedAt))));
      expect(said('counted per process')).to.have.length(1);
      expect(await OutboxEvent.count({ where: { dispatchedAt: null } })).to.be.greaterThan(0); // left to the sweeper

      redisServer = await startRedisServer(redisServer.port);
      await waitFor(async () => (await readyz()).body.status === 'ok', '/readyz to answer ok after the restart', 10_000);
      const again = await readyz();
      expect(again.status).to.equal(200);
      expect(again.body.redis).to.equal('ok');
      expect(again.ms).to.be.below(1000);
      expect(await fallbackGauge()).to.equal('0');
      expect(said('shared again')).to.have.length(1);
      expect(said('counted per process')).to.have.length(1);

      // The shared limiter counts in Redis again.
      const user = await makeUser();
      const headers = await bearer(user.id);
      for (let i = 0; i < 3; i += 1) expect((await server.gql(READ, undefined, headers)).status).to.equal(200);
      const probe = new Redis(redisServer.url);
      try {
        expect(await probe.get(`${keyPrefix}:rate:user:${user.id}`)).to.equal('3');
      } finally {
        probe.disconnect();
      }
      // The bookings made while Redis was down reach the queues once it is back (sweeper).
      await waitFor(async () => (await OutboxEvent.count({ where: { dispatchedAt: null } })) === 0, 'the sweeper to dispatch every event', 10_000);

      const slack = 20;
      expect(down.read, `read p50 up ${up.read.toFixed(1)} ms, down ${down.read.toFixed(1)} ms`).to.be.at.most(2 * up.read + slack);
      expect(down.write, `write p50 up ${up.write.toFixed(1)} ms, down ${down.write.toFixed(1)} ms`).to.be.at.most(2 * up.write + slack);
    } finally {
      loading = false;
      await load;
    }
    expect(background.length).to.be.greaterThan(20);
    expect(background.filter((r) => !r.ok)).to.deep.equal([]);
    expect(Math.max(...background.map((r) => r.ms))).to.be.below(1500);
  });
});
