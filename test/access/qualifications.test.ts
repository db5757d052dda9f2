// Lab managers qualify users on instruments; booking an instrument whose policy is QUALIFIED requires it.
import { expect } from 'chai';
import { isQualified } from '../../src/access/qualifications';
import { resetTables } from '../helpers/db';
import { addMember, EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';
import { fixedClock } from '../../src/clock';

const GRANT = 'mutation($i: QualificationInput!) { grantQualification(input: $i) { qualification { user { id } grantedBy { id } instrument { id } grantedAt } errors { code field } } }';
const REVOKE = 'mutation($i: QualificationInput!) { revokeQualification(input: $i) { revoked errors { code field } } }';
const BOOK = 'mutation($i: RequestBookingInput!) { requestBooking(input: $i) { booking { id } errors { code } } }';

describe('instrument qualifications', () => {
  let server: TestServer;
  let manager: { id: number };
  let trainee: { id: number; email: string };
  let instrumentId: string;
  let slot = 0;
  const book = async () => {
    slot += 1;
    const day = String(10 + slot).padStart(2, '0');
    const res = await server.gql(BOOK, { i: { instrumentId, start: `2030-06-${day}T02:00:00Z`, end: `2030-06-${day}T03:00:00Z` } }, await bearer(trainee.id));
    return res.data!.requestBooking.errors[0]?.code ?? 'OK';
  };

  before(async () => {
    await resetTables();
    server = await startTestServer({ clock: fixedClock('2030-06-01T00:00:00Z') });
    const lab = await makeLab();
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    manager = await makeUser();
    await addMember(manager.id, lab.id, 'MANAGER');
    // A member of the lab: its managers may see (and so qualify) them; see user-visibility.test.ts for everyone else.
    trainee = await makeUser();
    await addMember(trainee.id, lab.id, 'MEMBER');
    instrumentId = String((await makeInstrument({ labId: lab.id, accessPolicy: 'QUALIFIED' })).id);
  });

  after(async () => {
    await server?.close();
  });

  it('lets a user book a QUALIFIED instrument only while a manager has qualified them', async () => {
    expect(await book()).to.equal('NOT_QUALIFIED');
    const granted = await server.gql(GRANT, { i: { instrumentId, userId: trainee.id } }, await bearer(manager.id));
    expect(granted.data!.grantQualification.errors).to.deep.equal([]);
    expect(granted.data!.grantQualification.qualification).to.deep.include({
      user: { id: String(trainee.id) }, grantedBy: { id: String(manager.id) }, instrument: { id: instrumentId },
    });
    expect(await book()).to.equal('OK');
    const revoked = await server.gql(REVOKE, { i: { instrumentId, userId: trainee.id } }, await bearer(manager.id));
    expect(revoked.data!.revokeQualification).to.deep.equal({ revoked: true, errors: [] });
    expect(await book()).to.equal('NOT_QUALIFIED');
  });

  it('grants by email too, idempotently, and lists who is qualified', async () => {
    const headers = await bearer(manager.id);
    for (let i = 0; i < 2; i += 1) {
      const res = await server.gql(GRANT, { i: { instrumentId, email: trainee.email } }, headers);
      expect(res.data!.grantQualification.errors).to.deep.equal([]);
    }
    expect(await isQualified(trainee.id, Number(instrumentId))).to.equal(true);
    const list = await server.gql('query($id: ID!) { instrumentQualifications(instrumentId: $id) { nodes { user { id } } } }', { id: instrumentId }, headers);
    expect(list.data!.instrumentQualifications.nodes).to.deep.equal([{ user: { id: String(trainee.id) } }]);
    const again = await server.gql(REVOKE, { i: { instrumentId, email: trainee.email } }, headers);
    expect(again.data!.revokeQualification.revoked).to.equal(true);
    const twice = await server.gql(REVOKE, { i: { instrumentId, email: trainee.email } }, headers);
    expect(twice.data!.revokeQualification.revoked).to.equal(false);
  });

  it('answers a missing user or instrument, and an ambiguous target, as user errors', async () => {
    const headers = await bearer(manager.id);
    const noUser = await server.gql(GRANT, { i: { instrumentId, email: 'nobody@nowhere.test' } }, headers);
    expect(noUser.data!.grantQualification.errors).to.deep.equal([{ code: 'NOT_FOUND', field: 'email' }]);
    const noInstrument = await server.gql(GRANT, { i: { instrumentId: '4000000000', userId: trainee.id } }, headers);
    expect(noInstrument.data!.grantQualification.errors).to.deep.equal([{ code: 'NOT_FOUND', field: 'instrumentId' }]);
    const both = await server.gql(GRANT, { i: { instrumentId, userId: trainee.id, email: trainee.email } }, headers);
    expect(both.data!.grantQualification.errors).to.deep.equal([{ code: 'BAD_INPUT', field: 'userId' }]);
  });
});
