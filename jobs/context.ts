// What every processor is given: settings, the mailer, the clock, queues to add follow-up jobs to, a logger.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import type { Clock } from '../src/clock';
import type { Logger } from '../src/logger';
import type { Mailer } from '../src/notifications/mailer';
import type { Queues } from './queues';
import type { JobSettings } from './settings';

export interface JobDeps {
  settings: JobSettings;
  mailer: Mailer;
  clock: Clock;
  queues: Queues;
  logger: Logger;
}

/** True on the job's last allowed attempt: a failure now is final. */
export function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** The test-only pause that lets a test kill a worker while a job is in flight (0 outside tests). */
export async function pauseForTests(settings: JobSettings): Promise<void> {
  if (settings.processorDelayMs > 0) await sleep(settings.processorDelayMs);
}
