// GET /readyz: may a load balancer send this process requests? Each dependency is probed in parallel and every probe
// is bounded, so a frozen MariaDB, replica or Redis does not hold the prober's connection for more than a second.
// Only the primary database decides: without it nothing can be served, so 503 takes the instance out. A Redis outage
// (or failover) or an unreachable replica answers 200 with status "degraded": every instance shares the same Redis
// and replicas, so a 503 would take them all out at once, while bookings keep working without them (rate limits per
// process, the outbox sweeper enqueues what waited). Monitoring alerts on "degraded"; the balancer needs the code only.
import type { RequestHandler } from 'express';
import mysql from 'mysql2/promise';
import type { Sequelize } from 'sequelize';
import { parseDatabaseUrl } from './db/database';
import type { RedisClient } from './redis';

/** Longest a probe may take: the whole answer stays under a second with room for the event loop. */
export const READINESS_PROBE_TIMEOUT_MS = 700;

function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`unreachable: no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const answered = check().then(() => 'ok', (error: Error) => `unreachable: ${error.message}`);
  return Promise.race([answered, timedOut]).finally(() => clearTimeout(timer));
}

/** A replica is probed on a connection of its own (Sequelize's read pool cannot be asked for one given replica). */
async function pingReplica(url: string, timeoutMs: number): Promise<void> {
  const { host, port, username, password } = parseDatabaseUrl(url);
  const connection = await mysql.createConnection({ host, port, user: username, password, connectTimeout: timeoutMs });
  try {
    await connection.query({ sql: 'SELECT 1', timeout: timeoutMs });
  } finally {
    connection.destroy();
  }
}

export interface ReadinessDeps {
  sequelize: Sequelize;
  redis: RedisClient;
  /** DATABASE_REPLICA_URLS, each reported under its host:port. */
  replicaUrls?: readonly string[];
}

export function readinessHandler(deps: ReadinessDeps, timeoutMs = READINESS_PROBE_TIMEOUT_MS): RequestHandler {
  const replicaUrls = deps.replicaUrls ?? [];
  return async (_req, res) => {
    const [database, cache, ...replicaAnswers] = await Promise.all([
      // A raw statement goes to the primary, never to a replica.
      probe(() => deps.sequelize.query('SELECT 1', { raw: true }), timeoutMs),
      // Not connected: say so at once rather than send a command that can only fail.
      probe(() => (deps.redis.status === 'ready' ? deps.redis.ping() : Promise.reject(new Error(`connection ${deps.redis.status}`))), timeoutMs),
      ...replicaUrls.map((url) => probe(() => pingReplica(url, timeoutMs), timeoutMs)),
    ]);
    const degraded = cache !== 'ok' || replicaAnswers.some((answer) => answer !== 'ok');
    const status = database !== 'ok' ? 'unavailable' : degraded ? 'degraded' : 'ok';
    const replicas = Object.fromEntries(replicaUrls.map((url, i) => {
      const { host, port } = parseDatabaseUrl(url);
      return [`${host}:${port}`, replicaAnswers[i]];
    }));
    res.status(status === 'unavailable' ? 503 : 200).json({ status, mariadb: database, redis: cache, ...(replicaUrls.length ? { replicas } : {}) });
  };
}
