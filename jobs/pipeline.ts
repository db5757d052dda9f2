// The whole pipeline in one call, for src/server.ts, jobs/worker.ts, tests and benches: the relay (with its
// sweeper) on a fail-fast producer connection, and workers on their own blocking-safe connection.
import type { Sequelize } from 'sequelize';
import { systemClock, type Clock } from '../src/clock';
import type { Logger } from '../src/logger';
import type { Mailer } from '../src/notifications/mailer';
import { OutboxRelay } from './relay';
import { ensureHousekeepingSchedule } from './housekeeping';
import { watchOutbox, watchQueues } from './metrics';
import { closeQueues, createQueues, producerConnection, workerConnection, type QueueKey, type Queues } from './queues';
import type { JobSettings } from './settings';
import { startWorkers, type RunningWorkers } from './workers';

export interface PipelineOptions {
  redisUrl: string;
  /** REDIS_CLUSTER_NODES: when set, the queues live on this Redis Cluster (src/redis.ts). */
  redisClusterNodes?: string;
  prefix: string;
  sequelize: Sequelize;
  settings: JobSettings;
  logger: Logger;
  mailer: Mailer;
  clock?: Clock;
  /** Run the relay and sweeper (default true). */
  relay?: boolean;
  /** Run workers: all queues (true, the default), none (false), or the listed ones. */
  workers?: boolean | readonly QueueKey[];
  /** Keep the housekeeping job scheduler registered (default: when the housekeeping queue is consumed here). */
  housekeeping?: boolean;
}

export interface Pipeline {
  /** Producer-side queues (the relay's; fail fast while Redis is down). */
  queues: Queues;
  relay: OutboxRelay | null;
  workers: RunningWorkers | null;
  /** Waits for in-flight jobs (worker.close), then stops the relay and closes the connections. Does not close the database. */
  stop(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { logger, settings } = options;
  const clock = options.clock ?? systemClock;
  const redis = { url: options.redisUrl, clusterNodes: options.redisClusterNodes };
  const producer = producerConnection(redis, logger);
  const queues = createQueues(producer, options.prefix, logger);
  const unwatch = [watchQueues(queues), watchOutbox(options.sequelize)];

  const relay = options.relay === false ? null : new OutboxRelay({ sequelize: options.sequelize, queues, settings, logger, clock, redis: producer }).start();

  let workers: RunningWorkers | null = null;
  let consumer: ReturnType<typeof workerConnection> | null = null;
  let workerQueues: Queues | null = null;
  const only = options.workers === undefined || options.workers === true ? undefined : options.workers === false ? [] : options.workers;
  if (!only || only.length) {
    consumer = workerConnection(redis, logger);
    // Follow-up jobs (webhook deliveries, re-planned reminders) wait for Redis instead of failing the job.
    workerQueues = createQueues(consumer, options.prefix, logger);
    workers = startWorkers({
      connection: consumer,
      prefix: options.prefix,
      only,
      deps: { settings, mailer: options.mailer, clock, queues: workerQueues, logger },
    });
    const wantsSchedule = options.housekeeping ?? (!only || only.includes('housekeeping'));
    if (wantsSchedule) {
      const schedule = () =>
        ensureHousekeepingSchedule(workerQueues!, settings).catch((error: Error) => logger.warn({ err: error.message }, 'could not register housekeeping'));
      // 'ready' fires on the first connect and again after each reconnect: a Redis restarted without its data
      // gets the scheduler back. Not awaited: a worker started while Redis is down waits for it quietly.
      consumer.on('ready', () => void schedule());
    }
  }

  return {
    queues,
    relay,
    workers,
    async stop() {
      await workers?.close();
      await relay?.stop();
      for (const u of unwatch) u();
      await closeQueues(queues);
      if (workerQueues) await closeQueues(workerQueues);
      for (const connection of [producer, consumer]) {
        if (connection) await connection.quit().catch(() => connection.disconnect());
      }
      options.mailer.close();
    },
  };
}
