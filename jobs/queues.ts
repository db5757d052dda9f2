// Queue names, the shared key prefix and the Redis connections of the job pipeline.
// Every queue uses QUEUE_PREFIX (default "{labshare}"): the braces are a Redis Cluster hash tag, so all keys of all
// queues land in one slot and BullMQ's multi-key scripts run unchanged on a cluster.
import { Queue, type DefaultJobOptions } from 'bullmq';
import type { Logger } from '../src/logger';
import { createRedis, REPEATED_ERROR_LOG_INTERVAL_MS, type RedisClient, type RedisTarget } from '../src/redis';
import { throttledLog } from '../src/throttled-log';

export const QUEUE_NAMES = {
  confirmations: 'confirmations',
  webhooks: 'webhooks',
  reminders: 'reminders',
  usageLogs: 'usage-logs',
  housekeeping: 'housekeeping',
  digests: 'digests',
} as const;
export type QueueKey = keyof typeof QUEUE_NAMES;
export const QUEUE_KEYS = Object.keys(QUEUE_NAMES) as QueueKey[];

export type Queues = Record<QueueKey, Queue>;

// Finished jobs stay long enough that a late re-enqueue of the same jobId is still recognised as a duplicate;
// the delivery log in MariaDB is what makes an older duplicate harmless.
const KEEP: DefaultJobOptions = { removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

export const DEFAULT_JOB_OPTIONS: Record<QueueKey, DefaultJobOptions> = {
  confirmations: { ...KEEP, attempts: 6, backoff: { type: 'exponential', delay: 2000 } },
  // Per-subscription delivery jobs set their own attempts and backoff from the settings.
  webhooks: { ...KEEP, attempts: 6, backoff: { type: 'exponential', delay: 1000 } },
  reminders: { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 5000 } },
  usageLogs: { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 5000 } },
  housekeeping: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 }, attempts: 1 },
  // Kept a day like the others: longer than the morning window, so a re-planned digest of the same morning is a duplicate.
  digests: { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 5000 } },
};

/** For workers: BullMQ's blocking commands need maxRetriesPerRequest: null; reconnects forever. */
export function workerConnection(target: RedisTarget, logger: Logger): RedisClient {
  return createRedis(target, 'worker', logger);
}

/**
 * For producers (the relay): commands fail fast while Redis is down instead of waiting in the offline queue,
 * so the relay leaves the event to the sweeper and the booking request never waits on Redis.
 */
export function producerConnection(target: RedisTarget, logger: Logger): RedisClient {
  return createRedis(target, 'producer', logger);
}

export function createQueues(connection: RedisClient, prefix: string, logger: Logger): Queues {
  const queues = {} as Queues;
  for (const key of QUEUE_KEYS) {
    const queue = new Queue(QUEUE_NAMES[key], { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS[key] });
    // An EventEmitter 'error' without a listener would crash the process during a Redis outage; a queue that keeps
    // failing (MOVED, CROSSSLOT, a lost node) is logged, at most once per interval.
    const logError = throttledLog(logger, 'warn', 'queue error', REPEATED_ERROR_LOG_INTERVAL_MS);
    queue.on('error', (error: Error) => logError({ err: error.message, queue: queue.name }));
    queues[key] = queue;
  }
  return queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
}
