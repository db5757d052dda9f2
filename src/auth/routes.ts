// The sign-in pages and redirects, served from the API (the web app will take the pages over):
//   GET  /auth/sign-in[?return=/path]       choose: e-mail (routed by domain), institution (searchable), demo people;
//                                           after signing in the browser goes back to /path (src/auth/return-path.ts)
//   POST /auth/email                        route an address to its institution's provider, or mail a sign-in link
//   GET  /auth/email-link?token=            confirm page (a GET never signs in: mail scanners fetch links)
//   POST /auth/email-link                   use the link: session cookie, redirect to /
//   POST /auth/demo                         one-click demo sign-in (never in production)
//   POST /auth/sign-out                     end this browser's session
//   GET  /auth/oidc/:institutionId/start    authorization-code flow with PKCE, state and nonce
//   GET  /auth/oidc/callback                the redirect URI to register at each identity provider
import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response, type Router } from 'express';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../logger';
import { recordSignIn, type AuditKind } from './audit';
import { cookieOptions, CSRF_COOKIE, LAST_INSTITUTION_COOKIE, OIDC_FLOW_COOKIE, readCookie, SESSION_COOKIE } from './cookies';
import { demoPeople, demoPerson, demoSignInAvailable } from './demo';
import { LINK_MINUTES, looksLikeEmail, normaliseEmail, sendSignInLink, useSignInLink } from './email-links';
import { randomSecret, sha256 } from './hashing';
import { providerForEmail } from './identity-providers';
import { createMailer, type Mailer } from '../notifications/mailer';
import { signInWords, type SignInErrorCode, type SignInWords } from './messages';
import { finishOidcSignIn, OidcSignInError, startOidcSignIn, type VerifiedClaims } from './oidc';
import { accountForIdentity } from './oidc-accounts';
import { isSameOriginRequest, ownOrigin } from './origin';
import { errorPage, linkConfirmPage, messagePage, PAGE_CSP, signInPage, type InstitutionChoice } from './pages';
import { rememberReturnPath, takeReturnPath } from './return-path';
import { createSession, endSessionByToken, type SessionMethod } from './sessions';
import { rawQuery } from '../db/raw';
import { User } from '../db/models';
import type { RedisClient } from '../redis';

export interface SignInRouteDeps {
  cfg: Config;
  redis: RedisClient;
  logger: Logger;
  clock?: Clock;
  /** Sends sign-in links; default: the configured mailer (SMTP, or .eml files in MAIL_DIR). */
  mailer?: Mailer;
}

/** Where a browser lands after signing in when no page asked to be returned to: the web app's home. */
export const AFTER_SIGN_IN = '/';

export const clientAddress = (req: Request) => req.ip ?? req.socket.remoteAddress ?? null;
/** The page's language: ?lang= (kept through the sign-in forms), else Accept-Language, else English. */
export const wordsOf = (req: Request): SignInWords =>
  signInWords({ explicit: typeof req.query.lang === 'string' ? req.query.lang.slice(0, 35) : null, acceptLanguage: req.headers['accept-language'] });

export function sendPage(res: Response, status: number, html: string): void {
  res.status(status).set({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' }).send(html);
}

export function sendError(res: Response, t: SignInWords, status: number, code: SignInErrorCode): void {
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
  res.redirect(303, takeReturnPath(req, res, deps.cfg, AFTER_SIGN_IN));
}

export async function auditFailure(
  req: Request,
  kind: AuditKind,
  outcome: string,
  facts: { userId?: number | null; institutionId?: number | null; email?: string | null; issuer?: string | null; detail?: string | null } = {},
): Promise<void> {
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
    const t = wordsOf(req);
    rememberReturnPath(req, res, cfg);
    const query = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const institutions = await institutionChoices(query);
    const lastId = Number(readCookie(req, LAST_INSTITUTION_COOKIE));
    const last = Number.isInteger(lastId) && lastId > 0 ? ((await institutionChoices('')).find((i) => i.id === lastId) ?? null) : null;
    sendPage(res, 200, signInPage(t, { csrf: csrfToken(req, res, cfg), query, institutions, last, demo: await demoPeople(cfg) }));
  });

  router.post('/demo', form, async (req, res) => {
    const t = wordsOf(req);
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

  // Per address and per client address, counted in Redis so every API process shares the count. The per-address
  // count runs whether or not the address exists, so a refusal says nothing about the address.
  const linkLimits = [
    { limiter: new RateLimiterRedis({ storeClient: deps.redis, keyPrefix: `${cfg.QUEUE_PREFIX}:sign-in-link:address`, points: cfg.SIGN_IN_LINKS_PER_ADDRESS_PER_HOUR, duration: 3600 }), key: (req: Request, email: string) => sha256(email) },
    { limiter: new RateLimiterRedis({ storeClient: deps.redis, keyPrefix: `${cfg.QUEUE_PREFIX}:sign-in-link:client`, points: cfg.SIGN_IN_LINKS_PER_CLIENT_PER_HOUR, duration: 3600 }), key: (req: Request) => clientAddress(req) ?? 'unknown' },
  ];
  let mailer = deps.mailer;

  router.post('/email', form, async (req, res) => {
    const t = wordsOf(req);
    if (!formIsOurs(req, cfg)) return sendError(res, t, 403, 'CSRF');
    const email = normaliseEmail(typeof req.body?.email === 'string' ? req.body.email : '');
    const provider = looksLikeEmail(email) ? await providerForEmail(email) : null;
    if (provider) {
      return res.redirect(303, `/auth/oidc/${provider.institutionId}/start?login_hint=${encodeURIComponent(email)}`);
    }
    try {
      for (const { limiter, key } of linkLimits) await limiter.consume(key(req, email));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      await auditFailure(req, 'EMAIL_LINK', 'RATE_LIMITED', { email });
      res.set('retry-after', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
      return sendError(res, t, 429, 'RATE_LIMITED');
    }
    if (looksLikeEmail(email)) {
      mailer ??= createMailer(cfg);
      const baseUrl = cfg.PUBLIC_URL ? cfg.PUBLIC_URL.replace(/\/+$/, '') : ownOrigin(req, cfg);
      // After the answer: the same page, in the same time, for every address.
      sendSignInLink(email, { cfg, mailer, baseUrl, clock }).catch((error: Error) => deps.logger.error({ err: error }, 'sending a sign-in link failed'));
    }
    sendPage(res, 200, messagePage(t, t.say('signIn.linkSentTitle'), t.say('signIn.linkSent', { minutes: LINK_MINUTES })));
  });

  router.get('/email-link', (req, res) => {
    const t = wordsOf(req);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    sendPage(res, 200, linkConfirmPage(t, token, csrfToken(req, res, cfg)));
  });

  router.post('/email-link', form, async (req, res) => {
    const t = wordsOf(req);
    if (!formIsOurs(req, cfg)) {
      await auditFailure(req, 'EMAIL_LINK', 'CSRF');
      return sendError(res, t, 403, 'CSRF');
    }
    const user = await useSignInLink(typeof req.body?.token === 'string' ? req.body.token : '', clock);
    if (!user) {
      await auditFailure(req, 'EMAIL_LINK', 'LINK_INVALID');
      return sendError(res, t, 400, 'LINK_INVALID');
    }
    await startBrowserSession(req, res, { cfg, clock }, user, 'EMAIL_LINK');
  });

  router.post('/sign-out', form, async (req, res) => {
    const t = wordsOf(req);
    if (!formIsOurs(req, cfg)) return sendError(res, t, 403, 'CSRF');
    const token = readCookie(req, SESSION_COOKIE);
    const userId = token ? await endSessionByToken(token, clock) : null;
    if (userId) await recordSignIn({ kind: 'SIGN_OUT', outcome: 'SUCCESS', userId, clientAddress: clientAddress(req) });
    res.clearCookie(SESSION_COOKIE, cookieOptions(req, cfg));
    sendPage(res, 200, messagePage(t, t.say('signIn.signedOut'), t.say('signIn.signedOut')));
  });

  router.get('/oidc/:institutionId/start', async (req, res) => {
    const t = wordsOf(req);
    const institutionId = Number(req.params.institutionId);
    const loginHint = typeof req.query.login_hint === 'string' ? req.query.login_hint.slice(0, 254) : undefined;
    try {
      if (!Number.isInteger(institutionId) || institutionId < 1) throw new OidcSignInError('NO_PROVIDER', 'not an institution id');
      const { authorizationUrl, flowId } = await startOidcSignIn(institutionId, { redirectUri: oidcRedirectUri(req, cfg), loginHint }, { cfg, redis: deps.redis });
      res.cookie(OIDC_FLOW_COOKIE, flowId, cookieOptions(req, cfg, 10 * 60_000));
      res.cookie(LAST_INSTITUTION_COOKIE, String(institutionId), cookieOptions(req, cfg, 365 * 24 * 3600_000));
      res.redirect(303, authorizationUrl);
    } catch (error) {
      if (!(error instanceof OidcSignInError)) throw error;
      await auditFailure(req, 'OIDC', error.code, { institutionId: Number.isInteger(institutionId) ? institutionId : null, detail: error.message });
      sendError(res, t, error.code === 'NO_PROVIDER' ? 404 : 502, error.code);
    }
  });

  router.get('/oidc/callback', async (req, res) => {
    const t = wordsOf(req);
    const flowId = readCookie(req, OIDC_FLOW_COOKIE);
    res.clearCookie(OIDC_FLOW_COOKIE, cookieOptions(req, cfg));
    const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    let verified: (VerifiedClaims & { flow: { institutionId: number } }) | undefined;
    try {
      verified = await finishOidcSignIn(flowId, search, { cfg, redis: deps.redis });
      const account = await accountForIdentity(verified, clock);
      await startBrowserSession(req, res, { cfg, clock }, { userId: account.userId, institutionId: account.institutionId, email: account.email, issuer: verified.issuer }, 'OIDC');
    } catch (error) {
      if (!(error instanceof OidcSignInError)) throw error;
      const email = verified ? verified.claims[verified.provider.emailClaim] : undefined;
      await auditFailure(req, 'OIDC', error.code, {
        institutionId: verified?.flow.institutionId ?? null,
        issuer: verified?.issuer ?? null,
        email: typeof email === 'string' ? email : null,
        detail: error.message,
      });
      deps.logger.info({ code: error.code, reason: error.message }, 'OIDC sign-in refused');
      sendError(res, t, error.code === 'USER_DISABLED' || error.code === 'EMAIL_OUTSIDE_DOMAINS' || error.code === 'EMAIL_TAKEN' ? 403 : 400, error.code);
    }
  });

  return router;
}

/** The one redirect URI every institution registers at its provider. */
export function oidcRedirectUri(req: Request, cfg: Config): string {
  return `${cfg.PUBLIC_URL ? cfg.PUBLIC_URL.replace(/\/+$/, '') : ownOrigin(req, cfg)}/auth/oidc/callback`;
}

export function mountSignInRoutes(app: Express, deps: SignInRouteDeps): void {
  app.use('/auth', signInRouter(deps));
}
