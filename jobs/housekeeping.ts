// housekeeping (repeatable, one job scheduler per queue, so one run at a time however many workers there are):
// expire undecided requests, finish bookings whose usage job was lost, re-plan reminders lost with Redis data,
// plan managers' morning digests (jobs/digests.ts), and prune old outbox rows. MariaDB is the source of truth; Redis only holds intentions that can be re-derived.
import type { Job } from 'bullmq';
import { expireBooking } from '../src/booking';
import { Booking } from '../src/db/models';
import { rawQuery } from '../src/db/raw';
import { sqlInstant } from '../src/db/sql-instant';
import { pruneDispatchedEvents } from '../src/events/prune';
import { finishBooking } from '../src/usage/finish-booking';
import type { JobDeps } from './context';
import { planDigests } from './digests';
import type { JobKind } from './kind';
import type { Queues } from './queues';
import { reminderJobs } from './reminders';
import type { JobSettings } from './settings';

const BATCH = 200;
export const HOUSEKEEPING_SCHEDULER_ID = 'housekeeping';

export interface HousekeepingReport {
  expired: number;
  finished: number;
  remindersReplanned: number;
  digestsPlanned: number;
  pruned: number;
}

/** PENDING requests not decided by their start minus the lead become EXPIRED (with notifications via the outbox). */
async function expireUndecided(now: Date, leadMs: number): Promise<number> {
  const cutoff = new Date(now.getTime() + leadMs);
  const rows = await rawQuery<{ id: number; instrument_id: number; version: number }[]>(
    Booking.sequelize!,
    "SELECT id, instrument_id, version FROM bookings WHERE status = 'PENDING' AND start_at <= ? ORDER BY start_at LIMIT ?",
    [sqlInstant(cutoff), BATCH],
  );
  let expired = 0;
  for (const row of rows) {
    // expectedVersion: a request decided or moved since the read is left alone.
    const result = await expireBooking({ bookingId: row.id, note: 'Not decided before the booking was due to start', expectedVersion: row.version });
    if (!result.errors.length) expired += 1;
  }
  return expired;
}

/** CONFIRMED bookings past their end plus grace (their usage job was lost or has not run): finish them now. */
async function finishOverdue(now: Date, graceMs: number): Promise<number> {
  const cutoff = new Date(now.getTime() - graceMs);
  // start_at < cutoff bounds the scan on (status, start_at); end_at <= cutoff is the real condition.
  const rows = await rawQuery<{ id: number }[]>(
    Booking.sequelize!,
    "SELECT id FROM bookings WHERE status = 'CONFIRMED' AND start_at < ? AND end_at <= ? ORDER BY start_at LIMIT ?",
    [sqlInstant(cutoff), sqlInstant(cutoff), BATCH],
  );
  let finished = 0;
  for (const row of rows) {
    const result = await finishBooking(row.id, { now, graceMs });
    if (result.outcome === 'LOGGED') finished += 1;
  }
  return finished;
}

/** Re-adds reminders for bookings starting within the longest offset; existing jobs make these adds no-ops. */
async function replanReminders(queues: Queues, settings: JobSettings, now: Date): Promise<number> {
  const horizon = Math.max(0, ...settings.reminderOffsetsMs);
  if (!horizon) return 0;
  const rows = await rawQuery<{ id: number; start_at: Date }[]>(
    Booking.sequelize!,
    "SELECT id, start_at FROM bookings WHERE status = 'CONFIRMED' AND start_at > ? AND start_at <= ? ORDER BY start_at LIMIT 1000",
    [sqlInstant(now), sqlInstant(new Date(now.getTime() + horizon))],
  );
  const jobs = rows.flatMap((r) => reminderJobs(r.id, new Date(r.start_at).getTime(), settings, now.getTime()));
  if (jobs.length) await queues.reminders.addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: j.opts })));
  return jobs.length;
}

export async function processHousekeeping(_job: Job, deps: JobDeps): Promise<HousekeepingReport> {
  const now = deps.clock.now().toJSDate();
  const report: HousekeepingReport = {
    expired: await expireUndecided(now, deps.settings.expiryLeadMs),
    finished: await finishOverdue(now, deps.settings.usageGraceMs),
    remindersReplanned: await replanReminders(deps.queues, deps.settings, now),
    digestsPlanned: await planDigests(deps.queues, deps.settings, deps.clock.now()),
    pruned: await pruneDispatchedEvents(Booking.sequelize!, new Date(now.getTime() - deps.settings.outboxRetentionMs)),
  };
  if (report.expired || report.finished || report.pruned) deps.logger.info({ report }, 'housekeeping');
  return report;
}

/** Idempotent: called at worker start and after every Redis reconnect (a Redis restart without data loses it). */
export async function ensureHousekeepingSchedule(queues: Queues, settings: Pick<JobSettings, 'housekeepingIntervalMs'>): Promise<void> {
  await queues.housekeeping.upsertJobScheduler(HOUSEKEEPING_SCHEDULER_ID, { every: settings.housekeepingIntervalMs }, { name: 'housekeeping' });
}

/** Runs on its schedule only (ensureHousekeepingSchedule), never for an event. */
export const housekeeping: JobKind = {
  queue: 'housekeeping',
  applicableEvents: [],
  plan: () => [],
  process: processHousekeeping,
};
