// updateProfile: the signed-in user's own settings. A name is quoted in other people's e-mails and invites.
import { expect } from 'chai';
import { User } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const RENAME = 'mutation($name: String!) { updateProfile(input: { name: $name }) { user { name } errors { code field message } } }';

describe('updateProfile: display names', () => {
  let server: TestServer;
  let user: { id: number };

  before(async () => {
    await resetTables(['lab_memberships', 'users', 'institutions']);
    server = await startTestServer();
    user = await makeUser({ name: 'Nguyen Thi Lan' });
  });

  after(async () => {
    await server?.close();
  });

  const rename = async (name: string) => (await server.gql(RENAME, { name }, await bearer(user.id))).data!.updateProfile;

  it('refuses a name that would add lines to the e-mails it is quoted in, and keeps the old name', async () => {
    for (const name of [
      'Lan\r\nURGENT: re-enter your password at http://evil.test', 'Lan\nsecond line', 'Lan\rX', 'Lan\u2028X', 'Lan\u2029X',
      'Lan\tTab', 'Lan\u0000', 'Lan\u0085X', 'Lan\u202Egnp.exe', 'Lan\u2066X',
    ]) {
      const result = await rename(name);
      expect(result.user, JSON.stringify(name)).to.equal(null);
      expect(result.errors, JSON.stringify(name)).to.have.length(1);
      expect(result.errors[0]).to.include({ code: 'BAD_INPUT', field: 'name' });
      expect(result.errors[0].message).to.match(/one line of printable text/);
    }
    expect((await User.findByPk(user.id, { raw: true }))!.name).to.equal('Nguyen Thi Lan');
  });

  it('refuses an empty name and one longer than 200 characters', async () => {
    expect((await rename('   ')).errors).to.deep.equal([{ code: 'BAD_INPUT', field: 'name', message: 'Name must be 1 to 200 characters.' }]);
    expect((await rename('x'.repeat(201))).errors[0]).to.include({ code: 'BAD_INPUT', field: 'name' });
    expect((await rename('王'.repeat(200))).errors).to.deep.equal([]);
  });

  it('accepts names in any script, with quotes, apostrophes, combining marks and joiners, trimmed', async () => {
    for (const name of ['Nguyễn Thị Lan', '王芳', 'สมชาย ใจดี', 'ဒေါ်အောင်ဆန်းစုကြည်', "Siobhán O'Brien \"Shiv\"", 'क्‍ष Kumar']) {
      expect(await rename(`  ${name} `)).to.deep.equal({ user: { name }, errors: [] });
    }
  });
});
