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
