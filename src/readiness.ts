// GET /readyz: is this process able to serve? Each dependency is probed in parallel and every probe is bounded,
// so a frozen MariaDB or Redis makes the answer 503 within a second instead of holding the prober's connection.
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';

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

export function readinessHandler(deps: { sequelize: Sequelize; redis: Redis }, timeoutMs = READINESS_PROBE_TIMEOUT_MS): RequestHandler {
  return async (_req, res) => {
    const [database, cache] = await Promise.all([
      probe(() => deps.sequelize.query('SELECT 1', { raw: true }), timeoutMs),
      // Not connected: say so at once rather than send a command that can only fail.
      probe(() => (deps.redis.status === 'ready' ? deps.redis.ping() : Promise.reject(new Error(`connection ${deps.redis.status}`))), timeoutMs),
    ]);
    const ready = database === 'ok' && cache === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', mariadb: database, redis: cache });
  };
}
