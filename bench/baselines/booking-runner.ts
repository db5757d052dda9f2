// Child process: runs bare booking transactions at a fixed concurrency (closed loop) when asked over IPC,
// and answers with per-request latencies and outcomes.
import { DateTime } from 'luxon';
import { createPool } from '../lib/db';
import { bareRequestBooking, type BareBookingRequest } from './bare-booking';

interface RunMessage {
  type: 'run';
  requests: BareBookingRequest[];
  concurrency: number;
}

const pool = createPool(process.env.DATABASE_URL as string, Number(process.env.BARE_POOL_SIZE ?? 32));

async function run(message: RunMessage) {
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const slotsAnswered: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const loop = async () => {
    for (;;) {
      const index = next++;
      if (index >= message.requests.length) return;
      const t0 = process.hrtime.bigint();
      let outcome: string;
      try {
        outcome = await bareRequestBooking(pool, message.requests[index], DateTime.utc());
      } catch (error) {
        outcome = `ERROR ${(error as Error).message.slice(0, 80)}`;
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      slotsAnswered.push(index);
    }
  };
  await Promise.all(Array.from({ length: message.concurrency }, loop));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { type: 'result', latencies, outcomes, seconds, answered: slotsAnswered };
}

process.on('message', (message: RunMessage | { type: 'exit' } | string) => {
  if (typeof message !== 'object') return; // the query counter's requests
  if (message.type === 'exit') {
    void pool.end().then(() => process.exit(0));
    return;
  }
  run(message).then(
    (result) => process.send?.(result),
    (error: Error) => process.send?.({ type: 'result', error: error.stack ?? String(error) }),
  );
});
process.send?.({ type: 'ready' });
