// E-mail preferences on the profile: which reminders, and approval requests one by one or as a morning digest.
import { expect } from 'chai';
import { resetTables } from '../helpers/db';
import { makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const UPDATE = `mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) { user { reminders approvalMail } errors { code field } }
}`;
const ME = '{ me { reminders approvalMail } }';

describe('e-mail preferences in the profile (GraphQL)', () => {
  let server: TestServer;

  before(async () => {
    await resetTables(['lab_memberships', 'users', 'institutions']);
    server = await startTestServer();
  });
  after(async () => server?.close());

  it('starts with both reminders and one e-mail per request, and keeps what the person chooses', async () => {
    const user = await makeUser();
    const auth = await bearer(user.id);
    expect((await server.gql(ME, {}, auth)).data!.me).to.deep.equal({ reminders: ['DAY_BEFORE', 'HOUR_BEFORE'], approvalMail: 'EACH_REQUEST' });

    const chosen = await server.gql(UPDATE, { input: { reminders: ['HOUR_BEFORE', 'HOUR_BEFORE'], approvalMail: 'DAILY_DIGEST' } }, auth);
    expect(chosen.data!.updateProfile).to.deep.equal({ user: { reminders: ['HOUR_BEFORE'], approvalMail: 'DAILY_DIGEST' }, errors: [] });
    const none = await server.gql(UPDATE, { input: { reminders: [] } }, auth);
    expect(none.data!.updateProfile.user).to.deep.equal({ reminders: [], approvalMail: 'DAILY_DIGEST' });
    // Leaving a preference out leaves it as it is.
    await server.gql(UPDATE, { input: { name: 'Renamed' } }, auth);
    expect((await server.gql(ME, {}, auth)).data!.me).to.deep.equal({ reminders: [], approvalMail: 'DAILY_DIGEST' });
  });

  it('refuses a value that is not a choice with a typed error, not a 500', async () => {
    const user = await makeUser();
    const answer = await server.gql(UPDATE, { input: { reminders: ['WEEK_BEFORE'] } }, await bearer(user.id));
    expect(answer.status).to.be.below(500);
    expect(answer.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
  });
});
