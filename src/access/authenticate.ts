// Turns an Authorization header into a Viewer: Bearer JWTs name users, ApiKey keys name partner institutions.
import type { Config } from '../config';
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
    let userId: number;
    try {
      userId = await verifyToken(credentials, cfg);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new AuthenticationError(error.message);
      throw error;
    }
    // Every authenticated request runs this: plain SQL, no model hydration.
    const [user] = await rawQuery<{ id: number; institutionId: number; isAdmin: number; timeZone: string; locale: string }[]>(
      User.sequelize!,
      'SELECT id, institution_id AS institutionId, is_admin AS isAdmin, time_zone AS timeZone, locale FROM users WHERE id = ?',
      [userId],
      { type: 'read' },
    );
    if (!user) throw new AuthenticationError('The token names a user that no longer exists.');
    return { kind: 'USER', userId: user.id, institutionId: user.institutionId, isAdmin: Boolean(user.isAdmin), timeZone: user.timeZone, locale: user.locale };
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
