// Scenario 6: the job pipeline. Bookings are committed by the domain service with the outbox relay in the same
// process (as in an API process), and `node dist/jobs/worker.js` processes deliver them: 1 and 2 worker processes.
//   latency:    100 bookings/s for a while; commit-to-delivered = outbox row created → confirmation email SENT.
//   throughput: a backlog of booking events, then the workers start; events/s from the first job started to the
//               last finished (both immediate jobs of an event: confirmation email and webhook fan-out).
// Baseline: the same number of events as jobs on two queues, drained by bare BullMQ workers that do the same work per
// event (compose the same e-mail and invitation with the same code and write it through the same transport) without
// LabShare's pipeline (bench/pipeline/bare-worker.ts). An empty processor measured the e-mail, not LabShare.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { QUEUE_NAMES } from '../../jobs/queues';
import type { BenchContext, Comparison, ScenarioResult, Target } from '../lib/context';
import { startMeasured, type Measured } from '../lib/processes';
import { profileDuring, type ProfileSummary } from '../lib/profile';
import { DIST, serviceEnv } from '../lib/settings';
import { median, percentile, ratio, round } from '../lib/stats';
import { bookingRequests } from './booking';
import { FolderMailer } from '../../src/notifications/mailer';
import { composeEmail } from '../../src/notifications/send-email';
import type { BareConfirmationJob } from '../pipeline/bare-worker';

const RATE = 100;
const WORKER_ENTRY = path.join(DIST, 'jobs', 'worker.js');
const BARE_QUEUES = ['bare-confirmations', 'bare-webhooks'];

interface LatencyRun {
  bookings: number;
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
}

interface ThroughputRun {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

/**
 * CPU (ms, this process) to compose one booking confirmation with its calendar invitation and write it as an .eml:
 * the application's own composeEmail and FolderMailer, with no queue and no database. The floor of a worker's cost
 * per event, whatever the pipeline around it does.
 */
async function compositionCpuMs(directory: string, count: number): Promise<number> {
  const mailer = new FolderMailer(directory);
  const once = (i: number) =>
    mailer.send(composeEmail({
      eventKey: `floor-${i}`,
      kind: 'confirmed',
      recipient: { name: 'Nguyen Thi Lan', email: `lan${i}@vnu.test`, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' },
      facts: {
        bookingId: i, instrument: 'Krios G4 cryo-EM', lab: 'Kunming joint lab', labTimeZone: 'Asia/Shanghai', start: new Date(Date.UTC(2027, 0, 4, 2)), end: new Date(Date.UTC(2027, 0, 4, 4)),
        requesterName: 'Nguyen Thi Lan', purpose: 'Single-particle screening', note: null,
      },
      invite: { method: 'REQUEST', version: 1, stamp: new Date() },
    }, { mailFrom: 'LabShare <noreply@labshare.test>', publicUrl: 'http://localhost' }));
  for (let i = 0; i < count; i += 1) await once(i); // warm-up
  const before = process.cpuUsage();
  for (let i = 0; i < count; i += 1) await once(count + i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

/** A bare confirmation job as the baseline's producer would enqueue it: the e-mail's facts inside the job. */
function bareEvent(eventId: string, i: number): BareConfirmationJob {
  const start = new Date(Date.UTC(2027, 0, 4, 2) + i * 3_600_000);
  return {
    eventId,
    request: {
      eventKey: eventId,
      kind: 'confirmed',
      recipient: { name: 'Nguyen Thi Lan', email: `lan${i % 32}@vnu.test`, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' },
      facts: {
        bookingId: i, instrument: 'Krios G4 cryo-EM', lab: 'Kunming joint lab', labTimeZone: 'Asia/Shanghai', start: start.toISOString(),
        end: new Date(start.getTime() + 3_600_000).toISOString(), requesterName: 'Nguyen Thi Lan', purpose: 'Benchmark run', note: null,
      },
      invite: { method: 'REQUEST', version: 1, stamp: new Date().toISOString() },
    },
  };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function ready(child: Measured): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type === 'ready') {
        child.child.off('message', onMessage);
        resolve();
      }
    };
    child.child.on('message', onMessage);
    child.child.once('exit', (code) => reject(new Error(`${child.name} exited (${code}): ${child.stderrTail()}`)));
  });
}

/** Finished jobs of the queues: the earliest start and latest finish. */
async function jobSpan(queues: Queue[]): Promise<{ count: number; first: number; last: number }> {
  let first = Infinity;
  let last = 0;
  let count = 0;
  for (const queue of queues) {
    const jobs = (await queue.getJobs(['completed'], 0, -1)) as Job[];
    for (const job of jobs) {
      if (!job?.processedOn || !job.finishedOn) continue;
      count += 1;
      first = Math.min(first, job.processedOn);
      last = Math.max(last, job.finishedOn);
    }
  }
  return { count, first, last };
}

export async function pipeline(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const reps = settings.quick ? 1 : 3;
  const latencySeconds = settings.quick ? 4 : 8;
  const backlog = settings.quick ? 300 : 800;
  const bareBacklog = backlog;
  const mailDir = path.join(os.tmpdir(), 'labshare-bench-mail');
  const bareMailDir = path.join(os.tmpdir(), 'labshare-bench-mail-bare');
  rmSync(mailDir, { recursive: true, force: true });
  rmSync(bareMailDir, { recursive: true, force: true });
  const env = serviceEnv(settings, { MAIL_DIR: mailDir, RUN_WORKERS: 'true' });
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const queueOf = (name: string) => new Queue(name, { connection: redis, prefix: settings.queuePrefix });
  const appQueues = Object.values(QUEUE_NAMES).map(queueOf);
  const immediate = [queueOf(QUEUE_NAMES.confirmations), queueOf(QUEUE_NAMES.webhooks)];
  const bareQueues = BARE_QUEUES.map(queueOf);
  const everything = [...appQueues, ...immediate, ...bareQueues];
  for (const q of [...appQueues, ...bareQueues]) await q.obliterate({ force: true });
  // Earlier scenarios' API processes ran without a relay: their thousands of events would reach the workers
  // through the sweeper ahead of this scenario's own and be measured as its latency.
  await ctx.pool.query('UPDATE outbox_events SET dispatched_at = UTC_TIMESTAMP(3) WHERE dispatched_at IS NULL');

  const users = ctx.world.userIds.slice(0, 32);
  let day = 600; // far from the days the booking scenarios use
  const requests = (count: number, tag: string) => {
    const list = bookingRequests(ctx.world.spreadInstrumentIds, users, count, DateTime.utc().startOf('day').plus({ days: day }), `pipeline-${tag}-${Date.now()}`, 0);
    day += Math.ceil(count / ctx.world.spreadInstrumentIds.length / 24) + 2;
    return list;
  };
  const producer = startMeasured({ name: 'producer', entry: path.join(__dirname, '..', 'pipeline', 'producer.js'), env: { ...env, RUN_RELAY: 'true' } });
  await ready(producer);
  const produce = async (list: ReturnType<typeof requests>, rate: number) => {
    const reply = (await producer.request({ type: 'produce', requests: list, rate, concurrency: 8 }, 'produced', 600_000)) as {
      seconds: number; outcomes: Record<string, number>; error?: string;
    };
    if (reply.error) throw new Error(`producer: ${reply.error}`);
    const confirmed = reply.outcomes.CONFIRMED ?? 0;
    if (confirmed !== list.length) throw new Error(`producer: expected ${list.length} confirmed bookings, got ${JSON.stringify(reply.outcomes)}`);
    return reply;
  };
  /** Commit-to-delivered (ms) of the bookings whose idempotency keys start with the tag, once all are delivered. */
  const deliveries = async (list: ReturnType<typeof requests>) => {
    const tag = list[0].idempotencyKey.replace(/-\d+$/, '-%');
    const sql = `SELECT TIMESTAMPDIFF(MICROSECOND, o.created_at, d.sent_at) / 1000 AS ms
                   FROM bookings b JOIN outbox_events o ON o.aggregate_type = 'booking' AND o.aggregate_id = CAST(b.id AS CHAR)
                   JOIN notification_deliveries d ON d.event_key = o.event_id AND d.channel = 'EMAIL' AND d.status = 'SENT'
                  WHERE b.idempotency_key LIKE ?`;
    let latencies: number[] = [];
    await waitFor(`${list.length} confirmation emails`, async () => {
      const [rows] = await ctx.pool.query(sql, [tag]);
      latencies = (rows as { ms: string }[]).map((r) => Number(r.ms));
      return latencies.length >= list.length;
    }, 180_000, 100);
    return latencies;
  };
  const startWorkers = async (count: number, bare: boolean): Promise<Measured[]> => {
    const workers = Array.from({ length: count }, (_, i) =>
      bare
        ? startMeasured({ name: `bare-worker-${i + 1}`, entry: path.join(__dirname, '..', 'pipeline', 'bare-worker.js'), env: { REDIS_URL: settings.redisUrl, QUEUE_PREFIX: settings.queuePrefix, WORKER_CONCURRENCY: '10', MAIL_DIR: bareMailDir } })
        : startMeasured({ name: `worker-${i + 1}`, entry: WORKER_ENTRY, env }),
    );
    if (bare) await Promise.all(workers.map(ready));
    else await waitFor('workers to connect', async () => (await immediate[0].getWorkersCount()) >= count, 60_000, 100);
    return workers;
  };

  const latency: Record<number, LatencyRun[]> = {};
  const throughput: Record<number, ThroughputRun[]> = {};
  const bareThroughput: Record<number, ThroughputRun[]> = {};
  const workerCpu: Record<number, number[]> = {};
  // Worker CPU per event while draining a backlog, both sides: on a machine shared with other work, events/s swings
  // with everyone else's load, while the CPU a worker process spends per event hardly moves.
  const drainCpu: Record<number, number[]> = {};
  const bareDrainCpu: Record<number, number[]> = {};
  const cpuOf = (workers: Measured[]) => workers.reduce((sum, w) => sum + w.cpuMs(), 0);
  /** Starts the workers on paused queues and resumes them once all are up: the drain starts with every worker ready. */
  const startPaused = async (queues: Queue[], count: number, bare: boolean) => {
    for (const q of queues) await q.pause();
    const workers = await startWorkers(count, bare);
    const cpuBefore = cpuOf(workers);
    for (const q of queues) await q.resume();
    return { workers, cpuBefore };
  };
  let profile: ProfileSummary | undefined;
  try {
    for (const workersCount of [1, 2]) {
      latency[workersCount] = [];
      throughput[workersCount] = [];
      workerCpu[workersCount] = [];
      drainCpu[workersCount] = [];
      let workers = await startWorkers(workersCount, false);
      const warm = requests(settings.quick ? 50 : 200, `warm-${workersCount}`);
      await produce(warm, RATE);
      await deliveries(warm);
      for (let rep = 0; rep < reps; rep += 1) {
        const list = requests(RATE * latencySeconds, `latency-${workersCount}-${rep}`);
        const cpuBefore = workers.reduce((sum, w) => sum + w.cpuMs(), 0);
        const produced = await produce(list, RATE);
        const ms = await deliveries(list);
        workerCpu[workersCount].push((workers.reduce((sum, w) => sum + w.cpuMs(), 0) - cpuBefore) / list.length);
        latency[workersCount].push({ bookings: list.length, achievedRate: list.length / produced.seconds, p50: percentile(ms, 50), p99: percentile(ms, 99), max: Math.max(...ms) });
        ctx.log(`pipeline ${workersCount} worker(s) latency rep ${rep + 1}: ${round(list.length / produced.seconds, 0)} bookings/s, commit→delivered p50 ${round(percentile(ms, 50), 0)} ms p99 ${round(percentile(ms, 99), 0)} ms`);
      }
      for (let rep = 0; rep < reps; rep += 1) {
        await Promise.all(workers.map((w) => w.stop()));
        for (const q of immediate) await q.clean(0, 0, 'completed');
        const list = requests(backlog, `backlog-${workersCount}-${rep}`);
        await produce(list, 0);
        await waitFor('the relay to enqueue the backlog', async () => {
          const [rows] = await ctx.pool.query('SELECT COUNT(*) AS n FROM outbox_events WHERE dispatched_at IS NULL');
          return Number((rows as { n: number }[])[0].n) === 0;
        });
        const started = await startPaused(immediate, workersCount, false);
        workers = started.workers;
        await deliveries(list);
        await waitFor('webhook fan-out jobs', async () => (await immediate[1].getCompletedCount()) >= list.length, 120_000, 100);
        drainCpu[workersCount].push((cpuOf(workers) - started.cpuBefore) / list.length);
        const span = await jobSpan(immediate);
        const seconds = (span.last - span.first) / 1000;
        throughput[workersCount].push({ events: list.length, seconds, eventsPerSec: list.length / seconds });
        ctx.log(`pipeline ${workersCount} worker(s) throughput rep ${rep + 1}: ${round(list.length / seconds, 0)} events/s`);
      }
      if (settings.profile && workersCount === 1) {
        // One more latency run with the worker under the profiler, after the measured ones: where a job's CPU goes.
        const list = requests(RATE * latencySeconds, 'profiled');
        profile = (await profileDuring(workers[0], settings.profileDir, 'pipeline-worker', async () => {
          await produce(list, RATE);
          await deliveries(list);
        })).summary;
      }
      await Promise.all(workers.map((w) => w.stop()));

      bareThroughput[workersCount] = [];
      bareDrainCpu[workersCount] = [];
      for (let rep = 0; rep < reps; rep += 1) {
        for (const q of bareQueues) await q.clean(0, 0, 'completed');
        for (const q of bareQueues) {
          await q.addBulk(Array.from({ length: bareBacklog }, (_, i) => ({
            name: 'event', data: bareEvent(`bare-${workersCount}-${rep}-${i}`, i),
            opts: { jobId: `bare-${workersCount}-${rep}-${i}`, removeOnComplete: { age: 3600, count: 10_000 }, attempts: 6 },
          })));
        }
        const { workers: bare, cpuBefore } = await startPaused(bareQueues, workersCount, true);
        await waitFor('the bare workers to drain', async () => (await Promise.all(bareQueues.map((q) => q.getCompletedCount()))).every((n) => n >= bareBacklog), 120_000, 100);
        bareDrainCpu[workersCount].push((cpuOf(bare) - cpuBefore) / bareBacklog);
        const span = await jobSpan(bareQueues);
        await Promise.all(bare.map((w) => w.stop()));
        const seconds = (span.last - span.first) / 1000;
        bareThroughput[workersCount].push({ events: bareBacklog, seconds, eventsPerSec: bareBacklog / seconds });
        ctx.log(`pipeline ${workersCount} bare worker(s) rep ${rep + 1}: ${round(bareBacklog / seconds, 0)} events/s`);
      }
    }
  } finally {
    await producer.request({ type: 'exit' }, 'never', 5000).catch(() => undefined);
    await producer.stop();
    for (const q of [...appQueues, ...bareQueues]) await q.obliterate({ force: true }).catch(() => undefined);
    await Promise.all(everything.map((q) => q.close()));
    redis.disconnect();
    rmSync(mailDir, { recursive: true, force: true });
    rmSync(bareMailDir, { recursive: true, force: true });
  }

  const floorDir = path.join(os.tmpdir(), 'labshare-bench-mail-floor');
  const composeMs = await compositionCpuMs(floorDir, settings.quick ? 1000 : 3000);
  rmSync(floorDir, { recursive: true, force: true });
  const cores = os.cpus().length;
  const m = <T>(runs: T[], key: keyof T) => median(runs.map((r) => Number(r[key])));
  const comparisons: Comparison[] = [];
  for (const k of [1, 2]) {
    const eps = m(throughput[k], 'eventsPerSec');
    const bare = m(bareThroughput[k], 'eventsPerSec');
    comparisons.push(
      { metric: `${k} worker process${k > 1 ? 'es' : ''}: events/s (backlog drained)`, unit: '1/s', labshare: eps, baseline: bare, ratio: ratio(eps, bare), better: 'higher' },
      { metric: `${k} worker process${k > 1 ? 'es' : ''}: commit→delivered p99 at ${RATE} bookings/s`, unit: 'ms', labshare: m(latency[k], 'p99'), baseline: null, ratio: null, better: 'lower' },
      { metric: `${k} worker process${k > 1 ? 'es' : ''}: commit→delivered p50 at ${RATE} bookings/s`, unit: 'ms', labshare: m(latency[k], 'p50'), baseline: null, ratio: null, better: 'lower' },
      { metric: `${k} worker process${k > 1 ? 'es' : ''}: worker CPU per event`, unit: 'ms', labshare: median(workerCpu[k]), baseline: null, ratio: null, better: 'lower' },
      {
        metric: `${k} worker process${k > 1 ? 'es' : ''}: worker CPU per event, backlog drained`, unit: 'ms',
        labshare: median(drainCpu[k]), baseline: median(bareDrainCpu[k]), ratio: ratio(median(drainCpu[k]), median(bareDrainCpu[k])), better: 'lower',
      },
    );
  }
  comparisons.push({ metric: 'CPU to compose and write one confirmation email (no queue, no database)', unit: 'ms', labshare: composeMs, baseline: null, ratio: null, better: 'lower' });
  // What the email alone allows: every core composing and nothing else running (no Redis, MariaDB, producer).
  const ceiling = (cores * 1000) / composeMs;
  const targets: Target[] = [1, 2].flatMap((k) => {
    const p99 = m(latency[k], 'p99');
    const rate = m(latency[k], 'achievedRate');
    const r = ratio(m(throughput[k], 'eventsPerSec'), m(bareThroughput[k], 'eventsPerSec'));
    return [
      { text: `${k} worker(s): commit→delivered p99 under 1 s at ${RATE} bookings/s`, met: p99 < 1000 && rate >= RATE * 0.95, measured: `${round(p99, 0)} ms at ${round(rate, 0)} bookings/s` },
      {
        text: `${k} worker(s): throughput ≥ 0.5× a bare BullMQ worker composing and writing the same e-mail`,
        met: r >= 0.5,
        measured: `${round(r)}× (${round(m(throughput[k], 'eventsPerSec'), 0)} vs ${round(m(bareThroughput[k], 'eventsPerSec'), 0)} events/s)`,
      },
    ];
  });
  return {
    name: 'pipeline',
    title: 'Job pipeline: outbox → BullMQ → confirmation email, 1 and 2 worker processes',
    finishedAt: new Date().toISOString(),
    quick: settings.quick,
    reps,
    setup: {
      'latency load': `${RATE} bookings/s for ${latencySeconds} s (requestBooking + relay in one producer process, open loop)`,
      'throughput backlog': `${backlog} booking events (each: confirmation email + webhook fan-out, plus delayed reminder and usage-log jobs)`,
      'worker concurrency': 10,
      baseline: `${bareBacklog} events as jobs on two queues; a bare BullMQ worker composes the same e-mail and invitation (composeEmail) and writes it through FolderMailer; the webhook job has nothing to deliver`,
      delivery: 'FolderMailer (.eml files in a temporary directory); no webhook subscriptions',
    },
    comparisons,
    figures: {
      latency, throughput, bareThroughput, workerCpuMsPerEvent: workerCpu, drainCpuMsPerEvent: drainCpu, bareDrainCpuMsPerEvent: bareDrainCpu,
      compositionCpuMs: composeMs, compositionCeilingEventsPerSec: ceiling, ...(profile ? { profile } : {}),
    },
    targets,
    headline: [0, 1, 4, 5, 6, 9],
    notes: [],
  };
}
