// digests: a lab manager who chose the daily digest (profile: approvalMail DAILY_DIGEST) gets one e-mail each
// morning listing the requests still waiting for them, instead of one e-mail per request. Housekeeping plans a job
// per manager whose local clock reads between DIGEST_HOUR and noon; its jobId is digest.<manager>.<local date>, so
// however many workers plan it, however often, the queue holds one job per manager per morning, and the delivery
// log (keyed the same) keeps a retried or re-planned job from mailing twice.
import type { Job } from 'bullmq';
import type { DateTime } from 'luxon';
import { Booking } from '../src/db/models';
import { rawQuery } from '../src/db/raw';
import { sqlInstant } from '../src/db/sql-instant';
import { appLinks } from '../src/notifications/links';
import { renderDigest, type DigestItem, type Recipient } from '../src/notifications/messages';
import { envelope, sendOnce } from '../src/notifications/send-email';
import { isFinalAttempt, pauseForTests, type JobDeps } from './context';
import type { JobKind, PlannedJob } from './kind';
import type { Queues } from './queues';
import type { JobSettings } from './settings';

export interface DigestJob {
  managerId: number;
  /** The manager's local date (ISO) whose morning this digest is for. */
  localDate: string;
}

export const digestKey = (d: DigestJob) => `digest.${d.managerId}.${d.localDate}`;

/** The most requests one digest lists; the approvals page has them all. */
const DIGEST_MAX_ITEMS = 50;
/** After noon a morning digest is not planned any more; what arrives later waits for the next morning. */
const DIGEST_LAST_HOUR = 12;

function localTime(now: DateTime, zone: string): DateTime {
  const local = now.setZone(zone);
  return local.isValid ? local : now.setZone('UTC');
}

/** Digest jobs for every manager who wants one and whose morning it is now (their zone). */
export async function digestJobs(settings: Pick<JobSettings, 'digestHour'>, now: DateTime): Promise<PlannedJob[]> {
  const managers = await rawQuery<{ id: number; time_zone: string }[]>(
    Booking.sequelize!,
    `SELECT DISTINCT u.id, u.time_zone FROM users u JOIN lab_memberships m ON m.user_id = u.id AND m.role = 'MANAGER'
      WHERE u.approval_mail = 'DAILY_DIGEST' AND u.disabled_at IS NULL ORDER BY u.id`,
    [],
  );
  return managers.flatMap((m) => {
    const local = localTime(now, m.time_zone);
    if (local.hour < settings.digestHour || local.hour >= DIGEST_LAST_HOUR) return [];
    const data: DigestJob = { managerId: m.id, localDate: local.toISODate()! };
    return [{ queue: 'digests' as const, name: 'digest', data, opts: { jobId: digestKey(data) } }];
  });
}

/** Adds this morning's digest jobs; jobs already added (same jobId) are left as they are. */
export async function planDigests(queues: Queues, settings: Pick<JobSettings, 'digestHour'>, now: DateTime): Promise<number> {
  const jobs = await digestJobs(settings, now);
  if (jobs.length) await queues.digests.addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: j.opts })));
  return jobs.length;
}

interface PendingRow {
  id: number; start_at: Date; end_at: Date; purpose: string; instrument_name: string; lab_name: string; lab_time_zone: string; requester_name: string;
}

export async function processDigest(job: Job<DigestJob>, deps: JobDeps): Promise<string> {
  const { managerId } = job.data;
  const [manager] = await rawQuery<{ name: string; email: string; locale: string; time_zone: string; approval_mail: string; disabled_at: Date | null }[]>(
    Booking.sequelize!,
    'SELECT name, email, locale, time_zone, approval_mail, disabled_at FROM users WHERE id = ?',
    [managerId],
  );
  if (!manager || manager.disabled_at) return 'manager no longer exists or is disabled';
  if (manager.approval_mail !== 'DAILY_DIGEST') return 'not wanted: the manager chose one e-mail per request';
  const now = deps.clock.now();
  const rows = await rawQuery<PendingRow[]>(
    Booking.sequelize!,
    `SELECT b.id, b.start_at, b.end_at, b.purpose, i.name AS instrument_name, l.name AS lab_name, l.time_zone AS lab_time_zone, u.name AS requester_name
       FROM lab_memberships m JOIN labs l ON l.id = m.lab_id JOIN instruments i ON i.lab_id = l.id
       JOIN bookings b ON b.instrument_id = i.id JOIN users u ON u.id = b.user_id
      WHERE m.user_id = ? AND m.role = 'MANAGER' AND b.status = 'PENDING' AND b.start_at > ? AND b.user_id <> ?
      ORDER BY b.start_at, b.id LIMIT ?`,
    [managerId, sqlInstant(now.toJSDate()), managerId, DIGEST_MAX_ITEMS],
  );
  if (!rows.length) return 'nothing pending';
  const items: DigestItem[] = rows.map((r) => ({
    bookingId: Number(r.id), instrument: r.instrument_name, lab: r.lab_name, labTimeZone: r.lab_time_zone,
    start: new Date(r.start_at), end: new Date(r.end_at), requesterName: r.requester_name, purpose: r.purpose,
  }));
  const recipient: Recipient = { name: manager.name, email: manager.email, locale: manager.locale, timeZone: manager.time_zone };
  const key = digestKey(job.data);
  const { mailFrom, publicUrl } = deps.settings;
  const outcome = await sendOnce(key, recipient, () => envelope(key, recipient, renderDigest(recipient, items, appLinks(publicUrl)), mailFrom), {
    mailer: deps.mailer, mailFrom, publicUrl, finalAttempt: isFinalAttempt(job), beforeSend: () => pauseForTests(deps.settings),
  });
  return `${outcome}: ${items.length} pending`;
}

/** Planned by housekeeping (planDigests), never for an event. */
export const digests: JobKind = {
  queue: 'digests',
  applicableEvents: [],
  plan: () => [],
  process: processDigest,
};
