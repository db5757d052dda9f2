// Admins create and edit institutions and labs and choose each lab's managers; bad input is refused on its field.
import { expect } from 'chai';
import { Institution, Lab, LabMembership } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { addMember, makeInstitution, makeLab, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const INSTITUTION = 'institution { id name countryCode timeZone }';
const LAB = 'lab { id name countryCode timeZone observesPublicHolidays institution { id } }';
const ERRORS = 'errors { code field message }';
const CREATE_INSTITUTION = `mutation($i: CreateInstitutionInput!) { createInstitution(input: $i) { ${INSTITUTION} ${ERRORS} } }`;
const UPDATE_INSTITUTION = `mutation($i: UpdateInstitutionInput!) { updateInstitution(input: $i) { ${INSTITUTION} ${ERRORS} } }`;
const CREATE_LAB = `mutation($i: CreateLabInput!) { createLab(input: $i) { ${LAB} ${ERRORS} } }`;
const UPDATE_LAB = `mutation($i: UpdateLabInput!) { updateLab(input: $i) { ${LAB} ${ERRORS} } }`;
const ADD_MANAGER = `mutation($lab: ID!, $email: String!) { addLabManager(labId: $lab, email: $email) { user { id } lab { managers { id } } ${ERRORS} } }`;
const REMOVE_MANAGER = `mutation($lab: ID!, $user: ID!) { removeLabManager(labId: $lab, userId: $user) { user { id } lab { managers { id } } ${ERRORS} } }`;

const codes = (errors: { code: string; field: string }[]) => errors.map((e) => [e.code, e.field]);

describe('institutions, labs and lab managers run by admins', () => {
  let server: TestServer;
  let admin: Record<string, string>;

  before(async () => {
    await resetTables();
    server = await startTestServer();
    admin = await bearer((await makeUser({ isAdmin: true })).id);
  });
  after(async () => {
    await server?.close();
  });

  it('creates an institution with a trimmed name and an upper-cased country, and edits only the given fields', async () => {
    const created = (await server.gql(CREATE_INSTITUTION, { i: { name: '  Chulalongkorn University ', countryCode: 'th', timeZone: 'Asia/Bangkok' } }, admin)).data!.createInstitution;
    expect(created.errors).to.deep.equal([]);
    expect(created.institution).to.deep.include({ name: 'Chulalongkorn University', countryCode: 'TH', timeZone: 'Asia/Bangkok' });
    const edited = (await server.gql(UPDATE_INSTITUTION, { i: { id: created.institution.id, timeZone: 'Asia/Ho_Chi_Minh' } }, admin)).data!.updateInstitution;
    expect(edited.errors).to.deep.equal([]);
    expect(await Institution.findByPk(created.institution.id, { raw: true })).to.deep.include({ name: 'Chulalongkorn University', countryCode: 'TH', timeZone: 'Asia/Ho_Chi_Minh' });
  });

  it('refuses an unknown country, a wrong zone and a multi-line name in place, creating nothing', async () => {
    const [institutions, labs] = [await Institution.count(), await Lab.count()];
    const bad = (await server.gql(CREATE_INSTITUTION, { i: { name: 'Two\nlines', countryCode: 'XY', timeZone: 'Mars/Olympus' } }, admin)).data!.createInstitution;
    expect(bad.institution).to.equal(null);
    expect(bad.errors).to.deep.equal([
      { code: 'BAD_INPUT', field: 'name', message: 'name must be one line of printable text: no line breaks, tabs or control characters.' },
      { code: 'BAD_INPUT', field: 'countryCode', message: '"XY" is not an ISO 3166-1 alpha-2 country code (e.g. DE, CN, TH).' },
      { code: 'BAD_INPUT', field: 'timeZone', message: '"Mars/Olympus" is not an IANA time zone.' },
    ]);
    const institution = await makeInstitution();
    const badLab = (await server.gql(CREATE_LAB, { i: { institutionId: String(institution.id), name: ' ', countryCode: 'ZZ', timeZone: 'UTC' } }, admin)).data!.createLab;
    expect(codes(badLab.errors)).to.deep.equal([['BAD_INPUT', 'name'], ['BAD_INPUT', 'countryCode']]);
    const noInstitution = (await server.gql(CREATE_LAB, { i: { institutionId: '999999', name: 'Orphan', countryCode: 'DE', timeZone: 'Europe/Berlin' } }, admin)).data!.createLab;
    expect(codes(noInstitution.errors)).to.deep.equal([['NOT_FOUND', 'institutionId']]);
    expect([await Institution.count(), await Lab.count()]).to.deep.equal([institutions + 1, labs]);
  });

  it("creates a lab in an institution observing its country's public holidays by default, and edits it", async () => {
    const institution = await makeInstitution();
    const created = (await server.gql(CREATE_LAB, {
      i: { institutionId: String(institution.id), name: 'Joint Proteomics Lab', countryCode: 'DE', timeZone: 'Europe/Berlin' },
    }, admin)).data!.createLab;
    expect(created.errors).to.deep.equal([]);
    expect(created.lab).to.deep.include({
      name: 'Joint Proteomics Lab', countryCode: 'DE', timeZone: 'Europe/Berlin', observesPublicHolidays: true, institution: { id: String(institution.id) },
    });
    const edited = (await server.gql(UPDATE_LAB, { i: { id: created.lab.id, name: 'Sino-German Proteomics Lab' } }, admin)).data!.updateLab;
    expect(edited.lab).to.deep.include({ name: 'Sino-German Proteomics Lab', countryCode: 'DE', timeZone: 'Europe/Berlin' });
    const refused = (await server.gql(UPDATE_LAB, { i: { id: created.lab.id, timeZone: 'Berlin' } }, admin)).data!.updateLab;
    expect(codes(refused.errors)).to.deep.equal([['BAD_INPUT', 'timeZone']]);
    expect((await Lab.findByPk(created.lab.id, { raw: true }))!.timeZone).to.equal('Europe/Berlin');
  });

  it('adds a manager by e-mail (a member is promoted) and removes them, who stays a member', async () => {
    const lab = await makeLab();
    const member = await makeUser({ email: 'somchai@chula.test.example' });
    await addMember(member.id, lab.id, 'MEMBER');
    const added = (await server.gql(ADD_MANAGER, { lab: String(lab.id), email: ' somchai@chula.test.example ' }, admin)).data!.addLabManager;
    expect(added.errors).to.deep.equal([]);
    expect(added.lab.managers).to.deep.equal([{ id: String(member.id) }]);
    expect(await LabMembership.findAll({ where: { labId: lab.id }, attributes: ['userId', 'role'], raw: true })).to.deep.equal([{ userId: member.id, role: 'MANAGER' }]);

    const removed = (await server.gql(REMOVE_MANAGER, { lab: String(lab.id), user: String(member.id) }, admin)).data!.removeLabManager;
    expect(removed.errors).to.deep.equal([]);
    expect(removed.lab.managers).to.deep.equal([]);
    expect(await LabMembership.findAll({ where: { labId: lab.id }, attributes: ['userId', 'role'], raw: true })).to.deep.equal([{ userId: member.id, role: 'MEMBER' }]);
    const again = (await server.gql(REMOVE_MANAGER, { lab: String(lab.id), user: String(member.id) }, admin)).data!.removeLabManager;
    expect(codes(again.errors)).to.deep.equal([['NOT_FOUND', 'userId']]);
  });

  it('refuses an unknown e-mail on the email field, adding nobody', async () => {
    const lab = await makeLab();
    const answer = (await server.gql(ADD_MANAGER, { lab: String(lab.id), email: 'nobody@nowhere.example' }, admin)).data!.addLabManager;
    expect(answer.user).to.equal(null);
    expect(answer.errors).to.deep.equal([{ code: 'NOT_FOUND', field: 'email', message: 'No such user.' }]);
    expect(await LabMembership.count({ where: { labId: lab.id } })).to.equal(0);
  });

  it("refuses the lab's own manager: institutions, labs and managers are for platform admins", async () => {
    const lab = await makeLab({ name: 'Kept' });
    const manager = await makeUser();
    await addMember(manager.id, lab.id, 'MANAGER');
    const other = await makeUser();
    const asManager = await bearer(manager.id);
    const edit = await server.gql(UPDATE_LAB, { i: { id: String(lab.id), name: 'Taken over' } }, asManager);
    expect(edit.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const add = await server.gql(ADD_MANAGER, { lab: String(lab.id), email: other.email }, asManager);
    expect(add.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const create = await server.gql(CREATE_INSTITUTION, { i: { name: 'Rogue', countryCode: 'DE', timeZone: 'Europe/Berlin' } }, asManager);
    expect(create.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    const seen = await server.gql(`{ lab(id: "${lab.id}") { managers { id } } }`, {}, asManager);
    expect(seen.data!.lab.managers).to.equal(null);
    expect((await Lab.findByPk(lab.id, { raw: true }))!.name).to.equal('Kept');
    expect(await LabMembership.count({ where: { labId: lab.id } })).to.equal(1);
  });
});
