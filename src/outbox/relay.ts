// The relay: outbox rows → BullMQ jobs. Woken right after a commit (onEventsCommitted) it reads the committed rows
// and enqueues their jobs; the sweeper does the same for rows still undispatched after sweepMinAgeMs (Redis was
// down, the process died after commit, the wake-up was lost). A rolled-back transaction never wakes the relay and
// leaves no row to sweep, so nothing is enqueued for it.
//
// Enqueueing twice is harmless: every jobId is derived from the event (jobs/plan.ts), so several relays and
// sweepers may run in several processes without coordination; the worst case is a redundant add.
import { Op, type Sequelize } from 'sequelize';
import { planJobs, type OutboxEventRecord } from '../../jobs/plan';
import type { QueueKey, Queues } from '../../jobs/queues';
import type { JobSettings } from '../../jobs/settings';
import { systemClock, type Clock } from '../clock';
import { OutboxEvent } from '../db/models';
import { sqlInstant } from '../db/sql-instant';
import type { Logger } from '../logger';
import { onEventsCommitted } from './record';

export interface RelayOptions {
  sequelize: Sequelize;
  queues: Queues;
  settings: JobSettings;
  logger: Logger;
  clock?: Clock;
  /** Rows per read and per enqueue round. */
  batchSize?: number;
  /** An enqueue round that takes longer is abandoned to the sweeper (its adds may still land: harmless). */
  enqueueTimeoutMs?: number;
}

export interface DispatchResult {
  dispatched: number;
  failed: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class OutboxRelay {
  private readonly pending = new Set<string>();
  private flushing: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private readonly clock: Clock;
  private readonly batchSize: number;
  private readonly enqueueTimeoutMs: number;

  constructor(private readonly options: RelayOptions) {
    this.clock = options.clock ?? systemClock;
    this.batchSize = options.batchSize ?? 200;
    this.enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5000;
  }

  /** Listens for commits in this process and sweeps every sweepIntervalMs. */
  start(): this {
    this.unsubscribe = onEventsCommitted((ids) => this.wake(ids));
    this.timer = setInterval(() => void this.sweep(), this.options.settings.sweepIntervalMs);
    this.timer.unref();
    return this;
  }

  /** Enqueue these (committed) events soon; several wake-ups in a row share one round trip. */
  wake(eventIds: string[]): void {
    if (this.stopped) return;
    for (const id of eventIds) this.pending.add(id);
    this.flushing ??= this.flushPending().finally(() => {
      this.flushing = null;
      if (this.pending.size && !this.stopped) this.wake([]);
    });
  }

  private async flushPending(): Promise<void> {
    await Promise.resolve(); // let the other commits of this tick join the batch
    while (this.pending.size && !this.stopped) {
      const ids = [...this.pending].slice(0, this.batchSize);
      for (const id of ids) this.pending.delete(id);
      try {
        const rows = await OutboxEvent.findAll({ where: { eventId: { [Op.in]: ids }, dispatchedAt: null }, order: [['id', 'ASC']], raw: true });
        await this.dispatch(rows);
      } catch (error) {
        // MariaDB trouble: the rows stay undispatched and the sweeper retries them.
        this.options.logger.warn({ err: (error as Error).message }, 'outbox relay could not read events; the sweeper will retry');
      }
    }
  }

  /** One sweep: undispatched events older than sweepMinAgeMs, oldest first, until none are left or a round fails. */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.sweeping ??= (async () => {
      try {
        for (;;) {
          const olderThan = new Date(this.clock.now().toMillis() - this.options.settings.sweepMinAgeMs);
          const rows = await OutboxEvent.findAll({
            where: { dispatchedAt: null, createdAt: { [Op.lte]: olderThan } },
            order: [['id', 'ASC']],
            limit: this.batchSize,
            raw: true,
          });
          if (!rows.length) return;
          const { failed } = await this.dispatch(rows);
          if (failed || rows.length < this.batchSize || this.stopped) return;
        }
      } catch (error) {
        this.options.logger.warn({ err: (error as Error).message }, 'outbox sweep failed; retrying next interval');
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  /** Enqueues the rows' jobs (addBulk per queue), then marks them dispatched. Rows are marked only after their adds succeeded. */
  async dispatch(rows: (OutboxEventRecord & { id: number })[]): Promise<DispatchResult> {
    if (!rows.length) return { dispatched: 0, failed: 0 };
    const ids = rows.map((r) => r.id);
    const nowMs = this.clock.now().toMillis();
    const byQueue = new Map<QueueKey, { name: string; data: unknown; opts: object }[]>();
    for (const row of rows) {
      for (const job of planJobs(row, this.options.settings, nowMs)) {
        const list = byQueue.get(job.queue) ?? [];
        list.push({ name: job.name, data: job.data, opts: job.opts });
        byQueue.set(job.queue, list);
      }
    }
    try {
      await withTimeout(
        Promise.all([...byQueue].map(([queue, jobs]) => this.options.queues[queue].addBulk(jobs))),
        this.enqueueTimeoutMs,
        'enqueueing outbox events',
      );
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message, events: ids.length }, 'outbox relay could not enqueue; the sweeper will retry');
      await this.options.sequelize
        .query('UPDATE outbox_events SET dispatch_attempts = dispatch_attempts + 1 WHERE id IN (?)', { replacements: [ids] })
        .catch(() => undefined);
      return { dispatched: 0, failed: ids.length };
    }
    await this.options.sequelize.query(
      'UPDATE outbox_events SET dispatched_at = COALESCE(dispatched_at, ?), dispatch_attempts = dispatch_attempts + 1 WHERE id IN (?)',
      { replacements: [sqlInstant(new Date(nowMs)), ids] },
    );
    return { dispatched: ids.length, failed: 0 };
  }

  /** Stops listening and sweeping; waits for a round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await Promise.all([this.flushing, this.sweeping].map((p) => p?.catch(() => undefined)));
  }
}

export function startRelay(options: RelayOptions): OutboxRelay {
  return new OutboxRelay(options).start();
}
