// Fault test 2: a worker process (npm run worker's entry) is killed with SIGKILL in the middle of a job. After the
// stall interval another worker runs the job again and the recipient still gets exactly one message.
// Also: SIGTERM lets the job in flight finish before the process exits.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { UserViewer } from '../../src/access/viewer';
import { requestBooking } from '../../src/booking';
import { NotificationDelivery, OutboxEvent } from '../../src/db/models';
import type { UserRow } from '../../src/db/rows';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { obliterateQueues, readMailbox, startTestPipeline, waitFor, type TestPipeline } from './support';

const root = path.resolve(__dirname, '../..');
const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** jobs/worker.ts as its own process, on the test database and queue prefix (set by test/helpers/setup.ts). */
function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'jobs/worker.ts'], {
    cwd: root,
    env: {
      ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', RUN_WORKERS: 'true',
      WORKER_LOCK_DURATION_MS: '1000', WORKER_STALLED_INTERVAL_MS: '500', OUTBOX_SWEEP_INTERVAL_MS: '200', ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => stderr };
}

describe('fault test 2: a worker process dies mid-job (MariaDB + Redis + child processes)', function () {
  this.timeout(60_000);
  let mailDir: string;
  let researcher: UserRow;
  let instrumentId: number;
  let pipelines: TestPipeline[] = [];
  let workers: WorkerProcess[] = [];

  beforeEach(async () => {
    await resetTables(['notification_deliveries', 'outbox_events', 'webhook_subscriptions', 'usage_logs', 'booking_history', 'bookings',
      'opening_hours', 'lab_memberships', 'instruments', 'labs', 'users', 'institutions']);
    await obliterateQueues();
    mailDir = mkdtempSync(path.join(os.tmpdir(), 'labshare-crash-'));
    const lab = await makeLab({ timeZone: 'Asia/Ho_Chi_Minh' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrumentId = (await makeInstrument({ labId: lab.id })).id;
    researcher = await makeUser({ email: 'minh@vnu.test', locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' });
  });

  afterEach(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(pipelines.map((p) => p.stop()));
    pipelines = [];
    workers = [];
  });

  const book = async () => {
    const start = DateTime.now().setZone('Asia/Ho_Chi_Minh').plus({ days: 2 }).set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
    const { booking, errors } = await requestBooking(asViewer(researcher), { instrumentId, start, end: start.plus({ hours: 1 }) });
    expect(errors).to.deep.equal([]);
    return booking!;
  };
  const claimed = () => NotificationDelivery.findOne({ where: { channel: 'EMAIL', status: 'PENDING' }, raw: true });

  it('runs the job again after the stall interval and the booker still gets exactly one email', async () => {
    const doomed = startWorkerProcess({ MAIL_DIR: mailDir, TEST_PROCESSOR_DELAY_MS: '20000' });
    workers.push(doomed);
    // The relay runs here; only the child consumes jobs for now.
    pipelines.push(await startTestPipeline({}, { workers: false, mailDir }));
    await book();

    const claim = await waitFor(claimed, 'the child to claim the delivery (it then waits 20 s before sending)', 40_000);
    expect(claim.attempts).to.equal(1);
    doomed.child.kill('SIGKILL');
    expect((await doomed.exited).signal).to.equal('SIGKILL');
    expect(readMailbox(mailDir)).to.have.length(0);

    // A healthy worker: its stalled-job check finds the dead worker's job once the lock (1 s) has expired.
    const rescuer = await startTestPipeline({ stalledIntervalMs: 500 }, { relay: false, workers: ['confirmations'], mailDir });
    pipelines.push(rescuer);
    await waitFor(async () => readMailbox(mailDir).length >= 1, 'the email from the rerun', 15_000);
    await sleep(700);
    expect(readMailbox(mailDir)).to.have.length(1);
    const [row] = await NotificationDelivery.findAll({ where: { channel: 'EMAIL' }, raw: true });
    expect(row).to.include({ status: 'SENT', attempts: 2 });
    const [event] = await OutboxEvent.findAll({ raw: true });
    const job = (await rescuer.queues.confirmations.getJob(event.eventId))!;
    expect(job.stalledCounter).to.equal(1);
    expect(await job.getState()).to.equal('completed');
  });

  it('lets the job in flight finish on SIGTERM, then exits cleanly', async () => {
    const worker = startWorkerProcess({ MAIL_DIR: mailDir, TEST_PROCESSOR_DELAY_MS: '1500' });
    workers.push(worker);
    pipelines.push(await startTestPipeline({}, { workers: false, mailDir }));
    await book();
    await waitFor(claimed, 'the child to claim the delivery', 40_000);
    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    expect(code, worker.stderr()).to.equal(0);
    expect(readMailbox(mailDir)).to.have.length(1);
    expect((await NotificationDelivery.findOne({ where: { channel: 'EMAIL' }, raw: true }))!.status).to.equal('SENT');
  });
});
