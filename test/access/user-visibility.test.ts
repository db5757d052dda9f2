// What one user may see of another (userVisibilities in src/access/policies.ts), applied to every User field
// wherever a User is reached, and to grantQualification, which finds a user from input.
import { expect } from 'chai';
import { userVisibilities } from '../../src/access/policies';
import type { UserViewer } from '../../src/access/viewer';
import { BookingHistory, InstrumentQualification } from '../../src/db/models';
import type { InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { resetTables } from '../helpers/db';
import { addMember, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });
const ALL_FIELDS = 'id name email institution { name } timeZone locale isAdmin memberships { role lab { id } }';
const GRANT = `mutation($i: QualificationInput!) { grantQualification(input: $i) { qualification { user { ${ALL_FIELDS} } } errors { code field message } } }`;
const REVOKE = 'mutation($i: QualificationInput!) { revokeQualification(input: $i) { revoked errors { code field message } } }';

describe('who may see whom (User fields and grantQualification)', () => {
  let server: TestServer;
  let manager: UserRow;
  let member: UserRow;
  let booker: UserRow;
  let qualified: UserRow;
  let stranger: UserRow;
  let otherManager: UserRow;
  let admin: UserRow;
  let instrument: InstrumentRow;
  let otherLab: LabRow;
  let approvedBookingId: number;

  before(async () => {
    await resetTables();
    server = await startTestServer();
    const institution = await makeInstitution({ name: 'Universiti Malaya', countryCode: 'MY', timeZone: 'Asia/Kuala_Lumpur' });
    const person = (key: string, attrs: Partial<UserRow> = {}) =>
      makeUser({ institutionId: institution.id, name: `Person ${key}`, email: `${key}@people.test`, timeZone: 'Asia/Kuala_Lumpur', locale: 'ms', ...attrs });
    [manager, member, booker, qualified, stranger, otherManager, admin] = [
      await person('manager'), await person('member'), await person('booker'), await person('qualified'), await person('stranger'),
      await person('other-manager'), await person('admin', { isAdmin: true }),
    ];
    const lab = await makeLab({ name: 'KL Proteomics' });
    otherLab = await makeLab({ name: 'Penang Imaging' });
    await addMember(manager.id, lab.id, 'MANAGER');
    await addMember(member.id, lab.id, 'MEMBER');
    await addMember(otherManager.id, otherLab.id, 'MANAGER');
    await addMember(stranger.id, otherLab.id, 'MEMBER');
    instrument = await makeInstrument({ labId: lab.id, accessPolicy: 'QUALIFIED' });
    const otherInstrument = await makeInstrument({ labId: otherLab.id });
    await makeBooking({ instrumentId: otherInstrument.id, userId: stranger.id, start: '2030-05-01T01:00:00Z', end: '2030-05-01T02:00:00Z' });
    await InstrumentQualification.create({ instrumentId: instrument.id, userId: qualified.id, grantedBy: admin.id });
    // The booker's booking, approved by the lab's manager; a second one rejected by a platform admin.
    approvedBookingId = (await makeBooking({ instrumentId: instrument.id, userId: booker.id, start: '2030-05-02T01:00:00Z', end: '2030-05-02T02:00:00Z' })).id;
    await BookingHistory.create({ bookingId: approvedBookingId, actorUserId: manager.id, fromStatus: 'PENDING', toStatus: 'CONFIRMED' });
    await BookingHistory.create({ bookingId: approvedBookingId, actorUserId: admin.id, fromStatus: 'CONFIRMED', toStatus: 'CONFIRMED', note: 'admin touched it' });
  });

  after(async () => {
    await server?.close();
  });

  it("lets a lab's managers see the people linked to their lab (members, bookers, qualified) as contacts, and nobody else", async () => {
    const ids = [manager, member, booker, qualified, stranger, otherManager, admin].map((u) => u.id);
    const seen = await userVisibilities(asViewer(manager), ids);
    expect(ids.map((id) => seen.get(id))).to.deep.equal(['ALL', 'CONTACT', 'CONTACT', 'CONTACT', 'NONE', 'NONE', 'NONE']);
    // The other way round: the people linked to a lab see its managers, not each other.
    const byBooker = await userVisibilities(asViewer(booker), ids);
    expect(ids.map((id) => byBooker.get(id))).to.deep.equal(['CONTACT', 'NONE', 'ALL', 'NONE', 'NONE', 'NONE', 'NONE']);
    const byAdmin = await userVisibilities(asViewer(admin), ids);
    expect(new Set(byAdmin.values())).to.deep.equal(new Set(['ALL']));
    const byPartner = await userVisibilities({ kind: 'PARTNER', institutionId: 1, apiKeyId: 1, scopes: ['availability:read'] }, ids);
    expect(new Set(byPartner.values())).to.deep.equal(new Set(['NONE']));
  });

  it("shows a lab manager only the name, e-mail and institution of the people in their lab's bookings", async () => {
    const res = await server.gql(`{ bookings { nodes { user { ${ALL_FIELDS} } } } }`, {}, await bearer(manager.id));
    expect(res.errors).to.equal(undefined);
    expect(res.data!.bookings.nodes).to.deep.equal([{
      user: {
        id: String(booker.id), name: 'Person booker', email: 'booker@people.test', institution: { name: 'Universiti Malaya' },
        timeZone: null, locale: null, isAdmin: null, memberships: null,
      },
    }]);
  });

  it('answers granting to a user the manager may not see exactly as granting to a user that does not exist, by id and by e-mail', async () => {
    const headers = await bearer(manager.id);
    const instrumentId = String(instrument.id);
    const grant = async (target: Record<string, unknown>) => (await server.gql(GRANT, { i: { instrumentId, ...target } }, headers)).data;
    const revoke = async (target: Record<string, unknown>) => (await server.gql(REVOKE, { i: { instrumentId, ...target } }, headers)).data;
    for (const hidden of [stranger, otherManager, admin]) {
      expect(await grant({ userId: hidden.id })).to.deep.equal(await grant({ userId: 4_000_000_000 }));
      expect(await grant({ email: hidden.email })).to.deep.equal(await grant({ email: 'nobody@nowhere.test' }));
      expect(await revoke({ userId: hidden.id })).to.deep.equal(await revoke({ userId: 4_000_000_000 }));
      expect(await revoke({ email: hidden.email })).to.deep.equal(await revoke({ email: 'nobody@nowhere.test' }));
    }
    // The manager's profile locale is ms: the message is Malay, the code and field those of every language.
    expect(await grant({ userId: stranger.id })).to.deep.equal({
      grantQualification: { qualification: null, errors: [{ code: 'NOT_FOUND', field: 'userId', message: 'Pengguna tidak dijumpai.' }] },
    });
    expect(await InstrumentQualification.count({ where: { userId: [stranger.id, otherManager.id, admin.id] } })).to.equal(0);
  });

  it('shows a manager only the contact fields of the user they qualified, and hides an admin who granted a qualification', async () => {
    const headers = await bearer(manager.id);
    const res = await server.gql(GRANT, { i: { instrumentId: String(instrument.id), userId: member.id } }, headers);
    expect(res.errors).to.equal(undefined);
    expect(res.data!.grantQualification).to.deep.equal({
      qualification: {
        user: {
          id: String(member.id), name: 'Person member', email: 'member@people.test', institution: { name: 'Universiti Malaya' },
          timeZone: null, locale: null, isAdmin: null, memberships: null,
        },
      },
      errors: [],
    });
    const list = await server.gql('query($id: ID!) { instrumentQualifications(instrumentId: $id) { nodes { user { id } grantedBy { id email } } } }',
      { id: String(instrument.id) }, headers);
    expect(list.data!.instrumentQualifications.nodes).to.deep.equal([
      { user: { id: String(qualified.id) }, grantedBy: null },
      { user: { id: String(member.id) }, grantedBy: { id: String(manager.id), email: 'manager@people.test' } },
    ]);
  });

  it('lets a booker see the manager who decided their booking as a contact, and not a platform admin', async () => {
    const res = await server.gql('query($id: ID!) { booking(id: $id) { history { actor { id name email isAdmin memberships { role } } } } }',
      { id: String(approvedBookingId) }, await bearer(booker.id));
    expect(res.errors).to.equal(undefined);
    expect(res.data!.booking.history.map((h: { actor: unknown }) => h.actor)).to.deep.equal([
      { id: String(booker.id), name: 'Person booker', email: 'booker@people.test', isAdmin: false, memberships: [] },
      { id: String(manager.id), name: 'Person manager', email: 'manager@people.test', isAdmin: null, memberships: null },
      null,
    ]);
  });

  it('shows users all of themselves, and admins all of everyone', async () => {
    const me = await server.gql(`{ me { ${ALL_FIELDS} } }`, {}, await bearer(stranger.id));
    expect(me.data!.me).to.deep.include({ email: 'stranger@people.test', timeZone: 'Asia/Kuala_Lumpur', locale: 'ms', isAdmin: false });
    expect(me.data!.me.memberships).to.have.length(1);
    const res = await server.gql(GRANT, { i: { instrumentId: String(instrument.id), userId: stranger.id } }, await bearer(admin.id));
    expect(res.data!.grantQualification.qualification.user).to.deep.include({ email: 'stranger@people.test', timeZone: 'Asia/Kuala_Lumpur', isAdmin: false });
    expect(res.data!.grantQualification.qualification.user.memberships).to.deep.equal([{ role: 'MEMBER', lab: { id: String(otherLab.id) } }]);
  });
});
