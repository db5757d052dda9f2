// Express + Apollo, assembled from already-open connections. Tests start it on port 0.
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchemaFromSdl } from './graphql/schema';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import type { Config } from './config';
import { contextFactory, systemClock, type Clock, type GraphQLContext } from './graphql/context';
import { formatErrorFor } from './graphql/errors';
import type { Logger } from './logger';

export interface AppDeps {
  cfg: Config;
  sequelize: Sequelize;
  redis: Redis;
  logger: Logger;
  clock?: Clock;
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
  const httpServer = http.createServer(app);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [database, cache] = await Promise.all([
      sequelize.authenticate().then(() => 'ok', (e: Error) => `unreachable: ${e.message}`),
      redis.ping().then(() => 'ok', (e: Error) => `unreachable: ${e.message}`),
    ]);
    const ready = database === 'ok' && cache === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', mariadb: database, redis: cache });
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema: makeExecutableSchemaFromSdl(),
    formatError: formatErrorFor(logger),
    includeStacktraceInErrorResponses: false,
    introspection: cfg.NODE_ENV !== 'production',
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(cfg.NODE_ENV === 'production' ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: contextFactory(cfg, deps.clock ?? systemClock) }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'No such route. GraphQL is served at /graphql.' });
  });
  // Body-parser errors (malformed JSON, oversized bodies) answer with a typed JSON error, never a stack trace.
  app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'unhandled HTTP error');
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    const message = status === 413 ? 'Request body too large.' : status === 500 ? 'Internal server error' : `Bad request: ${error.message}`;
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  return { app, httpServer, apollo };
}
