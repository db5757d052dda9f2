// The invariant under real concurrency: four separate API processes on one MariaDB, hundreds of requests at once.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { QueryTypes } from 'sequelize';
import { issueToken } from '../../src/access/tokens';
import { config } from '../../src/config';
import { resetTables, testDatabase } from '../helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { startServerProcess, type ServerProcess } from '../helpers/processes';

const MUTATION = `mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) { booking { id status } errors { code conflicts { start end } } }
}`;

describe('booking under concurrency: 4 API processes', function () {
  this.timeout(180_000);
  let servers: ServerProcess[] = [];
  let hotId: number;
  let coldIds: number[];
  let tokens: string[];
  const day = DateTime.utc().plus({ days: 3 }).startOf('day');

  before(async () => {
    await resetTables();
    const lab = await makeLab({ timeZone: 'Asia/Bangkok' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    const rules = { slotMinutes: 60, minMinutes: 60, maxMinutes: 120, minNoticeMinutes: 0, maxAdvanceDays: 30, bufferAfterMinutes: 0 };
    hotId = (await makeInstrument({ labId: lab.id, name: 'Hot NMR', ...rules })).id;
    coldIds = [];
    for (let i = 0; i < 4; i += 1) coldIds.push((await makeInstrument({ labId: lab.id, name: `Cold ${i}`, ...rules })).id);
    const users = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
    tokens = await Promise.all(users.map((u) => issueToken(u.id, config())));
    servers = await Promise.all(Array.from({ length: 4 }, () => startServerProcess()));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  const send = (i: number, input: Record<string, unknown>, tokenIndex = i) =>
    fetch(`${servers[i % servers.length].url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[tokenIndex % tokens.length]}` },
      body: JSON.stringify({ query: MUTATION, variables: { input } }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('never double-books: 240 simultaneous requests, each answered with a booking or a CONFLICT', async () => {
    const HOT_SLOTS = 20; // one-hour slots: the maximum that fits is one booking per distinct slot
    const requests: { instrumentId: number; start: string; end: string }[] = [];
    for (let i = 0; i < 200; i += 1) {
      const slot = (i * 7) % HOT_SLOTS;
      requests.push({ instrumentId: hotId, start: day.plus({ hours: slot }).toISO()!, end: day.plus({ hours: slot + 1 }).toISO()! });
    }
    for (let i = 0; i < 40; i += 1) {
      const slot = i % 10; // ten distinct slots on each of the four other instruments
      requests.push({ instrumentId: coldIds[Math.floor(i / 10)], start: day.plus({ hours: slot }).toISO()!, end: day.plus({ hours: slot + 1 }).toISO()! });
    }
    const responses = await Promise.all(requests.map((input, i) => send(i, { ...input, instrumentId: String(input.instrumentId) })));

    for (const response of responses) {
      expect(response.status).to.equal(200);
      const { booking, errors } = response.body.data.requestBooking;
      expect(Boolean(booking) !== (errors.length > 0), JSON.stringify(response.body)).to.equal(true);
      if (!booking) expect(errors.map((e: { code: string }) => e.code)).to.deep.equal(['CONFLICT']);
    }
    const hotAccepted = responses.slice(0, 200).filter((r) => r.body.data.requestBooking.booking).length;
    expect(hotAccepted).to.equal(HOT_SLOTS);

    const sequelize = await testDatabase();
    const overlaps = await sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM bookings a JOIN bookings b
         ON a.instrument_id = b.instrument_id AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at
        WHERE a.status IN ('PENDING','CONFIRMED') AND b.status IN ('PENDING','CONFIRMED')`,
      { type: QueryTypes.SELECT },
    );
    expect(Number(overlaps[0].n)).to.equal(0);
    const perInstrument = await sequelize.query<{ instrument_id: number; n: number }>(
      "SELECT instrument_id, COUNT(*) AS n FROM bookings WHERE status IN ('PENDING','CONFIRMED') GROUP BY instrument_id",
      { type: QueryTypes.SELECT },
    );
    const accepted = new Map(perInstrument.map((r) => [r.instrument_id, Number(r.n)]));
    expect(accepted.get(hotId)).to.equal(HOT_SLOTS);
    for (const id of coldIds) expect(accepted.get(id)).to.equal(10);
  });

  it('creates one booking for a request retried with the same idempotency key on every process at once', async () => {
    const input = {
      instrumentId: String(hotId),
      start: day.plus({ hours: 22 }).toISO(),
      end: day.plus({ hours: 23 }).toISO(),
      idempotencyKey: 'retry-storm-1',
    };
    // The same user's retries land on every process at once.
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => send(i, input, 0)));
    const ids = new Set(responses.map((r) => r.body.data.requestBooking.booking?.id));
    expect([...ids]).to.have.length(1);
    expect([...ids][0]).to.be.a('string');
    const sequelize = await testDatabase();
    const rows = await sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM bookings WHERE idempotency_key = 'retry-storm-1'", { type: QueryTypes.SELECT });
    expect(Number(rows[0].n)).to.equal(1);
  });
});
