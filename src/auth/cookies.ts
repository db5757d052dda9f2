// The cookies of signing in: the session itself, and the short-lived ones of the sign-in pages.
import type { CookieOptions, Request } from 'express';
import type { Config } from '../config';

export const SESSION_COOKIE = 'labshare_session';
/** Double-submit token of the sign-in page's forms. */
export const CSRF_COOKIE = 'labshare_csrf';
/** Names the OIDC flow in progress (Redis), so a callback is accepted only in the browser that started it. */
export const OIDC_FLOW_COOKIE = 'labshare_oidc';
/** The institution last chosen on the sign-in page, offered first next time. */
export const LAST_INSTITUTION_COOKIE = 'labshare_institution';
/** The page to return to after signing in (src/auth/return-path.ts). */
export const RETURN_PATH_COOKIE = 'labshare_return';

export function readCookie(req: Pick<Request, 'headers'>, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * HttpOnly (scripts never see it), SameSite=Lax (sent on top-level navigations, so the OIDC callback works, but not
 * on other sites' POSTs), Secure when served over TLS or in production.
 */
export function cookieOptions(req: Request, cfg: Pick<Config, 'NODE_ENV'>, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: req.secure || cfg.NODE_ENV === 'production', path: '/', ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) };
}
