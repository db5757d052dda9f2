// Turns a request's credentials into a Viewer: Bearer JWTs and personal access tokens (lsp_...) name users, ApiKey keys
// name partner institutions, and without an Authorization header the session cookie names the signed-in user.
import type { Request } from 'express';
import type { Config } from '../config';
import { systemClock, type Clock } from '../clock';
import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import { isSameOriginRequest } from '../auth/origin';
import { InvalidPersonalAccessToken, PERSONAL_TOKEN_PREFIX, personalAccessTokenViewer } from '../auth/personal-access-tokens';
import { InvalidSession, sessionViewer } from '../auth/sessions';
import { User } from '../db/models';
import { rawQuery } from '../db/raw';
import { authenticateApiKey, InvalidApiKey } from './api-keys';
import { InvalidTokenError, verifyToken } from './tokens';
import { ANONYMOUS, type Viewer } from './viewer';

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export async function authenticate(header: string | undefined, cfg: Config): Promise<Viewer> {
  if (!header) return ANONYMOUS;
  const [scheme, credentials] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme) && credentials) {
    if (credentials.startsWith(PERSONAL_TOKEN_PREFIX)) {
      try {
        return await personalAccessTokenViewer(credentials);
      } catch (error) {
        if (error instanceof InvalidPersonalAccessToken) throw new AuthenticationError(error.message);
        throw error;
      }
    }
    let userId: number;
    try {
      userId = await verifyToken(credentials, cfg);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new AuthenticationError(error.message);
      throw error;
    }
    // Every authenticated request runs this: plain SQL, no model hydration.
    const [user] = await rawQuery<{ id: number; institutionId: number; isAdmin: number; timeZone: string; locale: string; disabledAt: Date | null }[]>(
      User.sequelize!,
      'SELECT id, institution_id AS institutionId, is_admin AS isAdmin, time_zone AS timeZone, locale, disabled_at AS disabledAt FROM users WHERE id = ?',
      [userId],
      { type: 'read' },
    );
    if (!user) throw new AuthenticationError('The token names a user that no longer exists.');
    if (user.disabledAt) throw new AuthenticationError('This account is disabled.');
    return {
      kind: 'USER', userId: user.id, institutionId: user.institutionId, isAdmin: Boolean(user.isAdmin), timeZone: user.timeZone, locale: user.locale,
      signIn: { method: 'BEARER_TOKEN' },
    };
  }
  if (/^apikey$/i.test(scheme) && credentials) {
    try {
      return await authenticateApiKey(credentials);
    } catch (error) {
      if (error instanceof InvalidApiKey) throw new AuthenticationError(error.message);
      throw error;
    }
  }
  throw new AuthenticationError('Unsupported Authorization scheme: use "Bearer <token>" (people) or "ApiKey <key>" (partner systems).');
}

export class CrossSiteRequest extends AuthenticationError {
  constructor() {
    super('This request came from another site with your session cookie: refused. Use LabShare from its own pages.');
    this.name = 'CrossSiteRequest';
  }
}

/**
 * The request's viewer: the Authorization header when present (it wins, and the cookie is then ignored), else the
 * session cookie, accepted only from LabShare's own origins (src/auth/origin.ts).
 */
export async function authenticateRequest(
  req: Request,
  cfg: Config,
  clock: Clock = systemClock,
): Promise<Viewer> {
  if (req.headers.authorization) return authenticate(req.headers.authorization, cfg);
  const session = readCookie(req, SESSION_COOKIE);
  if (!session) return ANONYMOUS;
  if (!isSameOriginRequest(req, cfg)) throw new CrossSiteRequest();
  try {
    return await sessionViewer(session, cfg, clock);
  } catch (error) {
    if (error instanceof InvalidSession) throw new AuthenticationError(error.message);
    throw error;
  }
}
