// Read your own writes while a replica lags. After a person's mutation, a Redis key with a TTL marks them as a recent
// writer for READ_YOUR_WRITES_SECONDS; while it lives, their replica-routed reads (their own free/busy view) go to the
// primary. The marker lives in Redis, not in the process, so whichever API process answers the next request honours
// it. Bound: a replica lagging more than READ_YOUR_WRITES_SECONDS behind can still hide a person's own write from
// them. When Redis cannot answer, reads fail open to the primary (never stale for the writer; only less offload).
import type { Viewer } from '../access/viewer';
import type { Logger } from '../logger';
import type { RedisClient } from '../redis';
import { throttledLog } from '../throttled-log';

export interface RecentWriters {
  /** After a mutation: this viewer's replica-routed reads go to the primary for the next `seconds`. */
  mark(viewer: Viewer): Promise<void>;
  /** Whether this viewer's replica-routed reads must go to the primary (true when Redis cannot say). */
  readsPrimary(viewer: Viewer): Promise<boolean>;
}

export interface RecentWritersOptions {
  seconds: number;
  /** QUEUE_PREFIX: its hash tag keeps the keys on one cluster slot like every other LabShare key. */
  keyPrefix: string;
  /** False without replicas: every read goes to the primary anyway, so nothing is marked or asked. */
  enabled: boolean;
  logger?: Logger;
}

/** Only people have "their own" reads; partners and anonymous callers read replicas like everyone else. */
function writerKey(prefix: string, viewer: Viewer): string | null {
  return viewer.kind === 'USER' ? `${prefix}:recent-writer:${viewer.userId}` : null;
}

export function createRecentWriters(redis: RedisClient, options: RecentWritersOptions): RecentWriters {
  const warn = options.logger
    ? throttledLog(options.logger, 'warn', 'read-your-writes marker unavailable in Redis: reading the primary', 60_000)
    : () => undefined;
  return {
    async mark(viewer) {
      const key = options.enabled ? writerKey(options.keyPrefix, viewer) : null;
      if (!key) return;
      try {
        await redis.set(key, '1', 'EX', options.seconds);
      } catch (error) {
        // Not marked: a later read by this person may be served by a lagging replica (readsPrimary fails open only
        // while Redis is down). The write itself succeeded; the response must not fail for this.
        warn({ err: error });
      }
    },
    async readsPrimary(viewer) {
      if (!options.enabled) return true;
      const key = writerKey(options.keyPrefix, viewer);
      if (!key) return false;
      try {
        return (await redis.exists(key)) === 1;
      } catch (error) {
        warn({ err: error });
        return true;
      }
    },
  };
}
