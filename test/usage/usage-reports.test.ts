import { expect } from 'chai';
import { DateTime } from 'luxon';
import { LabClosure, UsageLog } from '../../src/db/models';
import type { InstitutionRow, InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { resetTables } from '../helpers/db';
import { addMember, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser, setHours, WEEKDAYS } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

// A week in Bangkok (UTC+07:00): Monday 2026-03-02 to Monday 2026-03-09, the lab closed on Wednesday.
const FROM = '2026-03-02T00:00:00+07:00';
const TO = '2026-03-09T00:00:00+07:00';

const SUMMARY = `query ($labId: ID!, $from: DateTime!, $to: DateTime!, $groupBy: UsageGroupBy!) {
  usageSummary(labId: $labId, from: $from, to: $to, groupBy: $groupBy) {
    lab { id } groupBy
    rows { key label countryCode instrument { name } institution { name } hoursBooked hoursUsed bookings noShows openHours utilisation }
    totals { hoursBooked hoursUsed bookings noShows openHours utilisation }
  }
}`;
const LOGS = `query ($filter: UsageLogFilter, $first: Int, $after: String) {
  usageLogs(filter: $filter, first: $first, after: $after) {
    nodes { outcome usedMinutes bookedMinutes start booking { id status } instrument { name } institution { countryCode } user { email } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('usage reports: usageSummary and usageLogs (GraphQL + MariaDB)', () => {
  let server: TestServer;
  let lab: LabRow;
  let orbitrap: InstrumentRow;
  let krios: InstrumentRow;
  let manager: UserRow;
  let member: UserRow;
  let otherManager: UserRow;
  let admin: UserRow;
  let chula: InstitutionRow;

  before(async () => {
    await resetTables(['usage_logs', 'booking_history', 'bookings', 'lab_closures', 'opening_hours', 'lab_memberships', 'instruments', 'labs', 'users', 'institutions']);
    server = await startTestServer();
    lab = await makeLab({ name: 'China–ASEAN Structural Biology Lab', timeZone: 'Asia/Bangkok' });
    await setHours({ labId: lab.id }, [{ weekdays: WEEKDAYS, from: '09:00', to: '17:00' }]);
    orbitrap = await makeInstrument({ labId: lab.id, name: 'Orbitrap' });
    krios = await makeInstrument({ labId: lab.id, name: 'Krios' });
    await setHours({ labId: lab.id, instrumentId: krios.id }, [{ weekdays: WEEKDAYS, from: '13:00', to: '17:00' }]);
    await makeInstrument({ labId: lab.id, name: 'Idle NMR' });
    await LabClosure.create({ labId: lab.id, day: '2026-03-04', reason: 'Maintenance day' });

    chula = await makeInstitution({ name: 'Chulalongkorn University', countryCode: 'TH' });
    const fudan = await makeInstitution({ name: 'Fudan University', countryCode: 'CN', timeZone: 'Asia/Shanghai' });
    const vnu = await makeInstitution({ name: 'Vietnam National University', countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' });
    const th = await makeUser({ institutionId: chula.id, email: 'th@chula.test' });
    const cn1 = await makeUser({ institutionId: fudan.id, email: 'cn1@fudan.test' });
    const cn2 = await makeUser({ institutionId: fudan.id, email: 'cn2@fudan.test' });
    const vn = await makeUser({ institutionId: vnu.id, email: 'vn@vnu.test' });
    manager = await makeUser({ email: 'manager@lab.test' });
    await addMember(manager.id, lab.id, 'MANAGER');
    member = await makeUser();
    await addMember(member.id, lab.id, 'MEMBER');
    const otherLab = await makeLab();
    otherManager = await makeUser();
    await addMember(otherManager.id, otherLab.id, 'MANAGER');
    admin = await makeUser({ isAdmin: true });
    const elsewhere = await makeInstrument({ labId: otherLab.id });

    const log = async (instrument: InstrumentRow, user: UserRow, startIso: string, booked: number, used: number, outcome: 'COMPLETED' | 'NO_SHOW' = 'COMPLETED') => {
      const start = DateTime.fromISO(startIso, { setZone: true });
      const booking = await makeBooking({ instrumentId: instrument.id, userId: user.id, status: outcome, start, end: start.plus({ minutes: booked }) });
      await UsageLog.create({
        bookingId: booking.id, instrumentId: instrument.id, labId: instrument.labId, userId: user.id, institutionId: user.institutionId,
        outcome, bookedMinutes: booked, usedMinutes: used, startAt: booking.startAt, endAt: booking.endAt,
      });
    };
    await log(orbitrap, th, '2026-03-02T09:00:00+07:00', 120, 110);
    await log(orbitrap, cn1, '2026-03-03T10:00:00+07:00', 240, 240);
    await log(orbitrap, vn, '2026-03-05T09:00:00+07:00', 60, 0, 'NO_SHOW');
    await log(krios, cn2, '2026-03-02T13:00:00+07:00', 180, 150);
    await log(krios, th, '2026-03-06T14:00:00+07:00', 120, 120);
    // Outside the range or the lab: not counted.
    await log(orbitrap, cn1, '2026-03-09T09:00:00+07:00', 60, 60);
    await log(orbitrap, th, '2026-03-01T23:30:00+07:00', 30, 30);
    await log(elsewhere, th, '2026-03-03T10:00:00+07:00', 60, 60);
  });

  after(() => server.close());

  const summary = async (viewer: UserRow, groupBy: string, range: { from: string; to: string } = { from: FROM, to: TO }) =>
    server.gql(SUMMARY, { labId: String(lab.id), ...range, groupBy }, await bearer(viewer.id));

  it('sums hours per instrument and measures utilisation against each instrument\'s opening hours (figures by hand)', async () => {
    const { data, errors } = await summary(manager, 'INSTRUMENT');
    expect(errors).to.equal(undefined);
    const rows = data!.usageSummary.rows as Record<string, any>[];
    const byName = Object.fromEntries(rows.map((r) => [r.instrument.name, r]));
    // Open: 4 days (Wednesday closed) × 8 h = 32 h; Krios has its own hours, 4 days × 4 h = 16 h.
    expect(byName.Orbitrap).to.include({ hoursBooked: 7, bookings: 3, noShows: 1, openHours: 32 });
    expect(byName.Orbitrap.hoursUsed).to.be.closeTo(350 / 60, 1e-9);
    expect(byName.Orbitrap.utilisation).to.be.closeTo(350 / 60 / 32, 1e-9);
    expect(byName.Krios).to.include({ hoursBooked: 5, hoursUsed: 4.5, bookings: 2, noShows: 0, openHours: 16, utilisation: 4.5 / 16 });
    expect(byName['Idle NMR']).to.include({ hoursBooked: 0, hoursUsed: 0, bookings: 0, openHours: 32, utilisation: 0 });
    const totals = data!.usageSummary.totals;
    expect(totals).to.include({ hoursBooked: 12, bookings: 5, noShows: 1, openHours: 80 });
    expect(totals.hoursUsed).to.be.closeTo(620 / 60, 1e-9);
    expect(totals.utilisation).to.be.closeTo(620 / 60 / 80, 1e-9);
  });

  it('groups by the booker\'s country and institution, each a share of the lab\'s open hours', async () => {
    const byCountry = (await summary(manager, 'COUNTRY')).data!.usageSummary.rows as Record<string, any>[];
    expect(byCountry.map((r) => r.key)).to.deep.equal(['CN', 'TH', 'VN']);
    expect(byCountry[0]).to.include({ countryCode: 'CN', hoursBooked: 7, hoursUsed: 6.5, bookings: 2, noShows: 0, openHours: 80, utilisation: 6.5 / 80 });
    expect(byCountry[1]).to.include({ hoursBooked: 4, bookings: 2 });
    expect(byCountry[1].hoursUsed).to.be.closeTo(230 / 60, 1e-9);
    expect(byCountry[2]).to.include({ hoursBooked: 1, hoursUsed: 0, bookings: 1, noShows: 1, utilisation: 0 });

    const byInstitution = (await summary(admin, 'INSTITUTION')).data!.usageSummary.rows as Record<string, any>[];
    expect(byInstitution.map((r) => r.institution.name)).to.deep.equal(['Fudan University', 'Chulalongkorn University', 'Vietnam National University']);
    expect(byInstitution.map((r) => r.bookings)).to.deep.equal([2, 2, 1]);
  });

  it('is for the lab\'s managers and admins only, and refuses a backwards or overlong range with a typed error', async () => {
    expect((await summary(member, 'INSTRUMENT')).errors?.[0].extensions?.code).to.equal('FORBIDDEN');
    expect((await summary(otherManager, 'INSTRUMENT')).errors?.[0].extensions?.code).to.equal('FORBIDDEN');
    const backwards = await summary(manager, 'INSTRUMENT', { from: TO, to: FROM });
    expect(backwards.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    const tooLong = await summary(manager, 'INSTRUMENT', { from: '2025-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' });
    expect(tooLong.errors?.[0]).to.deep.include({ message: 'A usage summary covers at most 366 days; ask for several ranges.' });
  });

  it('lists a lab\'s usage logs in start order, page by page, with filters', async () => {
    const headers = await bearer(manager.id);
    const filter = { labId: String(lab.id), from: FROM, to: TO };
    const seen: Record<string, any>[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const { data, errors }: { data?: Record<string, any>; errors?: unknown[] } = await server.gql(LOGS, { filter, first: 2, after }, headers);
      expect(errors).to.equal(undefined);
      seen.push(...data!.usageLogs.nodes);
      if (!data!.usageLogs.pageInfo.hasNextPage) break;
      after = data!.usageLogs.pageInfo.endCursor;
    }
    expect(seen.map((l) => [l.instrument.name, l.user.email, l.usedMinutes])).to.deep.equal([
      ['Orbitrap', 'th@chula.test', 110], ['Krios', 'cn2@fudan.test', 150], ['Orbitrap', 'cn1@fudan.test', 240],
      ['Orbitrap', 'vn@vnu.test', 0], ['Krios', 'th@chula.test', 120],
    ]);
    expect(seen[3]).to.deep.include({ outcome: 'NO_SHOW', bookedMinutes: 60 });
    expect(seen[3].booking.status).to.equal('NO_SHOW');
    // Rendered in the manager's zone (Asia/Bangkok) with its offset.
    expect(seen[0].start).to.match(/^2026-03-02T09:00:00(\.000)?\+07:00$/);

    const thai = await server.gql(LOGS, { filter: { ...filter, institutionId: String(chula.id) } }, headers);
    expect(thai.data!.usageLogs.nodes.map((l: any) => l.usedMinutes)).to.deep.equal([110, 120]);
    // Without a lab: the labs the viewer manages (the other lab's log is not among them).
    const mine = await server.gql(LOGS, { first: 50 }, headers);
    expect(mine.data!.usageLogs.nodes).to.have.length(7);
    expect((await server.gql(LOGS, { filter: { labId: String(lab.id) } }, await bearer(member.id))).errors?.[0].extensions?.code).to.equal('FORBIDDEN');
    expect((await server.gql(LOGS, {}, await bearer(member.id))).errors?.[0].extensions?.code).to.equal('FORBIDDEN');
  });
});
