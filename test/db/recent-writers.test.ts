// The read-your-writes marker (src/db/recent-writers.ts): kept in Redis with a TTL so every API process honours it,
// only for people, and failing open to the primary when Redis cannot answer.
import { expect } from 'chai';
import type { UserViewer } from '../../src/access/viewer';
import { ANONYMOUS } from '../../src/access/viewer';
import { config } from '../../src/config';
import { createRecentWriters } from '../../src/db/recent-writers';
import { connectRedis, createRedis, type RedisClient } from '../../src/redis';
import { freePort } from '../helpers/processes';

const person = (userId: number): UserViewer => ({ kind: 'USER', userId, institutionId: 1, isAdmin: false, timeZone: 'UTC', locale: 'en' });

describe('read-your-writes marker', () => {
  let redis: RedisClient;
  const keyPrefix = `${config().QUEUE_PREFIX}:ryw-test-${process.pid}`;

  before(async () => {
    redis = await connectRedis(config().REDIS_URL);
  });

  after(async () => {
    await redis.del(`${keyPrefix}:recent-writer:1`, `${keyPrefix}:recent-writer:2`);
    redis.disconnect();
  });

  it('sends a person to the primary for READ_YOUR_WRITES_SECONDS after they wrote, and nobody else', async () => {
    const writers = createRecentWriters(redis, { seconds: 7, keyPrefix, enabled: true });
    await redis.del(`${keyPrefix}:recent-writer:1`, `${keyPrefix}:recent-writer:2`);
    expect(await writers.readsPrimary(person(1))).to.equal(false);
    await writers.mark(person(1));
    // A second instance shares nothing with the first but Redis, as another API process would.
    const elsewhere = createRecentWriters(redis, { seconds: 7, keyPrefix, enabled: true });
    expect(await elsewhere.readsPrimary(person(1))).to.equal(true);
    expect(await elsewhere.readsPrimary(person(2))).to.equal(false);
    expect(await elsewhere.readsPrimary(ANONYMOUS)).to.equal(false);
    const ttl = await redis.ttl(`${keyPrefix}:recent-writer:1`);
    expect(ttl).to.be.within(1, 7);
  });

  it('reads the primary, and still answers writes, while Redis cannot be reached', async () => {
    const unreachable = createRedis(`redis://127.0.0.1:${await freePort()}`, 'requests');
    try {
      const writers = createRecentWriters(unreachable, { seconds: 10, keyPrefix, enabled: true });
      await writers.mark(person(1)); // does not throw
      expect(await writers.readsPrimary(person(2))).to.equal(true);
    } finally {
      unreachable.disconnect();
    }
  });
});
