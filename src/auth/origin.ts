// Cookies ride along on requests other sites make; a request authenticated by the session cookie must come from
// LabShare's own pages. Apollo's csrfPrevention already refuses "simple" requests (form posts); this refuses any
// request whose browser says it came from elsewhere.
import type { Request } from 'express';
import type { Config } from '../config';

export function ownOrigin(req: Request, cfg: Pick<Config, 'PUBLIC_URL'>): string {
  if (cfg.PUBLIC_URL) return new URL(cfg.PUBLIC_URL).origin;
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The origins whose pages may use the cookie: the API's own, and the web app's (CORS_ORIGINS). */
export function allowedOrigins(req: Request, cfg: Pick<Config, 'PUBLIC_URL' | 'CORS_ORIGINS'>): Set<string> {
  const listed = cfg.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  return new Set([ownOrigin(req, cfg), ...listed]);
}

/**
 * False when the browser tells us the request came from another site: an Origin (or, without one, a Referer) that is
 * not ours, or Sec-Fetch-Site: cross-site. Clients that send none of these (curl, scripts) are not browsers and cannot
 * be tricked into sending a cookie.
 */
export function isSameOriginRequest(req: Request, cfg: Pick<Config, 'PUBLIC_URL' | 'CORS_ORIGINS'>): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = req.headers.origin ?? refererOrigin(req.headers.referer);
  if (!origin) return true;
  return allowedOrigins(req, cfg).has(origin);
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}
