import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { fixedClock } from '../../src/clock';
import { Blackout, Booking, Instrument, LabClosure } from '../../src/db/models';
import { countQueries, resetTables } from '../helpers/db';
import { EVERY_DAY, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const QUERY = `query($ids: [ID!]!, $from: DateTime!, $to: DateTime!) {
  availability(instrumentIds: $ids, from: $from, to: $to) { instrumentId free { start end } busy { start end kind } }
}`;

describe('availability loading', () => {
  let server: TestServer;
  let sequelize: Sequelize;
  let auth: Record<string, string>;
  let ids: string[];
  const range = { from: '2026-12-07T00:00:00Z', to: '2026-12-21T00:00:00Z' };

  before(async () => {
    sequelize = await resetTables();
    server = await startTestServer({ clock: fixedClock('2026-12-01T00:00:00Z') });
    const user = await makeUser();
    auth = await bearer(user.id);
    const zones = [['TH', 'Asia/Bangkok'], ['MM', 'Asia/Yangon'], ['CN', 'Asia/Shanghai'], ['ID', 'Asia/Jakarta'], ['PH', 'Asia/Manila']];
    ids = [];
    for (const [countryCode, timeZone] of zones) {
      const lab = await makeLab({ countryCode, timeZone, observesPublicHolidays: true });
      await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '08:00', to: '20:00' }]);
      await LabClosure.create({ labId: lab.id, day: '2026-12-15', reason: 'Campus shutdown' });
      await Blackout.create({ labId: lab.id, startAt: new Date('2026-12-09T03:00:00Z'), endAt: new Date('2026-12-09T05:00:00Z') });
      const instruments = await Instrument.bulkCreate(
        Array.from({ length: 10 }, (_, i) => ({ labId: lab.id, name: `${countryCode} instrument ${i}`, category: 'mass-spectrometer', minNoticeMinutes: 0, bufferAfterMinutes: 15 })),
      );
      for (const instrument of instruments) {
        ids.push(String(instrument.id));
        await Blackout.create({ labId: lab.id, instrumentId: instrument.id, startAt: new Date('2026-12-10T03:00:00Z'), endAt: new Date('2026-12-10T04:00:00Z') });
        await Booking.bulkCreate(
          Array.from({ length: 14 }, (_, d) => ({
            instrumentId: instrument.id, userId: user.id, status: 'CONFIRMED' as const,
            startAt: new Date(Date.UTC(2026, 11, 7 + d, 4, 0)), endAt: new Date(Date.UTC(2026, 11, 7 + d, 6, 0)),
          })),
        );
      }
    }
  });

  after(async () => {
    await server.close();
  });

  it('costs the same four SQL queries for 50 instruments over 14 days as for one (3 plus the sign-in lookup)', async () => {
    const many = await countQueries(sequelize, () => server.gql(QUERY, { ids, ...range }, auth));
    expect(many.result.errors).to.equal(undefined);
    expect(many.result.data?.availability).to.have.length(50);
    const one = await countQueries(sequelize, () => server.gql(QUERY, { ids: ids.slice(0, 1), ...range }, auth));
    expect(many.queries.length).to.be.at.most(4);
    expect(many.queries.length).to.equal(one.queries.length);
    const bookingReads = many.queries.filter((sql) => /FROM bookings/.test(sql));
    expect(bookingReads).to.have.length(1);
  });

  it('gives each of the 50 instruments its bookings, blackouts, closures and holidays', async () => {
    const res = await server.gql(QUERY, { ids, ...range }, { ...auth, 'x-time-zone': 'UTC' });
    for (const entry of res.data?.availability as { free: { start: string }[]; busy: { kind: string; start: string }[] }[]) {
      // 14 bookings, the lab-wide and the instrument's own blackout
      expect(entry.busy.filter((b) => b.kind === 'BOOKING')).to.have.length(14);
      expect(entry.busy.filter((b) => b.kind === 'BLACKOUT').map((b) => b.start)).to.deep.equal(['2026-12-09T03:00:00Z', '2026-12-10T03:00:00Z']);
      expect(entry.free.some((f) => f.start.startsWith('2026-12-15'))).to.equal(false);
    }
  });
});
