// Fault test 1: the pipeline points at a redis-server this test starts, stops and restarts. Bookings made while
// Redis is down succeed; once it is back every event is delivered exactly once.
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { UserViewer } from '../../src/access/viewer';
import { cancelBooking, requestBooking } from '../../src/booking';
import { OutboxEvent, WebhookSubscription } from '../../src/db/models';
import type { UserRow } from '../../src/db/rows';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, makeInstitution, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { freePort } from '../helpers/processes';
import { readMailbox, startRedisServer, startTestPipeline, startWebhookReceiver, waitFor, type RedisServer, type TestPipeline, type WebhookReceiver } from './support';

const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });

describe('fault test 1: Redis stops and comes back (MariaDB + a redis-server of its own)', function () {
  this.timeout(40_000);
  let redis: RedisServer;
  let pipeline: TestPipeline;
  let receiver: WebhookReceiver;

  before(async () => {
    await resetTables(['notification_deliveries', 'outbox_events', 'webhook_subscriptions', 'usage_logs', 'booking_history', 'bookings',
      'opening_hours', 'lab_memberships', 'instruments', 'labs', 'users', 'institutions']);
    redis = await startRedisServer(await freePort());
    receiver = await startWebhookReceiver();
    pipeline = await startTestPipeline({}, { redisUrl: redis.url, prefix: '{labshare-outage}' });
  });

  after(async () => {
    await pipeline?.stop();
    await receiver?.close();
    await redis?.stop();
  });

  it('accepts bookings while Redis is down and delivers every event exactly once after it returns', async () => {
    const lab = await makeLab({ timeZone: 'Asia/Jakarta' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    const instrument = await makeInstrument({ labId: lab.id });
    const institution = await makeInstitution({ countryCode: 'ID', timeZone: 'Asia/Jakarta' });
    await WebhookSubscription.create({ institutionId: institution.id, url: receiver.url, secret: 'outage-test-secret-0123456789abcdef' });
    const users = await Promise.all([1, 2, 3, 4].map((n) => makeUser({ institutionId: institution.id, email: `researcher${n}@itb.test` })));
    const day = DateTime.now().setZone('Asia/Jakarta').plus({ days: 2 }).startOf('day');
    const book = (user: UserRow, hour: number) =>
      requestBooking(asViewer(user), { instrumentId: instrument.id, start: day.set({ hour }), end: day.set({ hour: hour + 1 }) });

    // Redis up: delivered at once.
    expect((await book(users[0], 8)).errors).to.deep.equal([]);
    await waitFor(async () => readMailbox(pipeline.mailDir).length === 1 && receiver.received.length === 1, 'the first delivery');

    await redis.stop();
    const started = Date.now();
    const made = [await book(users[1], 9), await book(users[2], 10), await book(users[3], 11)];
    expect(made.map((m) => m.errors)).to.deep.equal([[], [], []]);
    const cancelled = await cancelBooking(asViewer(users[3]), { bookingId: made[2].booking!.id });
    expect(cancelled.errors).to.deep.equal([]);
    // The booking path never waits on Redis.
    expect(Date.now() - started).to.be.lessThan(3000);
    await sleep(1000); // relay and sweeper try and fail meanwhile
    expect(await OutboxEvent.count({ where: { dispatchedAt: null } })).to.equal(4);
    expect(readMailbox(pipeline.mailDir)).to.have.length(1);

    redis = await startRedisServer(redis.port);
    await waitFor(async () => readMailbox(pipeline.mailDir).length >= 5 && receiver.received.length >= 5, 'every event after Redis returned', 20_000);
    await sleep(1000); // a duplicate would show up now

    const events = await OutboxEvent.findAll({ order: [['id', 'ASC']], raw: true });
    expect(events.map((e) => e.type)).to.deep.equal(['booking.confirmed', 'booking.confirmed', 'booking.confirmed', 'booking.confirmed', 'booking.cancelled']);
    expect(events.every((e) => e.dispatchedAt)).to.equal(true);
    expect(events.filter((e) => e.dispatchAttempts > 1)).to.have.length.greaterThan(0);

    const mails = readMailbox(pipeline.mailDir);
    expect(mails).to.have.length(5);
    expect(new Set(mails.map((m) => m.messageId)).size).to.equal(5);
    const hooks = receiver.received.map((r) => JSON.parse(r.body).id as string);
    expect([...hooks].sort()).to.deep.equal(events.map((e) => e.eventId).sort());
  });
});
