// Composition root: config → database → Redis → (queues, workers) → Apollo on Express → listen.
import { createApp } from './app';
import { loadSecretsEncryptionKey, loadSigningSecret } from './access/signing-secret';
import { issueTokenHint } from './access/token-hint';
import { isDatabaseEmpty, seedDemo } from '../seeders/demo';
import { logger } from './logger';
import { loadConfigOrExit, openDatabase, openRedis, shutDownOnSignals } from './startup';
import { DateTime } from 'luxon';
import { startPipeline } from '../jobs/pipeline';
import { jobSettings } from '../jobs/settings';
import { createMailer } from './notifications/mailer';

async function main(): Promise<void> {
  const cfg = loadConfigOrExit();
  const sequelize = await openDatabase(cfg);
  const secretSource = await loadSigningSecret(cfg, sequelize);
  logger.info({ source: secretSource }, 'token signing secret loaded');
  await loadSecretsEncryptionKey(cfg, sequelize);
  if (cfg.SEED_DEMO && (await isDatabaseEmpty(sequelize))) {
    const { counts } = await seedDemo(sequelize, { now: DateTime.utc() });
    logger.info({ counts }, 'seeded the demo data');
  }
  const redis = await openRedis(cfg);
  // The relay enqueues this process's committed events at once; workers run here too on a single-machine install
  // (RUN_WORKERS), or in `npm run worker` processes. RUN_RELAY defaults to RUN_WORKERS.
  const runRelay = cfg.RUN_RELAY ?? cfg.RUN_WORKERS;
  const pipeline = runRelay || cfg.RUN_WORKERS
    ? await startPipeline({
      redisUrl: cfg.REDIS_URL, redisClusterNodes: cfg.REDIS_CLUSTER_NODES, prefix: cfg.QUEUE_PREFIX, sequelize, settings: jobSettings(cfg), logger, mailer: createMailer(cfg),
      relay: runRelay, workers: cfg.RUN_WORKERS,
    })
    : null;
  const { httpServer, apollo } = await createApp({ cfg, sequelize, redis, logger, queues: pipeline?.queues });

  await new Promise<void>((resolve) => httpServer.listen(cfg.PORT, cfg.HOST, resolve));
  const url = `http://localhost:${cfg.PORT}/graphql`;
  logger.info({ url }, 'LabShare API ready');
  const signIn = cfg.NODE_ENV === 'production' ? '' : `Sign in in a browser (demo people listed): http://localhost:${cfg.PORT}/auth/sign-in\n`;
  process.stdout.write(`\nLabShare is serving GraphQL at ${url}\n${signIn}${issueTokenHint()}\n\n`);

  shutDownOnSignals(cfg.SHUTDOWN_GRACE_MS, 'draining in-flight requests', async () => {
    // Idle keep-alive sockets are closed at once (a client may never close its side after our FIN);
    // sockets with a request in flight stay until it is answered.
    const closeIdle = setInterval(() => httpServer.closeIdleConnections(), 50);
    httpServer.closeIdleConnections();
    await apollo.stop(); // closes the HTTP server after in-flight requests finish (drain plugin)
    clearInterval(closeIdle);
    await pipeline?.stop(); // worker.close(): jobs in flight finish before the pools close
    await sequelize.close();
    await redis.quit().catch(() => redis.disconnect());
  });
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'start-up failed');
  process.stderr.write(`labshare: start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
});
