import { expect } from 'chai';
import { fixedClock } from '../../src/clock';
import type { InstrumentRow, UserRow } from '../../src/db/rows';
import { resetTables } from '../helpers/db';
import { addMember, EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const REQUEST = `mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) {
    booking { id status start end version user { email } }
    errors { code message field conflicts { start end } }
  }
}`;

describe('GraphQL API: booking workflow', () => {
  let server: TestServer;
  let instrument: InstrumentRow;
  let researcher: UserRow;
  let other: UserRow;
  let manager: UserRow;
  let labId: number;

  before(async () => {
    await resetTables();
    server = await startTestServer({ clock: fixedClock('2026-12-01T00:00:00Z') });
    const lab = await makeLab({ timeZone: 'Asia/Shanghai', countryCode: 'CN' });
    labId = lab.id;
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '08:00', to: '20:00' }]);
    instrument = await makeInstrument({ labId: lab.id, requiresApproval: true, slotMinutes: 60, minMinutes: 60 });
    researcher = await makeUser({ timeZone: 'Asia/Ho_Chi_Minh', email: 'lan@vnu.test' });
    other = await makeUser({ timeZone: 'Asia/Yangon', email: 'aung@uy.test' });
    manager = await makeUser({ timeZone: 'Asia/Shanghai' });
    await addMember(manager.id, lab.id, 'MANAGER');
  });

  after(async () => {
    await server.close();
  });

  it('requires a signed-in user to request a booking', async () => {
    const res = await server.gql(REQUEST, { input: { instrumentId: String(instrument.id), start: '2026-12-03T09:00:00+08:00', end: '2026-12-03T10:00:00+08:00' } });
    expect(res.errors?.[0].extensions?.code).to.equal('UNAUTHENTICATED');
  });

  it('requests, lists for the manager, approves with the version seen, and renders times in each viewer zone', async () => {
    const requested = await server.gql(REQUEST, { input: { instrumentId: String(instrument.id), start: '2026-12-03T09:00:00+08:00', end: '2026-12-03T11:00:00+08:00', purpose: 'cryo grids' } }, await bearer(researcher.id));
    expect(requested.data?.requestBooking.errors).to.deep.equal([]);
    const booking = requested.data?.requestBooking.booking;
    expect(booking).to.include({ status: 'PENDING', start: '2026-12-03T08:00:00+07:00', end: '2026-12-03T10:00:00+07:00', version: 1 });

    const pending = await server.gql('query($lab: ID!) { pendingApprovals(labId: $lab) { nodes { id start user { email } } } }', { lab: String(labId) }, await bearer(manager.id));
    expect(pending.data?.pendingApprovals.nodes).to.deep.equal([{ id: booking.id, start: '2026-12-03T09:00:00+08:00', user: { email: 'lan@vnu.test' } }]);

    const forbidden = await server.gql('query($lab: ID!) { pendingApprovals(labId: $lab) { nodes { id } } }', { lab: String(labId) }, await bearer(other.id));
    expect(forbidden.errors?.[0].extensions?.code).to.equal('FORBIDDEN');

    const approve = 'mutation($input: DecideBookingInput!) { approveBooking(input: $input) { booking { status version decidedAt } errors { code } } }';
    const stale = await server.gql(approve, { input: { id: booking.id, version: 7 } }, await bearer(manager.id));
    expect(stale.data?.approveBooking.errors).to.deep.equal([{ code: 'STALE_VERSION' }]);
    const approved = await server.gql(approve, { input: { id: booking.id, version: 1, note: 'ok' } }, await bearer(manager.id));
    expect(approved.data?.approveBooking).to.deep.include({ errors: [] });
    expect(approved.data?.approveBooking.booking).to.include({ status: 'CONFIRMED', version: 2 });

    const history = await server.gql('query($id: ID!) { booking(id: $id) { history { fromStatus toStatus actor { email } } } }', { id: booking.id }, await bearer(researcher.id));
    expect(history.data?.booking.history).to.deep.equal([
      { fromStatus: null, toStatus: 'PENDING', actor: { email: 'lan@vnu.test' } },
      { fromStatus: 'PENDING', toStatus: 'CONFIRMED', actor: { email: manager.email } },
    ]);
  });

  it("answers a CONFLICT with the other booking's interval in the viewer's zone and no identity", async () => {
    const res = await server.gql(REQUEST, { input: { instrumentId: String(instrument.id), start: '2026-12-03T10:00:00+08:00', end: '2026-12-03T12:00:00+08:00' } }, await bearer(other.id));
    expect(res.data?.requestBooking.booking).to.equal(null);
    const [error] = res.data?.requestBooking.errors ?? [];
    expect(error.code).to.equal('CONFLICT');
    expect(error.conflicts).to.deep.equal([{ start: '2026-12-03T07:30:00+06:30', end: '2026-12-03T09:30:00+06:30' }]);
    expect(JSON.stringify(error)).not.to.match(/lan@vnu|cryo grids/);
  });

  it("does not show another researcher's booking in full", async () => {
    const mine = await server.gql('{ bookings(first: 10) { nodes { id } } }', {}, await bearer(other.id));
    expect(mine.data?.bookings.nodes).to.deep.equal([]);
    const all = await server.gql('{ bookings(first: 10) { nodes { id purpose } } }', {}, await bearer(manager.id));
    expect(all.data?.bookings.nodes).to.have.length(1);
  });

  it('gives the booker and the lab manager the booking as an .ics event (same UID and SEQUENCE as its e-mails), and nobody else', async () => {
    const booked = await server.gql(REQUEST, {
      input: { instrumentId: String(instrument.id), start: '2026-12-04T10:00:00+08:00', end: '2026-12-04T11:00:00+08:00', purpose: 'ICS; "export", please' },
    }, await bearer(researcher.id));
    const id = booked.data!.requestBooking.booking.id as string;
    const FILE = '{ booking(id: "%") { version calendarFile } }'.replace('%', id);
    const mine = await server.gql(FILE, {}, await bearer(researcher.id));
    const ics = (mine.data!.booking.calendarFile as string).replace(/\r\n[ \t]/g, '');
    expect(ics).to.contain('METHOD:REQUEST').and.contain(`UID:booking-${id}@`).and.contain(`SEQUENCE:${mine.data!.booking.version}`);
    // In the lab's zone, as in the e-mails' invitations.
    expect(ics).to.contain('DTSTART;TZID=Asia/Shanghai:20261204T100000').and.contain('DTEND;TZID=Asia/Shanghai:20261204T110000');
    expect(ics).to.contain('DESCRIPTION:ICS\\; "export"\\, please');
    expect(ics.toLowerCase()).to.contain('mailto:lan@vnu.test'); // the booker is the event's attendee
    expect((await server.gql(FILE, {}, await bearer(manager.id))).data!.booking.calendarFile).to.equal(mine.data!.booking.calendarFile);
    expect((await server.gql(FILE, {}, await bearer(other.id))).data!.booking).to.equal(null);

    const cancelled = await server.gql('mutation($input: DecideBookingInput!) { cancelBooking(input: $input) { errors { code } } }', { input: { id } }, await bearer(researcher.id));
    expect(cancelled.data!.cancelBooking.errors).to.deep.equal([]);
    const after = await server.gql(FILE, {}, await bearer(researcher.id));
    expect(after.data!.booking.calendarFile).to.contain('METHOD:CANCEL').and.contain(`UID:booking-${id}@`).and.contain(`SEQUENCE:${after.data!.booking.version}`);
  });

  it('answers a malformed booking request with typed errors, not a 500', async () => {
    const res = await server.gql(REQUEST, { input: { instrumentId: 'x1', start: '2026-12-03T10:00:00+08:00', end: '2026-12-03T12:00:00+08:00' } }, await bearer(other.id));
    expect(res.status).to.be.below(500);
    expect(res.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    const late = await server.gql(REQUEST, { input: { instrumentId: String(instrument.id), start: '2026-12-03T21:00:00+08:00', end: '2026-12-03T22:00:00+08:00' } }, await bearer(other.id));
    expect(late.data?.requestBooking.errors.map((e: { code: string }) => e.code)).to.deep.equal(['OUTSIDE_OPENING_HOURS']);
    expect(late.data?.requestBooking.errors[0].message).to.match(/\+06:30/);
  });
});
