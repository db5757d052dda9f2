// Request rate limits per caller, shared by every API process through Redis: per user, per partner key, and per
// client address for anonymous callers. Each request costs one point; a window is one minute.
// While Redis is away each process limits on its own, at once: a request never waits on Redis.
import { Gauge } from 'prom-client';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { metricsRegistry } from '../../jobs/metrics';
import type { Logger } from '../logger';
import type { Viewer } from './viewer';
import type { RedisClient } from '../redis';

/** Limiters of this process currently counting in memory because Redis is unreachable. */
const inFallback = new Set<object>();
new Gauge({
  name: 'labshare_rate_limit_fallback',
  help: '1 while request rate limits are counted per process because Redis is unreachable, else 0',
  registers: [metricsRegistry],
  collect() {
    this.set(inFallback.size ? 1 : 0);
  },
});

export interface RateLimitSettings {
  /** Requests per minute; 0 turns that limit off. */
  userPerMinute: number;
  partnerPerMinute: number;
  anonymousPerMinute: number;
  /** Redis key prefix, e.g. the deployment's queue prefix, so test runs and deployments do not share counters. */
  keyPrefix: string;
  /** Told once when the limits fall back to per-process counting and once when they are shared again. */
  logger?: Logger;
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

function limiter(redis: RedisClient, keyPrefix: string, points: number): RateLimiterAbstract | null {
  if (points <= 0) return null;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: 60,
    // Not connected: go to the insurance limiter at once instead of sending a command that can only fail.
    rejectIfRedisNotReady: true,
    // If Redis fails, each process keeps limiting on its own rather than failing requests or letting all through.
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${keyPrefix}:insurance`, points, duration: 60 }),
  });
}

/** Follows the connection: in fallback from a lost connection until it is ready again; says so once each way. */
function reportFallback(redis: RedisClient, logger: Logger | undefined): void {
  const self = {};
  const enter = () => {
    if (inFallback.has(self)) return;
    inFallback.add(self);
    logger?.warn('Redis is unreachable: request rate limits are counted per process until it is back');
  };
  const leave = () => {
    if (!inFallback.delete(self)) return;
    logger?.info('Redis is back: request rate limits are shared again');
  };
  if (redis.status === 'reconnecting') enter();
  // 'reconnecting' follows a lost connection at once; a connection closed on purpose (shutdown) ends without it.
  redis.on('reconnecting', enter);
  redis.on('ready', leave);
  redis.on('end', () => inFallback.delete(self));
}

export function createRequestRateLimiter(redis: RedisClient, settings: RateLimitSettings): RequestRateLimiter {
  if (settings.userPerMinute > 0 || settings.partnerPerMinute > 0 || settings.anonymousPerMinute > 0) reportFallback(redis, settings.logger);
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
