// Where a browser goes after signing in: back to the page that sent it to sign-in (a link from an e-mail, an expired
// session), never anywhere else. The web app opens /auth/sign-in?return=<path>; the path is checked here, kept in a
// short-lived HttpOnly cookie across the sign-in (which may pass through an identity provider, or an e-mailed link
// opened in another tab of the same browser), and used once by the redirect that starts the session.
import type { Request, Response } from 'express';
import type { Config } from '../config';
import { cookieOptions, readCookie, RETURN_PATH_COOKIE } from './cookies';

/** Long enough for an e-mail sign-in link to arrive and be opened. */
const RETURN_PATH_TTL_MS = 30 * 60_000;
const MAX_LENGTH = 2000;

/**
 * The path itself when it is a page of this site ("/approvals?booking=12"), else null. Refused: absolute and
 * scheme-relative URLs ("https://evil.example", "//evil.example", "/\evil.example"), anything with control characters,
 * and the sign-in routes themselves (no loops).
 */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /\p{Cc}/u.test(value)) return null;
  const base = 'http://return-path.invalid';
  let parsed: URL;
  try {
    parsed = new URL(value, base);
  } catch {
    return null;
  }
  if (parsed.origin !== base || /^\/auth(\/|$)/.test(parsed.pathname)) return null;
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** Remembers ?return= of the sign-in page (a bad one is ignored, and forgets an older one). */
export function rememberReturnPath(req: Request, res: Response, cfg: Pick<Config, 'NODE_ENV'>): void {
  if (req.query.return === undefined) return;
  const path = safeReturnPath(req.query.return);
  if (path) res.cookie(RETURN_PATH_COOKIE, path, cookieOptions(req, cfg, RETURN_PATH_TTL_MS));
  else res.clearCookie(RETURN_PATH_COOKIE, cookieOptions(req, cfg));
}

/** The remembered path (checked again), or `fallback`; the cookie is used up either way. */
export function takeReturnPath(req: Request, res: Response, cfg: Pick<Config, 'NODE_ENV'>, fallback: string): string {
  const remembered = readCookie(req, RETURN_PATH_COOKIE);
  if (remembered === undefined) return fallback;
  res.clearCookie(RETURN_PATH_COOKIE, cookieOptions(req, cfg));
  return safeReturnPath(remembered) ?? fallback;
}
