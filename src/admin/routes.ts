// Operator endpoints: Bull Board at /admin/queues (platform admins only) and Prometheus metrics at /metrics.
// Queue handles are created on first use, so an API that nobody asks about its queues never opens them.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { metricsRegistry, watchOutbox, watchQueues } from '../../jobs/metrics';
import { createQueues, type Queues } from '../../jobs/queues';
import { InvalidTokenError, verifyToken } from '../access/tokens';
import type { Config } from '../config';
import { User } from '../db/models';
import type { Logger } from '../logger';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const SESSION_COOKIE = 'labshare_admin';

export interface AdminRouteDeps {
  cfg: Config;
  redis: Redis;
  sequelize: Sequelize;
  logger: Logger;
  /** Queues to show; default: opened on the app's Redis connection when first needed. */
  queues?: Queues;
}

const deny = (res: Response, status: 401 | 403, code: string, message: string) => {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Admins only. The Bearer token may come in the Authorization header or, for the dashboard's own page loads and API
 * calls (which a browser makes without that header), in an HttpOnly, SameSite=Strict cookie set on the first
 * request that carried the header. SameSite=Strict keeps other sites from riding on it (retry/clean are writes).
 */
export function requirePlatformAdmin(cfg: Config): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? cookie(req, SESSION_COOKIE);
    if (!token) return deny(res, 401, 'UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token> of a platform admin.');
    let userId: number;
    try {
      userId = await verifyToken(token, cfg);
    } catch (error) {
      return deny(res, 401, 'UNAUTHENTICATED', error instanceof InvalidTokenError ? error.message : 'The token is not valid.');
    }
    const user = await User.findByPk(userId, { attributes: ['isAdmin'], raw: true });
    if (!user?.isAdmin) return deny(res, 403, 'FORBIDDEN', 'The queue dashboard is for platform admins only.');
    if (bearer) {
      res.cookie(SESSION_COOKIE, bearer, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: QUEUE_DASHBOARD_PATH, maxAge: cfg.JWT_TTL_SECONDS * 1000 });
    }
    next();
  };
}

export function mountAdminRoutes(app: Express, deps: AdminRouteDeps): void {
  const { cfg } = deps;
  let queues: Queues | undefined;
  const openQueues = (): Queues => {
    if (!queues) {
      queues = deps.queues ?? createQueues(deps.redis, cfg.QUEUE_PREFIX, deps.logger);
      watchQueues(queues);
    }
    return queues;
  };

  let board: RequestHandler | undefined;
  const dashboard: RequestHandler = (req, res, next) => {
    if (!board) {
      const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
      // @bull-board/express pins its own copy of @bull-board/api (a patch version apart): same runtime shape.
      type BoardAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];
      createBullBoard({ queues: Object.values(openQueues()).map((q) => new BullMQAdapter(q)), serverAdapter: serverAdapter as unknown as BoardAdapter });
      board = serverAdapter.getRouter() as RequestHandler;
    }
    board(req, res, next);
  };
  app.use(QUEUE_DASHBOARD_PATH, requirePlatformAdmin(cfg), dashboard);

  watchOutbox(deps.sequelize);
  app.get('/metrics', async (req, res) => {
    if (cfg.METRICS_TOKEN && req.headers.authorization !== `Bearer ${cfg.METRICS_TOKEN}`) {
      return deny(res, 401, 'UNAUTHENTICATED', 'Send Authorization: Bearer <METRICS_TOKEN>.');
    }
    openQueues();
    res.set('content-type', metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}
