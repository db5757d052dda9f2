// Child process: the write side of the job pipeline as an API process runs it, without HTTP: requestBooking
// (the domain service, its transaction and outbox row) and the outbox relay woken after each commit.
// Asked over IPC to book a list of slots, at a fixed rate or as fast as it can.
import { DateTime } from 'luxon';
import { startPipeline } from '../../jobs/pipeline';
import { jobSettings } from '../../jobs/settings';
import { requestBooking } from '../../src/booking/request-booking';
import { config } from '../../src/config';
import { createSequelize } from '../../src/db/database';
import { logger } from '../../src/logger';
import { createMailer } from '../../src/notifications/mailer';
import type { BareBookingRequest } from '../baselines/bare-booking';

interface ProduceMessage {
  type: 'produce';
  requests: BareBookingRequest[];
  /** Bookings per second (open loop); 0: as fast as `concurrency` callers can go. */
  rate: number;
  concurrency: number;
}

async function main(): Promise<void> {
  const cfg = config();
  const sequelize = createSequelize(cfg);
  const pipeline = await startPipeline({
    redisUrl: cfg.REDIS_URL, prefix: cfg.QUEUE_PREFIX, sequelize, settings: jobSettings(cfg), logger, mailer: createMailer(cfg),
    relay: true, workers: false, housekeeping: false,
  });

  const book = async (r: BareBookingRequest, outcomes: Record<string, number>) => {
    const viewer = { kind: 'USER' as const, userId: r.userId, institutionId: 0, isAdmin: false, timeZone: 'UTC', locale: 'en' };
    try {
      const result = await requestBooking(viewer, {
        instrumentId: r.instrumentId, start: DateTime.fromISO(r.start, { zone: 'utc' }), end: DateTime.fromISO(r.end, { zone: 'utc' }),
        purpose: r.purpose, idempotencyKey: r.idempotencyKey,
      });
      const outcome = result.booking?.status ?? result.errors[0]?.code ?? 'NONE';
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    } catch (error) {
      const outcome = `ERROR ${(error as Error).message.slice(0, 60)}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  };

  async function produce(message: ProduceMessage) {
    const outcomes: Record<string, number> = {};
    const started = Date.now();
    if (message.rate > 0) {
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < message.requests.length; i += 1) {
        const due = started + (i * 1000) / message.rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        inFlight.push(book(message.requests[i], outcomes));
      }
      await Promise.all(inFlight);
    } else {
      let next = 0;
      await Promise.all(
        Array.from({ length: message.concurrency }, async () => {
          while (next < message.requests.length) await book(message.requests[next++], outcomes);
        }),
      );
    }
    return { type: 'produced', seconds: (Date.now() - started) / 1000, outcomes };
  }

  process.on('message', (message: ProduceMessage | { type: 'exit' } | string) => {
    if (typeof message !== 'object') return; // the probe's messages
    if (message.type === 'exit') {
      void pipeline.stop().then(() => sequelize.close()).then(() => process.exit(0));
      return;
    }
    produce(message).then(
      (reply) => process.send?.(reply),
      (error: Error) => process.send?.({ type: 'produced', error: error.stack ?? String(error) }),
    );
  });
  process.send?.({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench producer: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
