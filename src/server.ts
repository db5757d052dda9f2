// Composition root: config → database → Redis → (queues, workers) → Apollo on Express → listen.
import { createApp } from './app';
import { issueTokenHint } from './access/token-hint';
import { isDatabaseEmpty, seedDemo } from '../seeders/demo';
import { logger } from './logger';
import { loadConfigOrExit, openDatabase, openRedis } from './startup';
import { DateTime } from 'luxon';

async function main(): Promise<void> {
  const cfg = loadConfigOrExit();
  const sequelize = await openDatabase(cfg);
  if (cfg.SEED_DEMO && (await isDatabaseEmpty(sequelize))) {
    const { counts } = await seedDemo(sequelize, { now: DateTime.utc() });
    logger.info({ counts }, 'seeded the demo data');
  }
  const redis = await openRedis(cfg);
  const { httpServer, apollo } = await createApp({ cfg, sequelize, redis, logger });

  await new Promise<void>((resolve) => httpServer.listen(cfg.PORT, cfg.HOST, resolve));
  const url = `http://localhost:${cfg.PORT}/graphql`;
  logger.info({ url }, 'LabShare API ready');
  process.stdout.write(`\nLabShare is serving GraphQL at ${url}\n${issueTokenHint()}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    const force = setTimeout(() => process.exit(1), cfg.SHUTDOWN_GRACE_MS).unref();
    await apollo.stop(); // closes the HTTP server after in-flight requests finish (drain plugin)
    await sequelize.close();
    await redis.quit().catch(() => redis.disconnect());
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'start-up failed');
  process.stderr.write(`labshare: start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
});
