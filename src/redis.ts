// ioredis connections. Workers need maxRetriesPerRequest: null (BullMQ blocks on commands).
import { Redis, type RedisOptions } from 'ioredis';

export class RedisUnreachableError extends Error {
  constructor(readonly address: string, cause: unknown) {
    super(`Redis is not reachable at ${address} (${(cause as Error)?.message ?? cause})`);
    this.name = 'RedisUnreachableError';
  }
}

export function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 6379}`;
}

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { lazyConnect: true, enableOfflineQueue: true, ...options });
}

/** A command to the API's own connection fails after this long (a frozen Redis never answers). */
export const API_REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * Makes a connected client fit for request paths (rate limits, /readyz, dashboards): it reconnects forever (a Redis
 * restart must not kill the API), and while Redis is away or slow every command fails at once or within
 * API_REDIS_COMMAND_TIMEOUT_MS instead of waiting in the offline queue for reconnects, so no request waits on Redis.
 */
export function keepForRequests(redis: Redis): Redis {
  redis.options.retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);
  redis.options.enableOfflineQueue = false;
  redis.options.maxRetriesPerRequest = 0;
  redis.options.commandTimeout = API_REDIS_COMMAND_TIMEOUT_MS;
  return redis;
}

/** Connects and pings once, failing fast with a RedisUnreachableError. */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = createRedis(url, { connectTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: () => null, ...options });
  let firstError: Error | undefined;
  // Without a listener ioredis prints "Unhandled error event" with a stack; the cause is reported below instead.
  const onError = (error: Error) => {
    firstError ??= error;
  };
  redis.on('error', onError);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new RedisUnreachableError(redisAddress(url), firstError ?? error);
  }
  return redis;
}
