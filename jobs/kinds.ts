// Every job kind, registered once: the relay plans an event's jobs from here and the workers find their processor
// here. A new kind is its own file (exporting a JobKind) plus one line below and its queue in queues.ts.
import type { CommittedEvent } from '../src/events/types';
import { confirmations } from './confirmations';
import { digests } from './digests';
import { housekeeping } from './housekeeping';
import type { JobKind, PlannedJob } from './kind';
import type { QueueKey } from './queues';
import { reminders } from './reminders';
import type { JobSettings } from './settings';
import { usageLogs } from './usage-logs';
import { webhooks } from './webhooks';

export const JOB_KINDS: readonly JobKind[] = [webhooks, confirmations, reminders, usageLogs, housekeeping, digests];

const applies = (kind: JobKind, type: string) => kind.applicableEvents === '*' || kind.applicableEvents.includes(type);

/** The jobs an outbox event becomes; planning the same event twice adds nothing the second time (same jobIds). */
export function planJobs(event: CommittedEvent, settings: JobSettings, nowMs: number): PlannedJob[] {
  return JOB_KINDS.filter((kind) => applies(kind, event.type)).flatMap((kind) => kind.plan(event, settings, nowMs));
}

export function kindOf(queue: QueueKey): JobKind {
  const kind = JOB_KINDS.find((k) => k.queue === queue);
  if (!kind) throw new Error(`no job kind runs on queue ${queue}`);
  return kind;
}
