import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { fixedClock } from '../../src/clock';
import { Instrument, LabMembership } from '../../src/db/models';
import { countQueries, resetTables } from '../helpers/db';
import { EVERY_DAY, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const MUTATION = `mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id status } errors { code } } }`;

// The hot path's statement budget. Each statement is a round trip, and those after the lock lengthen the time every
// other writer of the instrument waits: a new one here should be a decision, not an accident.
describe('SQL statements of a booking request', () => {
  let server: TestServer;
  let sequelize: Sequelize;
  let instrumentId: string;
  let member: Record<string, string>;

  before(async () => {
    sequelize = await resetTables();
    server = await startTestServer({ clock: fixedClock('2026-12-01T00:00:00Z') });
    const lab = await makeLab({ timeZone: 'Asia/Bangkok' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '08:00', to: '20:00' }]);
    const instrument = await Instrument.create({ labId: lab.id, name: 'Orbitrap', category: 'mass-spectrometer', minNoticeMinutes: 0, accessPolicy: 'MEMBERS' });
    instrumentId = String(instrument.id);
    const user = await makeUser();
    await LabMembership.create({ userId: user.id, labId: lab.id, role: 'MEMBER' });
    member = await bearer(user.id);
  });

  after(async () => server.close());

  it('reads the lab role with the instrument, and holds the lock for the bookings read and three INSERTs only', async () => {
    const input = { instrumentId, start: '2026-12-03T09:00:00+07:00', end: '2026-12-03T10:00:00+07:00', idempotencyKey: 'statements-1' };
    const { result, queries } = await countQueries(sequelize, () => server.gql(MUTATION, { input }, member));
    expect(result.data?.requestBooking.booking.status).to.equal('CONFIRMED');
    const sql = queries.map((q) => q.replace(/^Executing \([^)]*\):\s*/, '').replace(/\s+/g, ' '));
    expect(sql.filter((q) => /lab_memberships/.test(q))).to.have.length(1); // inside the instrument facts statement
    expect(sql.some((q) => /ISOLATION LEVEL/i.test(q))).to.equal(false);
    const locked = sql.findIndex((q) => q.startsWith('UPDATE instruments SET booking_seq'));
    expect(locked).to.be.greaterThan(0);
    expect(sql.slice(locked + 1).map((q) => q.split(' ').slice(0, 3).join(' '))).to.deep.equal([
      'SELECT id, instrument_id,', // holding bookings (with user and key: a replay shows up among them)
      'INSERT INTO bookings',
      'INSERT INTO booking_history',
      'INSERT INTO outbox_events',
      'COMMIT',
    ]);
    // A plain transaction (no Sequelize wrapper): its START TRANSACTION goes through the same counted path.
    expect(sql.filter((q) => q === 'START TRANSACTION')).to.have.length(1);
    expect(sql).to.have.length(11);
  });
});
