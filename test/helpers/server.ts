// Starts the real app (Express + Apollo) on a free port against the test database and Redis.
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import type { RequestRateLimiter } from '../../src/access/rate-limit';
import { issueToken } from '../../src/access/tokens';
import type { Sequelize } from 'sequelize';
import type { Queues } from '../../jobs/queues';
import { config, type Config } from '../../src/config';
import type { Clock } from '../../src/graphql/context';
import { logger, type Logger } from '../../src/logger';
import { connectRedis } from '../../src/redis';
import { testDatabase } from './db';
import type { RedisClient } from '../../src/redis';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  headers: Headers;
}

export interface TestServer {
  url: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  clock?: Clock;
  rateLimiter?: RequestRateLimiter;
  /**
   * Settings for this server only (e.g. NODE_ENV: 'production' to prove a refusal); fault tests point it at private instances.
   * Defaults: config(), the test database and a new Redis connection (closed with the server).
   */
  cfg?: Partial<Config>;
  sequelize?: Sequelize;
  redis?: RedisClient;
  logger?: Logger;
  queues?: Queues;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const cfg: Config = { ...config(), ...options.cfg };
  const sequelize = options.sequelize ?? (await testDatabase());
  const redis = options.redis ?? (await connectRedis(cfg.REDIS_URL));
  const { httpServer, apollo } = await createApp({
    cfg, sequelize, redis, logger: options.logger ?? logger, clock: options.clock, rateLimiter: options.rateLimiter, queues: options.queues,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return {
    url,
    post,
    async gql(query, variables, headers) {
      const response = await post(JSON.stringify({ query, variables }), headers);
      const body = (await response.json()) as { data?: any; errors?: any };
      return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
    },
    async close() {
      await apollo.stop();
      if (!options.redis) redis.disconnect();
    },
  };
}

export async function bearer(userId: number): Promise<Record<string, string>> {
  await testDatabase(); // loads the signing secret
  return { authorization: `Bearer ${await issueToken(userId, config())}` };
}
