// The sign-in pages and redirects, served from the API (the web app will take the pages over):
//   GET  /auth/sign-in                      choose: e-mail (routed by domain), institution (searchable), demo people
//   POST /auth/email                        route an address to its institution's provider, or mail a sign-in link
//   GET  /auth/email-link?token=            confirm page (a GET never signs in: mail scanners fetch links)
//   POST /auth/email-link                   use the link: session cookie, redirect to /
//   POST /auth/demo                         one-click demo sign-in (never in production)
//   POST /auth/sign-out                     end this browser's session
//   GET  /auth/oidc/:institutionId/start    authorization-code flow with PKCE, state and nonce
//   GET  /auth/oidc/callback                the redirect URI to register at each identity provider
import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../logger';
import { recordSignIn, type AuditKind } from './audit';
import { cookieOptions, CSRF_COOKIE, LAST_INSTITUTION_COOKIE, readCookie, SESSION_COOKIE } from './cookies';
import { demoPeople, demoPerson, demoSignInAvailable } from './demo';
import { randomSecret } from './hashing';
import { catalogForRequest, type SignInCatalog, type SignInErrorCode } from './messages';
import { isSameOriginRequest } from './origin';
import { errorPage, messagePage, PAGE_CSP, signInPage, type InstitutionChoice } from './pages';
import { createSession, endSessionByToken, type SessionMethod } from './sessions';
import { rawQuery } from '../db/raw';
import { User } from '../db/models';

export interface SignInRouteDeps {
  cfg: Config;
  redis: Redis;
  logger: Logger;
  clock?: Clock;
}

/** Where a browser lands after signing in: the web app's home. */
export const AFTER_SIGN_IN = '/';

export const clientAddress = (req: Request) => req.ip ?? req.socket.remoteAddress ?? null;
export const catalogOf = (req: Request) => catalogForRequest(req.query.lang, req.headers['accept-language']);

export function sendPage(res: Response, status: number, html: string): void {
  res.status(status).set({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' }).send(html);
}

export function sendError(res: Response, t: SignInCatalog, status: number, code: SignInErrorCode): void {
  res.set('x-sign-in-error', code);
  sendPage(res, status, errorPage(t, code));
}

/** The double-submit token of this browser's sign-in forms, set on first sight. */
export function csrfToken(req: Request, res: Response, cfg: Config): string {
  const existing = readCookie(req, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomSecret();
  res.cookie(CSRF_COOKIE, token, { ...cookieOptions(req, cfg), sameSite: 'strict' });
  return token;
}

/** A form post is ours when it comes from our origin and repeats the cookie's token. */
export function formIsOurs(req: Request, cfg: Config): boolean {
  if (!isSameOriginRequest(req, cfg)) return false;
  const cookie = readCookie(req, CSRF_COOKIE);
  const posted = typeof req.body?.csrf === 'string' ? req.body.csrf : '';
  if (!cookie || cookie.length !== posted.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(posted));
}

/** Starts a session for the browser: the cookie, the audit record, and the way home. */
export async function startBrowserSession(
  req: Request,
  res: Response,
  deps: { cfg: Config; clock: Clock },
  user: { userId: number; institutionId?: number | null; email?: string | null; issuer?: string | null },
  method: SessionMethod,
): Promise<void> {
  const { token, expiresAt } = await createSession(
    { userId: user.userId, method, clientAddress: clientAddress(req), userAgent: req.headers['user-agent'] ?? null },
    deps.cfg,
    deps.clock,
  );
  await recordSignIn({ kind: method, outcome: 'SUCCESS', userId: user.userId, institutionId: user.institutionId, email: user.email, issuer: user.issuer, clientAddress: clientAddress(req) });
  res.cookie(SESSION_COOKIE, token, cookieOptions(req, deps.cfg, expiresAt.getTime() - deps.clock.now().toMillis()));
  res.redirect(303, AFTER_SIGN_IN);
}

export async function auditFailure(req: Request, kind: AuditKind, outcome: string, facts: { userId?: number | null; institutionId?: number | null; email?: string | null; issuer?: string | null; detail?: string | null } = {}): Promise<void> {
  await recordSignIn({ kind, outcome, clientAddress: clientAddress(req), ...facts });
}

async function institutionChoices(query: string): Promise<InstitutionChoice[]> {
  const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return rawQuery<InstitutionChoice[]>(
    User.sequelize!,
    `SELECT i.id, i.name, i.country_code AS countryCode FROM institutions i JOIN identity_providers p ON p.institution_id = i.id AND p.enabled
      WHERE ? = '' OR i.name LIKE ? OR i.country_code = ? ORDER BY i.name LIMIT 100`,
    [query, like, query.toUpperCase()],
    { type: 'read' },
  );
}

export function signInRouter(deps: SignInRouteDeps): Router {
  const { cfg } = deps;
  const clock = deps.clock ?? systemClock;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '8kb' });

  router.get('/sign-in', async (req, res) => {
    const t = catalogOf(req);
    const query = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const institutions = await institutionChoices(query);
    const lastId = Number(readCookie(req, LAST_INSTITUTION_COOKIE));
    const last = Number.isInteger(lastId) && lastId > 0 ? ((await institutionChoices('')).find((i) => i.id === lastId) ?? null) : null;
    sendPage(res, 200, signInPage(t, { csrf: csrfToken(req, res, cfg), query, institutions, last, demo: await demoPeople(cfg), emailLinks: true }));
  });

  router.post('/demo', form, async (req, res) => {
    const t = catalogOf(req);
    if (!demoSignInAvailable(cfg)) {
      await auditFailure(req, 'DEMO', 'DEMO_UNAVAILABLE');
      return sendError(res, t, 403, 'DEMO_UNAVAILABLE');
    }
    if (!formIsOurs(req, cfg)) {
      await auditFailure(req, 'DEMO', 'CSRF');
      return sendError(res, t, 403, 'CSRF');
    }
    const person = await demoPerson(cfg, Number(req.body?.userId));
    if (!person) {
      await auditFailure(req, 'DEMO', 'DEMO_UNAVAILABLE', { detail: `not a demo person: ${String(req.body?.userId).slice(0, 20)}` });
      return sendError(res, t, 404, 'DEMO_UNAVAILABLE');
    }
    await startBrowserSession(req, res, { cfg, clock }, { userId: person.userId, email: person.email }, 'DEMO');
  });

  router.post('/sign-out', form, async (req, res) => {
    const t = catalogOf(req);
    if (!isSameOriginRequest(req, cfg)) return sendError(res, t, 403, 'CSRF');
    const token = readCookie(req, SESSION_COOKIE);
    const userId = token ? await endSessionByToken(token, clock) : null;
    if (userId) await recordSignIn({ kind: 'SIGN_OUT', outcome: 'SUCCESS', userId, clientAddress: clientAddress(req) });
    res.clearCookie(SESSION_COOKIE, cookieOptions(req, cfg));
    sendPage(res, 200, messagePage(t, t.signedOut, t.signedOut));
  });

  return router;
}

export function mountSignInRoutes(app: Express, deps: SignInRouteDeps): void {
  app.use('/auth', signInRouter(deps));
}
