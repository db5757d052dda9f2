// `npm run worker`: the job workers (and an outbox relay/sweeper) without the API. Start several to scale out.
// SIGTERM stops taking jobs and lets the ones in flight finish (worker.close) before the process exits; a job cut
// off by a hard kill is picked up again by another worker after the stall interval.
import http from 'node:http';
import { logger } from '../src/logger';
import { createMailer } from '../src/notifications/mailer';
import { loadConfigOrExit, openDatabase, openRedis, shutDownOnSignals } from '../src/startup';
import { metricsRegistry } from './metrics';
import { startPipeline } from './pipeline';
import { jobSettings } from './settings';

function serveMetrics(port: number, token: string): http.Server {
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (token && req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end();
      return;
    }
    metricsRegistry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  return server.listen(port);
}

async function main(): Promise<void> {
  const cfg = loadConfigOrExit();
  const sequelize = await openDatabase(cfg);
  // Fail at start-up with one clear line when Redis is not there; later outages are waited out.
  const probe = await openRedis(cfg);
  probe.disconnect();

  const pipeline = await startPipeline({
    redisUrl: cfg.REDIS_URL, redisClusterNodes: cfg.REDIS_CLUSTER_NODES,
    prefix: cfg.QUEUE_PREFIX,
    sequelize,
    settings: jobSettings(cfg),
    logger,
    mailer: createMailer(cfg),
  });
  const metrics = cfg.WORKER_METRICS_PORT ? serveMetrics(cfg.WORKER_METRICS_PORT, cfg.METRICS_TOKEN) : null;
  logger.info({ prefix: cfg.QUEUE_PREFIX, queues: pipeline.workers?.workers.map((w) => w.name) }, 'LabShare workers ready');

  shutDownOnSignals(cfg.SHUTDOWN_GRACE_MS, 'waiting for jobs in flight', async () => {
    metrics?.close();
    await pipeline.stop();
    await sequelize.close();
  });
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'worker start-up failed');
  process.stderr.write(`labshare worker: start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
});
