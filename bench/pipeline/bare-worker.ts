// Child process: the bare BullMQ baseline. A worker on two queues (as LabShare works two immediate jobs per booking
// event: the confirmation email and the webhook fan-out), the same concurrency and connection settings, doing the
// same work per event without LabShare's pipeline around it: the confirmation job composes the same e-mail and
// calendar invitation with the same code and libraries (composeEmail: the message catalogs, luxon, ical-generator,
// nodemailer) from facts carried in the job, and writes it through the same transport (FolderMailer, .eml files);
// the webhook job has no subscription to deliver to, as in the LabShare run. No database: no facts look-up, no
// delivery log, no relay. Reports when it completed its first and last job.
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { FolderMailer } from '../../src/notifications/mailer';
import { composeEmail, type EmailRequest } from '../../src/notifications/send-email';

const prefix = process.env.QUEUE_PREFIX as string;
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 10);
const mailFrom = process.env.MAIL_FROM ?? 'LabShare <no-reply@labshare.example>';
const mailer = new FolderMailer(process.env.MAIL_DIR as string);
const connection = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: null });
let first = 0;
let last = 0;
let completed = 0;

/** A bare confirmation job: everything the e-mail needs, put in the job by whoever enqueued it. */
export interface BareConfirmationJob {
  eventId: string;
  request: Omit<EmailRequest, 'facts' | 'invite'> & {
    facts: Omit<EmailRequest['facts'], 'start' | 'end'> & { start: string; end: string };
    invite: Omit<NonNullable<EmailRequest['invite']>, 'stamp'> & { stamp: string };
  };
}

async function confirm(job: Job<BareConfirmationJob>): Promise<void> {
  const { request } = job.data;
  const facts = { ...request.facts, start: new Date(request.facts.start), end: new Date(request.facts.end) };
  await mailer.send(composeEmail({ ...request, facts, invite: { ...request.invite, stamp: new Date(request.invite.stamp) } }, { mailFrom, publicUrl: 'http://localhost' }));
}

const PROCESSORS: Record<string, (job: Job) => Promise<void>> = {
  'bare-confirmations': confirm,
  'bare-webhooks': async () => undefined,
};

const workers = Object.entries(PROCESSORS).map(([name, processor]) => {
  const worker = new Worker(name, processor, { connection, prefix, concurrency });
  worker.on('completed', () => {
    const now = Date.now();
    if (!first) first = now;
    last = now;
    completed += 1;
  });
  return worker;
});

process.on('message', (message: unknown) => {
  if (message === 'bench:bare-stats') process.send?.({ type: 'bench:bare-stats', first, last, completed });
});
const stop = async () => {
  await Promise.all(workers.map((w) => w.close()));
  await connection.quit();
  mailer.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
void Promise.all(workers.map((w) => w.waitUntilReady())).then(() => process.send?.({ type: 'ready' }));
