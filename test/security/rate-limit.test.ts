// Per-user, per-key and per-address request limits, counted in Redis and shared by every API process.
import { expect } from 'chai';
import { createApiKey } from '../../src/access/api-keys';
import { createRequestRateLimiter } from '../../src/access/rate-limit';
import { config } from '../../src/config';
import { connectRedis } from '../../src/redis';
import { resetTables } from '../helpers/db';
import { makeInstitution, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

describe('rate limits', function () {
  this.timeout(20_000);
  const servers: TestServer[] = [];
  let redis: Awaited<ReturnType<typeof connectRedis>>;
  const query = '{ institutions(first: 1) { nodes { id } } }';

  before(async () => {
    await resetTables();
    redis = await connectRedis(config().REDIS_URL);
    // A prefix of this run's own, so counters from an earlier run within the minute do not count.
    const settings = { userPerMinute: 3, partnerPerMinute: 2, anonymousPerMinute: 2, keyPrefix: `${config().QUEUE_PREFIX}:rl-test:${Date.now()}` };
    // Two API processes (apps) sharing one Redis: the limit holds across them.
    servers.push(await startTestServer({ rateLimiter: createRequestRateLimiter(redis, settings) }));
    servers.push(await startTestServer({ rateLimiter: createRequestRateLimiter(redis, settings) }));
  });

  after(async () => {
    for (const server of servers) await server.close();
    redis?.disconnect();
  });

  it('answers RATE_LIMITED with HTTP 429 and Retry-After once a user spends their limit, across processes, and not for others', async () => {
    const [a, b] = servers;
    const user = await bearer((await makeUser()).id);
    const statuses = [];
    for (const server of [a, b, a]) statuses.push((await server.gql(query, undefined, user)).status);
    expect(statuses).to.deep.equal([200, 200, 200]);
    const limited = await b.gql(query, undefined, user);
    expect(limited.status).to.equal(429);
    expect(limited.errors?.[0].extensions?.code).to.equal('RATE_LIMITED');
    expect(limited.errors?.[0].message).to.match(/limit is 3 per minute/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).to.be.within(1, 60);
    expect(limited.errors?.[0].extensions?.retryAfterSeconds).to.equal(retryAfter);
    const someoneElse = await a.gql(query, undefined, await bearer((await makeUser()).id));
    expect(someoneElse.status).to.equal(200);
  });

  it('limits each partner key on its own', async () => {
    const institution = await makeInstitution();
    const admin = { kind: 'USER' as const, userId: 1, institutionId: institution.id, isAdmin: true, timeZone: 'UTC', locale: 'en' };
    const [first, second] = await Promise.all([1, 2].map(() => createApiKey(admin, { institutionId: institution.id, name: 'k', scopes: [] })));
    const asKey = (key: string) => ({ authorization: `ApiKey ${key}` });
    const [server] = servers;
    expect((await server.gql(query, undefined, asKey(first.key!))).status).to.equal(200);
    expect((await server.gql(query, undefined, asKey(first.key!))).status).to.equal(200);
    expect((await server.gql(query, undefined, asKey(first.key!))).errors?.[0].extensions?.code).to.equal('RATE_LIMITED');
    expect((await server.gql(query, undefined, asKey(second.key!))).status).to.equal(200);
  });

  it('counts anonymous calls and failed credentials against the client address', async () => {
    const [server] = servers;
    expect((await server.gql(query)).status).to.equal(200);
    const badKey = await server.gql(query, undefined, { authorization: 'ApiKey lsk_00000000_nope' });
    expect(badKey.errors?.[0].extensions?.code).to.equal('UNAUTHENTICATED');
    const limited = await server.gql(query, undefined, { authorization: 'Bearer not-a-token' });
    expect(limited.status).to.equal(429);
    expect(limited.errors?.[0].extensions?.code).to.equal('RATE_LIMITED');
  });
});
