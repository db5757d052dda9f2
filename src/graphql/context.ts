// The per-request context: who is asking, in which zone to render times, loaders, and the clock.
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { isValidTimeZone } from '../time-zone';
import { chooseLocale } from '../i18n/choose-locale';
import { systemClock, type Clock } from '../clock';
import type { Request } from 'express';
import type { Config } from '../config';
import { HeaderMap } from '@apollo/server';
import { authenticateRequest, AuthenticationError, CrossSiteRequest } from '../access/authenticate';
import { RateLimited, type RequestRateLimiter } from '../access/rate-limit';
import { ANONYMOUS, type Viewer } from '../access/viewer';
import { createLoaders, type Loaders } from './loaders';
import { isDatabaseUnavailable } from '../db/connection-errors';
import { serviceUnavailable } from './errors';
import type { RecentWriters } from '../db/recent-writers';

export type { Clock } from '../clock';
export { systemClock } from '../clock';

export interface GraphQLContext {
  requestId: string;
  viewer: Viewer;
  /** The zone every DateTime in the response is rendered in. */
  timeZone: string;
  /** The language of the response's messages: profile locale, else Accept-Language, else English (src/i18n). */
  locale: string;
  loaders: Loaders;
  clock: Clock;
  /** The app's settings (session lifetimes, the secrets key) for the few domain calls that need them. */
  cfg: Config;
  /** Whether the viewer's replica-routed reads go to the primary (they wrote in the last few seconds); asked once. */
  readsPrimary(): Promise<boolean>;
}

/** X-Time-Zone if given and a valid IANA name, else the user's profile zone, else UTC. */
export function viewerTimeZone(header: string | undefined, viewer: Viewer): string {
  const requested = header?.trim();
  if (requested && isValidTimeZone(requested)) return requested;
  if (viewer.kind === 'USER' && isValidTimeZone(viewer.timeZone)) return viewer.timeZone;
  return 'UTC';
}

/** RATE_LIMITED with HTTP 429 and Retry-After, before any work is done for the request. */
async function consumeRateLimit(limiter: RequestRateLimiter | undefined, viewer: Viewer, req: Request): Promise<void> {
  try {
    await limiter?.consume(viewer, req.ip ?? req.socket.remoteAddress ?? 'unknown');
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    throw new GraphQLError(error.message, {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds: error.retryAfterSeconds,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(error.retryAfterSeconds)]]) },
      },
    });
  }
}

export function contextFactory(cfg: Config, clock: Clock = systemClock, options: { rateLimiter?: RequestRateLimiter; recentWriters?: RecentWriters } = {}) {
  return async ({ req }: { req: Request }): Promise<GraphQLContext> => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
    let viewer: Viewer;
    try {
      viewer = await authenticateRequest(req, cfg, clock);
    } catch (error) {
      if (error instanceof CrossSiteRequest) {
        throw new GraphQLError(error.message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
      }
      if (error instanceof AuthenticationError) {
        // Failed attempts count against the client address, so guessing credentials is rate limited too.
        await consumeRateLimit(options.rateLimiter, ANONYMOUS, req);
        throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
      // Apollo answers context failures itself (no plugin sees them): the 503 must travel on the error.
      if (isDatabaseUnavailable(error)) throw serviceUnavailable();
      throw error;
    }
    await consumeRateLimit(options.rateLimiter, viewer, req);
    let readsPrimary: Promise<boolean> | undefined;
    return {
      requestId,
      viewer,
      timeZone: viewerTimeZone(req.headers['x-time-zone'] as string | undefined, viewer),
      locale: chooseLocale({ profile: viewer.kind === 'USER' ? viewer.locale : null, acceptLanguage: req.headers['accept-language'] }),
      loaders: createLoaders(viewer),
      clock,
      cfg,
      // Without a marker store (tests building a context by hand) every read may go where it is routed.
      readsPrimary: () => (readsPrimary ??= options.recentWriters?.readsPrimary(viewer) ?? Promise.resolve(false)),
    };
  };
}
