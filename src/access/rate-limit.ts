// Request rate limits per caller, shared by every API process through Redis: per user, per partner key, and per
// client address for anonymous callers. Each request costs one point; a window is one minute.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Viewer } from './viewer';

export interface RateLimitSettings {
  /** Requests per minute; 0 turns that limit off. */
  userPerMinute: number;
  partnerPerMinute: number;
  anonymousPerMinute: number;
  /** Redis key prefix, e.g. the deployment's queue prefix, so test runs and deployments do not share counters. */
  keyPrefix: string;
}

export class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number, readonly limitPerMinute: number) {
    super(`Too many requests: the limit is ${limitPerMinute} per minute. Retry after ${retryAfterSeconds} s.`);
    this.name = 'RateLimited';
  }
}

export interface RequestRateLimiter {
  /** Counts one request; throws RateLimited when the caller is over its limit. */
  consume(viewer: Viewer, clientAddress: string): Promise<void>;
}

function limiter(redis: Redis, keyPrefix: string, points: number): RateLimiterAbstract | null {
  if (points <= 0) return null;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: 60,
    // If Redis fails, each process keeps limiting on its own rather than failing requests or letting all through.
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}:insurance`, points, duration: 60 }),
  });
}

export function createRequestRateLimiter(redis: Redis, settings: RateLimitSettings): RequestRateLimiter {
  const byKind = {
    USER: { limiter: limiter(redis, `${settings.keyPrefix}:rate:user`, settings.userPerMinute), points: settings.userPerMinute },
    PARTNER: { limiter: limiter(redis, `${settings.keyPrefix}:rate:key`, settings.partnerPerMinute), points: settings.partnerPerMinute },
    ANONYMOUS: { limiter: limiter(redis, `${settings.keyPrefix}:rate:ip`, settings.anonymousPerMinute), points: settings.anonymousPerMinute },
  };
  return {
    async consume(viewer, clientAddress) {
      const { limiter: kindLimiter, points } = byKind[viewer.kind];
      if (!kindLimiter) return;
      const key = viewer.kind === 'USER' ? viewer.userId : viewer.kind === 'PARTNER' ? viewer.apiKeyId : clientAddress;
      try {
        await kindLimiter.consume(key, 1);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw new RateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), points);
        throw rejection;
      }
    },
  };
}
