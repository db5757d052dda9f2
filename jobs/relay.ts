// The relay: outbox rows → BullMQ jobs. Woken right after a commit (onEventsCommitted) with the events that
// transaction wrote, it enqueues their jobs and marks the rows dispatched (no read back); the sweeper does the same for rows still undispatched after sweepMinAgeMs (Redis was
// down, the process died after commit, the wake-up was lost). A rolled-back transaction never wakes the relay and
// leaves no row to sweep, so nothing is enqueued for it.
//
// Enqueueing twice is harmless: every jobId is derived from the event (jobs/kinds.ts), so several relays and
// sweepers may run in several processes without coordination; the worst case is a redundant add.
//
// With REDIS_MIN_REPLICAS set, a row is marked only once that many Redis replicas hold its jobs (WAIT on the master
// that took them): a master that dies before replicating loses the jobs, and its promoted replica never had them,
// so the row must stay for the sweeper to add them again.
import type { Sequelize } from 'sequelize';
import { systemClock, type Clock } from '../src/clock';
import { rawQuery } from '../src/db/raw';
import { sqlInstant } from '../src/db/sql-instant';
import { onEventsCommitted } from '../src/events/outbox';
import type { CommittedEvent } from '../src/events/types';
import type { Logger } from '../src/logger';
import { replicasAcknowledging, REPEATED_ERROR_LOG_INTERVAL_MS, writeNode, type RedisClient, type WriteNode } from '../src/redis';
import { throttledLog } from '../src/throttled-log';
import { planJobs } from './kinds';
import type { QueueKey, Queues } from './queues';
import type { JobSettings } from './settings';

export interface RelayOptions {
  sequelize: Sequelize;
  queues: Queues;
  settings: JobSettings;
  logger: Logger;
  /** The connection the queues add through; needed when settings.minReplicas > 0 (it is the one WAIT must use). */
  redis?: RedisClient;
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
  private readonly pending = new Map<string, CommittedEvent>();
  private flushing: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private readonly clock: Clock;
  private readonly batchSize: number;
  private readonly enqueueTimeoutMs: number;
  private readonly warnNotReplicated: ReturnType<typeof throttledLog>;

  constructor(private readonly options: RelayOptions) {
    this.clock = options.clock ?? systemClock;
    this.batchSize = options.batchSize ?? 200;
    this.enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5000;
    if (options.settings.minReplicas > 0 && !options.redis) throw new Error('OutboxRelay: settings.minReplicas needs the queues\' redis connection');
    // Every relay pass meets a lost replica again: said once per interval, not once per pass.
    this.warnNotReplicated = throttledLog(options.logger, 'warn', 'Redis replicas did not confirm the new jobs; their events stay undispatched for the sweeper', REPEATED_ERROR_LOG_INTERVAL_MS);
  }

  /** Listens for commits in this process and sweeps every sweepIntervalMs. */
  start(): this {
    this.unsubscribe = onEventsCommitted((ids) => this.wake(ids));
    this.timer = setInterval(() => void this.sweep(), this.options.settings.sweepIntervalMs);
    this.timer.unref();
    return this;
  }

  /** Enqueue these (committed) events soon; several wake-ups in a row share one round trip. */
  wake(events: CommittedEvent[]): void {
    if (this.stopped) return;
    for (const event of events) this.pending.set(event.eventId, event);
    this.flushing ??= this.flushPending().finally(() => {
      this.flushing = null;
      if (this.pending.size && !this.stopped) this.wake([]);
    });
  }

  private async flushPending(): Promise<void> {
    await Promise.resolve(); // let the other commits of this tick join the batch
    while (this.pending.size && !this.stopped) {
      const events = [...this.pending.values()].slice(0, this.batchSize);
      for (const event of events) this.pending.delete(event.eventId);
      try {
        await this.dispatch(events);
      } catch (error) {
        // MariaDB trouble after the adds: the rows stay undispatched and the sweeper enqueues them again (same jobIds).
        this.options.logger.warn({ err: (error as Error).message }, 'outbox relay could not mark events dispatched; the sweeper will retry');
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
          const rows = (
            await rawQuery<(Omit<CommittedEvent, 'payload'> & { payload: string | Record<string, unknown> })[]>(
              this.options.sequelize,
              `SELECT event_id AS eventId, type, aggregate_type AS aggregateType, payload, created_at AS createdAt FROM outbox_events
                WHERE dispatched_at IS NULL AND created_at <= ? ORDER BY id ASC LIMIT ?`,
              [sqlInstant(olderThan), this.batchSize],
            )
          ).map((row) => ({ ...row, payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload }));
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

  /** Enqueues the events' jobs (addBulk per queue), then marks them dispatched. Rows are marked only after their adds succeeded. */
  async dispatch(rows: CommittedEvent[]): Promise<DispatchResult> {
    if (!rows.length) return { dispatched: 0, failed: 0 };
    const ids = rows.map((r) => r.eventId);
    const nowMs = this.clock.now().toMillis();
    const byQueue = new Map<QueueKey, { name: string; data: unknown; opts: object }[]>();
    for (const row of rows) {
      for (const job of planJobs(row, this.options.settings, nowMs)) {
        const list = byQueue.get(job.queue) ?? [];
        list.push({ name: job.name, data: job.data, opts: job.opts });
        byQueue.set(job.queue, list);
      }
    }
    const notDispatched = async () => {
      await rawQuery(this.options.sequelize, 'UPDATE outbox_events SET dispatch_attempts = dispatch_attempts + 1 WHERE event_id IN (?)', [ids]).catch(
        () => undefined,
      );
      return { dispatched: 0, failed: ids.length };
    };
    const queues = [...byQueue.keys()].map((queue) => this.options.queues[queue]);
    let writes: Map<WriteNode, string> | null = null;
    try {
      const enqueued = async () => {
        // Which connections the adds go through, known before they are sent (see replicasAcknowledging).
        const nodes = this.options.settings.minReplicas > 0 ? await this.writeNodes(queues.map((q) => q.qualifiedName)) : null;
        await Promise.all([...byQueue].map(([queue, jobs]) => this.options.queues[queue].addBulk(jobs)));
        return nodes;
      };
      writes = await withTimeout(enqueued(), this.enqueueTimeoutMs, 'enqueueing outbox events');
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message, events: ids.length }, 'outbox relay could not enqueue; the sweeper will retry');
      return notDispatched();
    }
    if (writes) {
      const { minReplicas, replicaWaitMs } = this.options.settings;
      const redis = this.options.redis!;
      let acknowledged = 0;
      let cause: string | undefined;
      try {
        const counts = await withTimeout(
          Promise.all([...writes].map(([node, key]) => replicasAcknowledging(redis, node, key, minReplicas, replicaWaitMs))),
          replicaWaitMs + this.enqueueTimeoutMs,
          'waiting for Redis replicas',
        );
        acknowledged = Math.min(...counts);
      } catch (error) {
        cause = (error as Error).message;
      }
      if (acknowledged < minReplicas) {
        this.warnNotReplicated({ acknowledged, minReplicas, waitedMs: replicaWaitMs, events: ids.length, ...(cause ? { err: cause } : {}) });
        return notDispatched();
      }
    }
    await rawQuery(
      this.options.sequelize,
      'UPDATE outbox_events SET dispatched_at = COALESCE(dispatched_at, ?), dispatch_attempts = dispatch_attempts + 1 WHERE event_id IN (?)',
      [sqlInstant(new Date(nowMs)), ids],
    );
    return { dispatched: ids.length, failed: 0 };
  }

  /** The connection of each master the keys' writes go to (one on a single server; one per slot owner on a cluster). */
  private async writeNodes(keys: string[]): Promise<Map<WriteNode, string>> {
    const nodes = new Map<WriteNode, string>();
    for (const key of keys) {
      const node = await writeNode(this.options.redis!, key);
      if (!node) throw new Error(`no Redis master serves ${key} right now`);
      if (!nodes.has(node)) nodes.set(node, key);
    }
    return nodes;
  }

  /** Stops listening and sweeping; waits for a round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await Promise.all([this.flushing, this.sweeping].map((p) => p?.catch(() => undefined)));
  }
}
