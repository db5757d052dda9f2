// GET /readyz: may a load balancer send this process requests? Each dependency is probed in parallel and every probe
// is bounded, so a frozen MariaDB or Redis does not hold the prober's connection for more than a second.
// Only the primary database decides: without it nothing can be served, so 503 takes the instance out. A Redis outage
// (or failover) answers 200 with status "degraded": every instance shares the same Redis, so a 503 would take them all
// out at once, while bookings and reads keep working without it (rate limits per process, the outbox sweeper
// enqueues what waited). Monitoring alerts on "degraded"; the load balancer only needs the status code.
import type { RequestHandler } from 'express';
import type { Sequelize } from 'sequelize';
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

export function readinessHandler(deps: { sequelize: Sequelize; redis: RedisClient }, timeoutMs = READINESS_PROBE_TIMEOUT_MS): RequestHandler {
  return async (_req, res) => {
    const [database, cache] = await Promise.all([
      probe(() => deps.sequelize.query('SELECT 1', { raw: true }), timeoutMs),
      // Not connected: say so at once rather than send a command that can only fail.
      probe(() => (deps.redis.status === 'ready' ? deps.redis.ping() : Promise.reject(new Error(`connection ${deps.redis.status}`))), timeoutMs),
    ]);
    const status = database !== 'ok' ? 'unavailable' : cache !== 'ok' ? 'degraded' : 'ok';
    res.status(status === 'unavailable' ? 503 : 200).json({ status, mariadb: database, redis: cache });
  };
}
