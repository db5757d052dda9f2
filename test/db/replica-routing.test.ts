// Reads meant for a replica reach it, and reads that must see the caller's own writes do not. The "replica" is a second
// database on the same server holding a copy of the world that differs in one visible way (the lab's name) and never
// receives the writes: whatever a read returns says which database answered it.
import { expect } from 'chai';
import { DateTime, Interval } from 'luxon';
import type { Sequelize } from 'sequelize';
import type { UserViewer } from '../../src/access/viewer';
import { loadScheduleFacts } from '../../src/availability/schedules';
import { instrumentAvailability } from '../../src/availability/service';
import { cancelBooking, requestBooking } from '../../src/booking';
import { fixedClock } from '../../src/clock';
import { config } from '../../src/config';
import { createSequelize, ensureDatabase, migrate } from '../../src/db/database';
import { initModels } from '../../src/db/models';
import { rawQuery, sqlPools } from '../../src/db/raw';
import { resetTables, testDatabase } from '../helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';

const TABLES = ['institutions', 'users', 'labs', 'lab_memberships', 'instruments', 'opening_hours', 'blackouts', 'lab_closures', 'bookings', 'booking_history'];
const clock = fixedClock('2026-12-01T00:00:00Z');

describe('replica routing (primary and replica pools)', function () {
  this.timeout(60_000);
  let replicated: Sequelize;
  let primaryName: string;
  let replicaName: string;
  let instrumentId: number;
  let researcher: UserViewer;

  before(async () => {
    const shared = await resetTables(TABLES);
    const url = new URL(config().DATABASE_URL);
    primaryName = url.pathname.slice(1);
    replicaName = `${primaryName}_replica`;
    const replicaUrl = new URL(url);
    replicaUrl.pathname = `/${replicaName}`;
    await ensureDatabase(replicaUrl.toString());
    const replicaSchema = createSequelize({ ...config(), DATABASE_URL: replicaUrl.toString() });
    await migrate(replicaSchema);
    await replicaSchema.close();
    initModels(shared);

    const lab = await makeLab({ name: 'Primary lab', timeZone: 'Asia/Bangkok' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrumentId = (await makeInstrument({ labId: lab.id })).id;
    const user = await makeUser();
    researcher = { kind: 'USER', userId: user.id, institutionId: user.institutionId, isAdmin: false, timeZone: user.timeZone, locale: user.locale };
    // The replica: the same rows, the lab renamed, and (like a lagging replica) none of the writes that follow.
    await shared.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of TABLES) {
      await shared.query(`DELETE FROM \`${replicaName}\`.\`${table}\``);
      await shared.query(`INSERT INTO \`${replicaName}\`.\`${table}\` SELECT * FROM \`${primaryName}\`.\`${table}\``);
    }
    await shared.query('SET FOREIGN_KEY_CHECKS = 1');
    await shared.query(`UPDATE \`${replicaName}\`.labs SET name = 'Replica lab' WHERE id = ?`, { replacements: [lab.id] });

    replicated = createSequelize({ ...config(), DATABASE_REPLICA_URLS: replicaUrl.toString() });
    initModels(replicated);
  });

  after(async () => {
    await replicated?.close();
    await testDatabase(); // binds the models back
  });

  const range = Interval.fromDateTimes(DateTime.fromISO('2026-12-03T00:00:00Z'), DateTime.fromISO('2026-12-04T00:00:00Z'));

  it('opens a pool on each database and sends free/busy reads to the replica', async () => {
    const pools = sqlPools(replicated);
    expect(pools.replicas).to.have.length(1);
    expect(await rawQuery(replicated, 'SELECT DATABASE() AS db', [], { type: 'read' })).to.deep.equal([{ db: replicaName }]);
    expect(await rawQuery(replicated, 'SELECT DATABASE() AS db', [])).to.deep.equal([{ db: primaryName }]);
    const facts = await loadScheduleFacts(replicated, [instrumentId], range, { replica: true });
    expect(facts.get(instrumentId)?.instrument.lab.name).to.equal('Replica lab');
  });

  it('lets a command see its own writes: the facts it checks and the booking it moves come from the primary', async () => {
    const facts = await loadScheduleFacts(replicated, [instrumentId], range);
    expect(facts.get(instrumentId)?.instrument.lab.name).to.equal('Primary lab');
    const requested = await requestBooking(researcher, {
      instrumentId, start: DateTime.fromISO('2026-12-03T09:00:00+07:00'), end: DateTime.fromISO('2026-12-03T10:00:00+07:00'),
    }, { clock });
    expect(requested.errors).to.deep.equal([]);
    // The replica has not seen it (it never receives writes here) ...
    const onReplica = await rawQuery<unknown[]>(replicated, 'SELECT id FROM bookings WHERE id = ?', [requested.booking!.id], { type: 'read' });
    expect(onReplica).to.deep.equal([]);
    // ... so free/busy, which reads the replica, does not show it yet (that is what "may lag" means) ...
    const [freeBusy] = await instrumentAvailability(researcher, { instrumentIds: [instrumentId], from: range.start!, to: range.end! }, { clock });
    expect(freeBusy?.busy).to.deep.equal([]);
    // ... but the next command finds the booking at once: it reads the primary.
    const cancelled = await cancelBooking(researcher, { bookingId: requested.booking!.id }, clock);
    expect(cancelled.errors).to.deep.equal([]);
    expect(cancelled.booking?.status).to.equal('CANCELLED');
  });
});
