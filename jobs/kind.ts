// The shape of a job kind (as Outline's processors declare applicableEvents): the queue it runs on, the committed
// events it plans jobs for, how it plans them, and its processor. Each job file exports one; jobs/kinds.ts lists them.
import type { Job, JobsOptions } from 'bullmq';
import type { CommittedEvent } from '../src/events/types';
import type { JobDeps } from './context';
import type { QueueKey } from './queues';
import type { JobSettings } from './settings';

export interface PlannedJob {
  queue: QueueKey;
  name: string;
  data: unknown;
  opts: JobsOptions & { jobId: string };
}

export interface JobKind {
  queue: QueueKey;
  /** Event types this kind plans jobs for; '*' for every event; [] for a kind that only runs on a schedule. */
  applicableEvents: readonly string[] | '*';
  /** The jobs one committed event becomes. Every jobId derives from the event or the booking's state (idempotent). */
  plan(event: CommittedEvent, settings: JobSettings, nowMs: number): PlannedJob[];
  // Jobs of one queue carry that kind's payload; the registry cannot name each payload type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  process(job: Job<any>, deps: JobDeps, token?: string): Promise<unknown>;
}
