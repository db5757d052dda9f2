// Prometheus metrics of the pipeline (prom-client): queue depth, job durations, failures, outbox lag, and the
// commit-to-delivered latency of notifications. One registry per process; sources register themselves.
import type { Job, Worker } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Queues } from './queues';

export const metricsRegistry = new Registry();
// The defaults include event-loop delay (labshare_nodejs_eventloop_lag_*): a process stuck in a computation shows there.
collectDefaultMetrics({ register: metricsRegistry, prefix: 'labshare_' });

const queueSources = new Set<Queues>();
const databaseSources = new Set<Sequelize>();

/** Reports the depth of these queues at each scrape (until the returned function is called). */
export function watchQueues(queues: Queues): () => void {
  queueSources.add(queues);
  return () => queueSources.delete(queues);
}

/** Reports the outbox backlog of this database at each scrape. */
export function watchOutbox(sequelize: Sequelize): () => void {
  databaseSources.add(sequelize);
  return () => databaseSources.delete(sequelize);
}

/** A scrape must answer even while Redis or MariaDB is down; a slow source is skipped. */
const within = <T>(promise: Promise<T>, ms = 1000): Promise<T | undefined> =>
  Promise.race([promise.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);

const STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;

new Gauge({
  name: 'labshare_queue_jobs',
  help: 'Jobs per queue and state',
  labelNames: ['queue', 'state'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    const queues = [...queueSources].flatMap((q) => Object.values(q));
    await Promise.all(queues.map(async (queue) => {
      const counts = await within(queue.getJobCounts(...STATES));
      if (!counts) return;
      for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
    }));
  },
});

new Gauge({
  name: 'labshare_outbox_lag_seconds',
  help: 'Age of the oldest outbox event not yet handed to the queues (0 when none)',
  registers: [metricsRegistry],
  async collect() {
    for (const sequelize of databaseSources) {
      const rows = await within(sequelize.query<{ oldest: Date | null }>(
        'SELECT MIN(created_at) AS oldest FROM outbox_events WHERE dispatched_at IS NULL', { type: QueryTypes.SELECT },
      ));
      const oldest = rows?.[0]?.oldest;
      this.set(oldest ? Math.max(0, (Date.now() - new Date(oldest).getTime()) / 1000) : 0);
    }
  },
});

new Gauge({
  name: 'labshare_outbox_undispatched',
  help: 'Outbox events not yet handed to the queues',
  registers: [metricsRegistry],
  async collect() {
    for (const sequelize of databaseSources) {
      const rows = await within(sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_events WHERE dispatched_at IS NULL', { type: QueryTypes.SELECT }));
      if (rows) this.set(Number(rows[0]?.n ?? 0));
    }
  },
});

const jobDuration = new Histogram({
  name: 'labshare_job_duration_seconds',
  help: 'Processing time of completed jobs',
  labelNames: ['queue', 'name'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

const jobFailures = new Counter({
  name: 'labshare_job_failures_total',
  help: 'Failed job attempts (final: no attempts left)',
  labelNames: ['queue', 'name', 'final'],
  registers: [metricsRegistry],
});

const deliveryLatency = new Histogram({
  name: 'labshare_event_delivery_seconds',
  help: 'From the event commit to its notification job completing',
  labelNames: ['queue'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});

/** Records durations, failures and delivery latency of a worker's jobs. */
export function observeWorker(worker: Worker): void {
  worker.on('completed', (job: Job) => {
    if (job.processedOn && job.finishedOn) jobDuration.observe({ queue: worker.name, name: job.name }, (job.finishedOn - job.processedOn) / 1000);
    const occurredAt = (job.data as { occurredAt?: string } | undefined)?.occurredAt;
    if (occurredAt && job.name !== 'fan-out') deliveryLatency.observe({ queue: worker.name }, Math.max(0, (Date.now() - Date.parse(occurredAt)) / 1000));
  });
  worker.on('failed', (job: Job | undefined) => {
    const final = job ? job.attemptsMade >= (job.opts.attempts ?? 1) : true;
    jobFailures.inc({ queue: worker.name, name: job?.name ?? 'unknown', final: String(final) });
  });
}
