// Operator endpoints: Bull Board at /admin/queues (platform admins only) and Prometheus metrics at /metrics.
// Queue handles are created on first use, so an API that nobody asks about its queues never opens them.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Sequelize } from 'sequelize';
import { metricsRegistry, watchOutbox, watchQueues } from '../../jobs/metrics';
import { createQueues, type Queues } from '../../jobs/queues';
import { InvalidTokenError, verifyToken } from '../access/tokens';
import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import { isSameOriginRequest } from '../auth/origin';
import { InvalidSession, sessionViewer } from '../auth/sessions';
import type { Config } from '../config';
import { User } from '../db/models';
import type { Logger } from '../logger';
import type { RedisClient } from '../redis';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const ADMIN_COOKIE = 'labshare_admin';

export interface AdminRouteDeps {
  cfg: Config;
  redis: RedisClient;
  sequelize: Sequelize;
  logger: Logger;
  /** Queues to show; default: opened on the app's Redis connection when first needed. */
  queues?: Queues;
}

const deny = (res: Response, status: 401 | 403, code: string, message: string) => {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
};

/** 'admin' | 'not-admin' for a signed-in browser's session, null without a usable one (none, ended, or cross-site). */
async function sessionAdmin(req: Request, cfg: Config): Promise<'admin' | 'not-admin' | null> {
  const session = readCookie(req, SESSION_COOKIE);
  if (!session || !isSameOriginRequest(req, cfg)) return null;
  try {
    return (await sessionViewer(session, cfg)).isAdmin ? 'admin' : 'not-admin';
  } catch (error) {
    if (error instanceof InvalidSession) return null;
    throw error;
  }
}

/**
 * Admins only. A signed-in admin's browser session (the sign-in cookie, from our own origin: retry/clean are writes)
 * is enough. Otherwise the Bearer token may come in the Authorization header or, for the dashboard's own page loads
 * and API calls (which a browser makes without that header), in an HttpOnly, SameSite=Strict cookie set on the first
 * request that carried the header. SameSite=Strict keeps other sites from riding on it.
 */
export function requirePlatformAdmin(cfg: Config): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) {
      const session = await sessionAdmin(req, cfg);
      if (session === 'admin') return next();
      if (session === 'not-admin') return deny(res, 403, 'FORBIDDEN', 'The queue dashboard is for platform admins only.');
    }
    const token = bearer ?? readCookie(req, ADMIN_COOKIE);
    if (!token) return deny(res, 401, 'UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token> of a platform admin.');
    let userId: number;
    try {
      userId = await verifyToken(token, cfg);
    } catch (error) {
      return deny(res, 401, 'UNAUTHENTICATED', error instanceof InvalidTokenError ? error.message : 'The token is not valid.');
    }
    const user = await User.findByPk(userId, { attributes: ['isAdmin', 'disabledAt'], raw: true });
    if (!user?.isAdmin || user.disabledAt) return deny(res, 403, 'FORBIDDEN', 'The queue dashboard is for platform admins only.');
    if (bearer) {
      res.cookie(ADMIN_COOKIE, bearer, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: QUEUE_DASHBOARD_PATH, maxAge: cfg.JWT_TTL_SECONDS * 1000 });
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
    // With METRICS_TOKEN set, the scraper sends it; a signed-in admin's browser may read the page too.
    if (cfg.METRICS_TOKEN && req.headers.authorization !== `Bearer ${cfg.METRICS_TOKEN}` && (await sessionAdmin(req, cfg)) !== 'admin') {
      return deny(res, 401, 'UNAUTHENTICATED', 'Send Authorization: Bearer <METRICS_TOKEN>, or sign in as a platform admin.');
    }
    openQueues();
    res.set('content-type', metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}
