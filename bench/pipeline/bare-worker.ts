// Child process: the bare BullMQ baseline. Workers with an empty processor on two queues (as LabShare works two
// immediate jobs per booking event: the confirmation email and the webhook fan-out), the same concurrency and
// connection settings; reports when it completed its first and last job.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const prefix = process.env.QUEUE_PREFIX as string;
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 10);
const connection = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: null });
let first = 0;
let last = 0;
let completed = 0;

const workers = ['bare-confirmations', 'bare-webhooks'].map((name) => {
  const worker = new Worker(name, async () => undefined, { connection, prefix, concurrency });
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
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
void Promise.all(workers.map((w) => w.waitUntilReady())).then(() => process.send?.({ type: 'ready' }));
