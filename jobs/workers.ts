// One BullMQ Worker per queue, each calling its processor with the shared dependencies.
import { Worker, type Job, type Processor } from 'bullmq';
import type { JobDeps } from './context';
import { kindOf } from './kinds';
import { observeWorker } from './metrics';
import { QUEUE_KEYS, QUEUE_NAMES, type QueueKey } from './queues';
import { REPEATED_ERROR_LOG_INTERVAL_MS, type RedisClient } from '../src/redis';
import { throttledLog } from '../src/throttled-log';

export interface WorkerOptions {
  /** Needs maxRetriesPerRequest: null (jobs/queues.ts workerConnection); BullMQ duplicates it for blocking reads. */
  connection: RedisClient;
  prefix: string;
  deps: JobDeps;
  /** Which queues to consume (default: all). */
  only?: readonly QueueKey[];
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs and waits for the ones in flight to finish. */
  close(): Promise<void>;
}

export function startWorkers(options: WorkerOptions): RunningWorkers {
  const { deps } = options;
  const workers = (options.only ?? QUEUE_KEYS).map((key) => {
    const { process } = kindOf(key);
    const processor: Processor = (job, token) => process(job, deps, token);
    const worker = new Worker(QUEUE_NAMES[key], processor, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: key === 'housekeeping' ? 1 : deps.settings.concurrency,
      lockDuration: deps.settings.lockDurationMs,
      stalledInterval: deps.settings.stalledIntervalMs,
      // A job whose worker died is retried; one that kills its worker twice in a row is failed, not retried forever.
      maxStalledCount: 2,
    });
    // A worker that cannot fetch jobs (Redis away, MOVED, CROSSSLOT) retries in a loop: logged, at most once per interval.
    const logError = throttledLog(deps.logger, 'error', 'worker error', REPEATED_ERROR_LOG_INTERVAL_MS);
    worker.on('error', (error: Error) => logError({ err: error.message, queue: worker.name }));
    worker.on('failed', (job: Job | undefined, error: Error) =>
      deps.logger.warn({ queue: worker.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'job attempt failed'));
    observeWorker(worker);
    return worker;
  });
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
