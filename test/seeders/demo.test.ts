import { expect } from 'chai';
import { DateTime } from 'luxon';
import mysql from 'mysql2/promise';
import { QueryTypes, type Sequelize } from 'sequelize';
import { BOOKINGS } from '../../seeders/data/bookings';
import { DEMO_USERS, SEEDED_TABLES, isDatabaseEmpty, seedDemo, type SeedDemoResult } from '../../seeders/demo';
import { createSequelize, ensureDatabase, migrate, parseDatabaseUrl } from '../../src/db/database';

const DATABASE_URL = 'mysql://root@127.0.0.1:3306/labshare_seed_test';
// A Wednesday morning in Asia, days before Songkran, Thingyan, Khmer New Year and Pi Mai Lao: the fortnight
// ahead crosses public holidays and lab closures.
const NOW = DateTime.fromISO('2027-04-07T01:30:00Z', { zone: 'utc' });
const ASEAN = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'VN'];

interface BookingRow {
  id: number;
  status: string;
  start_at: Date;
  end_at: Date;
  instrument_id: number;
  lab_id: number;
  slot_minutes: number;
  time_zone: string;
}

describe('seeders/demo', function () {
  this.timeout(60_000);
  let sequelize: Sequelize;
  let emptyBefore: boolean;
  let first: SeedDemoResult;
  let second: SeedDemoResult;
  let later: SeedDemoResult;

  const select = <T extends object>(sql: string) => sequelize.query<T>(sql, { type: QueryTypes.SELECT });
  const countOf = async (table: string) => Number((await select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  before(async () => {
    const { host, port, username, password, database } = parseDatabaseUrl(DATABASE_URL);
    const admin = await mysql.createConnection({ host, port, user: username, password });
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
    await ensureDatabase(DATABASE_URL);
    sequelize = createSequelize({ DATABASE_URL, DATABASE_REPLICA_URLS: '', DATABASE_POOL_MAX: 5 });
    await migrate(sequelize);

    emptyBefore = await isDatabaseEmpty(sequelize);
    first = await seedDemo(sequelize, { now: NOW });
    second = await seedDemo(sequelize, { now: NOW });
    later = await seedDemo(sequelize, { now: NOW.plus({ days: 3, hours: 5 }) });
  });

  after(async () => {
    await sequelize?.close();
  });

  it('reports an empty database before seeding and a non-empty one after', async () => {
    expect(emptyBefore).to.equal(true);
    expect(await isDatabaseEmpty(sequelize)).to.equal(false);
  });

  it('returns the row count of every seeded table', async () => {
    expect(first.created).to.equal(true);
    for (const table of SEEDED_TABLES) expect(first.counts[table], table).to.equal(await countOf(table));
  });

  it('leaves the same rows when run again, also at a later instant', () => {
    expect(second.created).to.equal(false);
    expect(second.counts).to.deep.equal(first.counts);
    expect(later.created).to.equal(false);
    expect(later.counts).to.deep.equal(first.counts);
  });

  it('has a host institution in China and in each of the ten ASEAN states', async () => {
    const rows = await select<{ country_code: string }>('SELECT DISTINCT country_code FROM institutions');
    const countries = rows.map((r) => r.country_code);
    expect(countries).to.include.members(['CN', ...ASEAN]);
  });

  it('gives every institution and lab a real IANA zone', async () => {
    const rows = await select<{ time_zone: string }>('SELECT time_zone FROM institutions UNION SELECT time_zone FROM labs');
    for (const { time_zone } of rows) expect(DateTime.now().setZone(time_zone).isValid, time_zone).to.equal(true);
  });

  it('has a lab in Asia/Yangon (+06:30) and one in a zone with daylight saving time', async () => {
    const zones = (await select<{ time_zone: string }>('SELECT time_zone FROM labs')).map((r) => r.time_zone);
    expect(zones).to.include('Asia/Yangon');
    const observesDst = (zone: string) =>
      DateTime.fromISO('2027-01-15T12:00:00Z').setZone(zone).offset !== DateTime.fromISO('2027-07-15T12:00:00Z').setZone(zone).offset;
    expect(zones.filter(observesDst)).to.have.length.greaterThan(0);
  });

  it('has about sixty instruments whose booking rules the scheduler accepts', async () => {
    const rows = await select<{ slot_minutes: number; min_minutes: number; max_minutes: number; min_notice_minutes: number; max_advance_days: number; buffer_after_minutes: number }>(
      'SELECT slot_minutes, min_minutes, max_minutes, min_notice_minutes, max_advance_days, buffer_after_minutes FROM instruments',
    );
    expect(rows.length).to.be.within(55, 65);
    for (const r of rows) {
      expect([15, 30, 60]).to.include(r.slot_minutes);
      expect(1440 % r.slot_minutes).to.equal(0);
      expect(r.min_minutes).to.be.at.least(r.slot_minutes);
      expect(r.min_minutes % r.slot_minutes).to.equal(0);
      expect(r.max_minutes % r.slot_minutes).to.equal(0);
      expect(r.max_minutes).to.be.at.least(r.min_minutes);
      expect(r.min_notice_minutes).to.be.within(0, 1440);
      expect(r.max_advance_days).to.be.within(14, 180);
      expect(r.buffer_after_minutes).to.be.within(0, 60);
    }
  });

  it('places every demo booking: upcoming ones in the next two weeks, completed ones in the past', async () => {
    const rows = await select<{ status: string; start_at: Date; end_at: Date }>('SELECT status, start_at, end_at FROM bookings');
    expect(rows).to.have.length(BOOKINGS.length);
    for (const r of rows) {
      const start = DateTime.fromJSDate(r.start_at);
      const end = DateTime.fromJSDate(r.end_at);
      if (r.status === 'COMPLETED') expect(end <= NOW).to.equal(true);
      else {
        expect(['PENDING', 'CONFIRMED']).to.include(r.status);
        expect(start >= NOW && start < NOW.plus({ days: 14 })).to.equal(true);
      }
    }
    expect(rows.filter((r) => r.status === 'PENDING')).to.have.length.greaterThan(0);
    expect(rows.filter((r) => r.status === 'CONFIRMED')).to.have.length.greaterThan(0);
  });

  it('never overlaps two PENDING/CONFIRMED bookings of one instrument, buffer included', async () => {
    const [{ n }] = await select<{ n: number }>(`
      SELECT COUNT(*) AS n
      FROM bookings a
      JOIN bookings b ON b.instrument_id = a.instrument_id AND b.id > a.id
      JOIN instruments i ON i.id = a.instrument_id
      WHERE a.status IN ('PENDING', 'CONFIRMED') AND b.status IN ('PENDING', 'CONFIRMED')
        AND a.start_at < b.end_at + INTERVAL i.buffer_after_minutes MINUTE
        AND b.start_at < a.end_at + INTERVAL i.buffer_after_minutes MINUTE`);
    expect(Number(n)).to.equal(0);
  });

  it("puts every booking on its instrument's grid, inside its opening hours and off the lab's closure days", async () => {
    const bookings = await select<BookingRow>(`
      SELECT b.id, b.status, b.start_at, b.end_at, b.instrument_id, i.lab_id, i.slot_minutes, l.time_zone
      FROM bookings b JOIN instruments i ON i.id = b.instrument_id JOIN labs l ON l.id = i.lab_id`);
    const hours = await select<{ lab_id: number; instrument_id: number | null; weekday: number; start_minute: number; end_minute: number }>(
      'SELECT lab_id, instrument_id, weekday, start_minute, end_minute FROM opening_hours',
    );
    const closures = await select<{ lab_id: number; day: string }>("SELECT lab_id, DATE_FORMAT(day, '%Y-%m-%d') AS day FROM lab_closures");
    for (const b of bookings) {
      const start = DateTime.fromJSDate(b.start_at).setZone(b.time_zone);
      const end = DateTime.fromJSDate(b.end_at).setZone(b.time_zone);
      const what = `booking ${b.id} ${start.toISO()}–${end.toISO()}`;
      expect((start.hour * 60 + start.minute) % b.slot_minutes, what).to.equal(0);
      expect((end.hour * 60 + end.minute) % b.slot_minutes, what).to.equal(0);
      expect(start.second + end.second + start.millisecond + end.millisecond, what).to.equal(0);

      const own = hours.filter((h) => h.instrument_id === b.instrument_id);
      const windows = own.length ? own : hours.filter((h) => h.lab_id === b.lab_id && h.instrument_id === null);
      // Each slot of the booking lies inside a window of its own local weekday.
      for (let t = start; t < end; t = t.plus({ minutes: b.slot_minutes })) {
        const minute = t.hour * 60 + t.minute;
        const inside = windows.some((w) => w.weekday === t.weekday && w.start_minute <= minute && minute + b.slot_minutes <= w.end_minute);
        expect(inside, `${what}: slot at ${t.toISO()}`).to.equal(true);
        if (b.status !== 'COMPLETED') {
          expect(closures.some((c) => c.lab_id === b.lab_id && c.day === t.toISODate()), `${what}: closed on ${t.toISODate()}`).to.equal(false);
        }
      }
    }
  });

  it('writes one history row per booking, from nothing to its status, by the booker', async () => {
    const rows = await select<{ id: number; user_id: number; status: string; actor_user_id: number | null; from_status: string | null; to_status: string }>(`
      SELECT b.id, b.user_id, b.status, h.actor_user_id, h.from_status, h.to_status
      FROM bookings b JOIN booking_history h ON h.booking_id = b.id`);
    expect(rows).to.have.length(await countOf('bookings'));
    for (const r of rows) {
      expect(r.from_status).to.equal(null);
      expect(r.to_status).to.equal(r.status);
      expect(r.actor_user_id).to.equal(r.user_id);
    }
  });

  it('holds PENDING only on instruments that need approval, and MEMBERS-only ones only for lab members', async () => {
    const [{ n: pendingWithoutApproval }] = await select<{ n: number }>(`
      SELECT COUNT(*) AS n FROM bookings b JOIN instruments i ON i.id = b.instrument_id
      WHERE b.status = 'PENDING' AND NOT i.requires_approval`);
    expect(Number(pendingWithoutApproval)).to.equal(0);
    const [{ n: outsiders }] = await select<{ n: number }>(`
      SELECT COUNT(*) AS n FROM bookings b JOIN instruments i ON i.id = b.instrument_id
      LEFT JOIN lab_memberships m ON m.lab_id = i.lab_id AND m.user_id = b.user_id
      WHERE i.access_policy = 'MEMBERS' AND m.id IS NULL`);
    expect(Number(outsiders)).to.equal(0);
  });

  it('closes the Myanmar, Cambodian and Lao labs for their April new-year festivals of the coming year', async () => {
    const rows = await select<{ country_code: string; day: string; source: string }>(`
      SELECT l.country_code, DATE_FORMAT(c.day, '%Y-%m-%d') AS day, c.source
      FROM lab_closures c JOIN labs l ON l.id = c.lab_id`);
    expect([...new Set(rows.map((r) => r.country_code))].sort()).to.deep.equal(['KH', 'LA', 'MM']);
    for (const r of rows) {
      expect(r.day.startsWith('2027-04-')).to.equal(true);
      expect(r.source).to.equal('MANUAL');
    }
  });

  it('seeds the demo users with their Unicode names, zones and roles', async () => {
    const users = await select<{ email: string; name: string; time_zone: string; locale: string; is_admin: number }>(
      'SELECT email, name, time_zone, locale, is_admin FROM users',
    );
    const byEmail = new Map(users.map((u) => [u.email, u]));
    expect(byEmail.get(DEMO_USERS.admin)?.is_admin).to.equal(1);
    expect(byEmail.get(DEMO_USERS.researcher)).to.include({ name: 'Nguyễn Thị Lan', time_zone: 'Asia/Ho_Chi_Minh', locale: 'vi' });
    const [{ n: managed }] = await select<{ n: number }>(`
      SELECT COUNT(*) AS n FROM lab_memberships m JOIN users u ON u.id = m.user_id
      WHERE u.email = '${DEMO_USERS.manager}' AND m.role = 'MANAGER'`);
    expect(Number(managed)).to.equal(1);
    const [{ n: labsWithoutManager }] = await select<{ n: number }>(`
      SELECT COUNT(*) AS n FROM labs l
      WHERE NOT EXISTS (SELECT 1 FROM lab_memberships m WHERE m.lab_id = l.id AND m.role = 'MANAGER')`);
    expect(Number(labsWithoutManager)).to.equal(0);
  });

  it('lets seeders racing on an empty database end with the same rows, not duplicates', async () => {
    await sequelize.transaction(async (transaction) => {
      await sequelize.query('SET FOREIGN_KEY_CHECKS = 0', { transaction });
      for (const table of SEEDED_TABLES) await sequelize.query(`DELETE FROM ${table}`, { transaction });
      await sequelize.query('SET FOREIGN_KEY_CHECKS = 1', { transaction });
    });
    const results = await Promise.all([1, 2, 3].map(() => seedDemo(sequelize, { now: NOW })));
    expect(results.filter((r) => r.created)).to.have.length.at.least(1);
    for (const table of SEEDED_TABLES) expect(await countOf(table), table).to.equal(first.counts[table]);
  });
});
