// Express + Apollo, assembled from already-open connections. Tests start it on port 0.
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchemaFromSdl } from './graphql/schema';
import express, { type Express } from 'express';
import type { Sequelize } from 'sequelize';
import type { Config } from './config';
import { contextFactory, systemClock, type Clock, type GraphQLContext } from './graphql/context';
import { formatErrorFor, localizedRefusals, serviceUnavailable, serviceUnavailableStatus } from './graphql/errors';
import { isDatabaseUnavailable } from './db/connection-errors';
import type { Logger } from './logger';
import { createRequestRateLimiter, type RequestRateLimiter } from './access/rate-limit';
import { graphqlLimits, limitsFromConfig } from './security/graphql-limits';
import { corsPolicy, graphqlBody, securityHeaders } from './security/http';
import { mountAdminRoutes } from './admin/routes';
import { readinessHandler } from './readiness';
import { mountSignInRoutes } from './auth/routes';
import { mountWebApp } from './web-app';
import type { Queues } from '../jobs/queues';
import type { RedisClient } from './redis';
import { createRecentWriters, type RecentWriters } from './db/recent-writers';
import type { ApolloServerPlugin } from '@apollo/server';

export interface AppDeps {
  cfg: Config;
  sequelize: Sequelize;
  redis: RedisClient;
  logger: Logger;
  clock?: Clock;
  /** Defaults to the limits in cfg, counted in Redis. */
  rateLimiter?: RequestRateLimiter;
  /** Queues for Bull Board and the queue-depth metric; default: opened on `redis` when first needed. */
  queues?: Queues;
}

function rateLimiterFor(redis: RedisClient, cfg: Config, logger: Logger): RequestRateLimiter {
  return createRequestRateLimiter(redis, {
    userPerMinute: cfg.RATE_LIMIT_USER_PER_MINUTE,
    partnerPerMinute: cfg.RATE_LIMIT_PARTNER_PER_MINUTE,
    anonymousPerMinute: cfg.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    keyPrefix: cfg.QUEUE_PREFIX,
    logger,
  });
}

/** After every mutation by a person, their next few seconds of replica-routed reads go to the primary (read your writes). */
function markRecentWriters(recentWriters: RecentWriters): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        // Before the response leaves: the client's next request, to any process, finds the marker.
        async willSendResponse({ operation, contextValue }) {
          if (operation?.operation === 'mutation') await recentWriters.mark(contextValue.viewer);
        },
      };
    },
  };
}

export interface RunningApp {
  app: Express;
  httpServer: http.Server;
  apollo: ApolloServer<GraphQLContext>;
}

export async function createApp(deps: AppDeps): Promise<RunningApp> {
  const { cfg, sequelize, redis, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // GraphQL answers are POSTed and uncacheable; hashing every large body bought nothing
  // Behind a load balancer, req.ip (the anonymous rate-limit key) must be the client's address, not the proxy's.
  if (cfg.TRUST_PROXY && cfg.TRUST_PROXY !== 'false') {
    app.set('trust proxy', cfg.TRUST_PROXY === 'true' ? true : /^\d+$/.test(cfg.TRUST_PROXY) ? Number(cfg.TRUST_PROXY) : cfg.TRUST_PROXY);
  }
  app.use(securityHeaders(cfg));
  const httpServer = http.createServer(app);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const replicaUrls = cfg.DATABASE_REPLICA_URLS.split(',').map((u) => u.trim()).filter(Boolean);
  app.get('/readyz', readinessHandler({ sequelize, redis, replicaUrls }));

  // Bull Board (/admin/queues, platform admins) and Prometheus metrics (/metrics).
  mountAdminRoutes(app, { cfg, redis, sequelize, logger, queues: deps.queues });
  // Sign-in pages, OIDC redirects, e-mail links, demo sign-in (/auth/...).
  mountSignInRoutes(app, { cfg, redis, logger, clock: deps.clock });

  const recentWriters = createRecentWriters(redis, {
    seconds: cfg.READ_YOUR_WRITES_SECONDS, keyPrefix: cfg.QUEUE_PREFIX, enabled: replicaUrls.length > 0, logger,
  });
  const limits = graphqlLimits(limitsFromConfig(cfg), { production: cfg.NODE_ENV === 'production' });
  const apollo = new ApolloServer<GraphQLContext>({
    schema: makeExecutableSchemaFromSdl(),
    formatError: formatErrorFor(logger),
    includeStacktraceInErrorResponses: false,
    introspection: cfg.NODE_ENV !== 'production',
    csrfPrevention: true,
    // server.ts owns SIGTERM/SIGINT (drain HTTP, then workers, then pools); Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    parseOptions: limits.parseOptions,
    // Compact JSON: Apollo pretty-prints by default, which costs real time on large availability answers.
    stringifyResult: (value) => JSON.stringify(value),
    plugins: [
      // We send no cache hints; the default plugin would wrap every field resolver to look for them.
      ApolloServerPluginCacheControlDisabled(),
      ...limits.plugins,
      serviceUnavailableStatus<GraphQLContext>(),
      localizedRefusals<GraphQLContext>(),
      markRecentWriters(recentWriters),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(cfg.NODE_ENV === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    corsPolicy(cfg),
    ...graphqlBody(cfg),
    expressMiddleware(apollo, { context: contextFactory(cfg, deps.clock ?? systemClock, { rateLimiter: deps.rateLimiter ?? rateLimiterFor(redis, cfg, logger), recentWriters }) }),
  );

  // The researchers' web app at / (when built): after every server route, so it never shadows one.
  mountWebApp(app);

  app.use((_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'No such route. GraphQL is served at /graphql.' });
  });
  // Body-parser errors (malformed JSON, oversized bodies) answer with a typed JSON error, never a stack trace;
  // a database that cannot answer (admin routes read users) answers 503 like GraphQL does.
  app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (isDatabaseUnavailable(error)) {
      const { message, extensions } = serviceUnavailable();
      res.status(503).set('retry-after', String(extensions.retryAfterSeconds)).json({ errors: [{ message, extensions: { code: extensions.code } }] });
      return;
    }
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'unhandled HTTP error');
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    const message = status === 413 ? `Request body too large: the limit is ${cfg.GRAPHQL_MAX_BODY_BYTES} bytes.` : status === 500 ? 'Internal server error' : `Bad request: ${error.message}`;
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  return { app, httpServer, apollo };
}
