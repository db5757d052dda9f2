// Loaded before every test file (see .mocharc.json). Tests use their own database and queue prefix,
// never the development ones.
import { randomBytes } from 'node:crypto';

process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/labshare_test';
process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = process.env.TEST_QUEUE_PREFIX ?? '{labshare-test}';
process.env.SEED_DEMO = 'false';
// One random signing secret per test run, inherited by the server and worker processes tests start; tests of the
// database-kept secret (test/access/signing-secret.test.ts) unset it for the processes they start.
process.env.JWT_SECRET = process.env.JWT_SECRET || randomBytes(32).toString('base64url');
// Test receivers listen on http://127.0.0.1; tests of the address filter turn this off for themselves.
process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? 'true';
process.env.RUN_WORKERS = 'false';
// Every suite calls from 127.0.0.1 within a minute: request rate limits are off unless a test sets its own
// (test/security/rate-limit.test.ts passes a limiter to startTestServer).
for (const limit of ['RATE_LIMIT_USER_PER_MINUTE', 'RATE_LIMIT_PARTNER_PER_MINUTE', 'RATE_LIMIT_ANONYMOUS_PER_MINUTE']) {
  process.env[limit] = process.env[limit] ?? '0';
}

export const mochaHooks = {
  async afterAll(): Promise<void> {
    const { closeTestDatabase } = await import('./db');
    await closeTestDatabase();
    // Only when a browser test loaded the helper: other runs never load playwright-core.
    if (require.cache[require.resolve('./browser')]) await (await import('./browser')).closeSharedBrowser();
    if (require.cache[require.resolve('./redis-cluster')]) await (await import('./redis-cluster')).stopSharedRedisCluster();
  },
};
