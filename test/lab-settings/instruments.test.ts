// Admins add instruments to a lab and edit what describes them; the texts are checked and a lab manager may not.
import { expect } from 'chai';
import { Instrument } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { addMember, makeInstrument, makeLab, makeUser } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const FIELDS = 'id name category description kind requiresApproval requiresCheckIn accessPolicy status lab { id } rules { slotMinutes }';
const CREATE = `mutation($i: CreateInstrumentInput!) { createInstrument(input: $i) { instrument { ${FIELDS} } errors { code field message } } }`;
const UPDATE = `mutation($i: UpdateInstrumentInput!) { updateInstrument(input: $i) { instrument { ${FIELDS} } errors { code field message } } }`;

describe('instruments created and edited by admins', () => {
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

  it('creates an AVAILABLE instrument in a lab with the default rules and the given description, trimmed', async () => {
    const lab = await makeLab();
    const answer = (await server.gql(CREATE, {
      i: { labId: String(lab.id), name: '  Bruker timsTOF Pro 2 ', category: 'Mass spectrometry', description: 'Proteomics', requiresApproval: true, accessPolicy: 'QUALIFIED' },
    }, admin)).data!.createInstrument;
    expect(answer.errors).to.deep.equal([]);
    expect(answer.instrument).to.deep.include({
      name: 'Bruker timsTOF Pro 2', category: 'Mass spectrometry', description: 'Proteomics', kind: 'INSTRUMENT',
      requiresApproval: true, requiresCheckIn: false, accessPolicy: 'QUALIFIED', status: 'AVAILABLE', lab: { id: String(lab.id) }, rules: { slotMinutes: 30 },
    });
    expect((await Instrument.findByPk(answer.instrument.id, { raw: true }))!.name).to.equal('Bruker timsTOF Pro 2');
  });

  it('refuses an empty name, a multi-line category and an unknown lab in place, creating nothing', async () => {
    const before = await Instrument.count();
    const bad = (await server.gql(CREATE, { i: { labId: String((await makeLab()).id), name: '   ', category: 'Mass\nspec' } }, admin)).data!.createInstrument;
    expect(bad.instrument).to.equal(null);
    expect(bad.errors).to.deep.equal([
      { code: 'BAD_INPUT', field: 'name', message: 'name must be 1 to 200 characters.' },
      { code: 'BAD_INPUT', field: 'category', message: 'category must be one line of printable text: no line breaks, tabs or control characters.' },
    ]);
    const noLab = (await server.gql(CREATE, { i: { labId: '999999', name: 'Orphan', category: 'None' } }, admin)).data!.createInstrument;
    expect(noLab.errors.map((e: { code: string; field: string }) => [e.code, e.field])).to.deep.equal([['NOT_FOUND', 'labId']]);
    expect(await Instrument.count()).to.equal(before);
  });

  it('edits only the given fields, clears the description with an empty string, and leaves rules and status alone', async () => {
    const instrument = await makeInstrument({ name: 'Old name', category: 'Microscopy', description: 'Old', slotMinutes: 15, status: 'MAINTENANCE' });
    const answer = (await server.gql(UPDATE, { i: { id: String(instrument.id), name: 'New name', description: '', kind: 'FACILITY' } }, admin)).data!.updateInstrument;
    expect(answer.errors).to.deep.equal([]);
    expect(answer.instrument).to.deep.include({ name: 'New name', category: 'Microscopy', description: null, kind: 'FACILITY', status: 'MAINTENANCE', rules: { slotMinutes: 15 } });
    expect(await Instrument.findByPk(instrument.id, { raw: true })).to.deep.include({ name: 'New name', description: null, kind: 'FACILITY', slotMinutes: 15 });
  });

  it("refuses the lab's own manager: creating and editing instruments is for platform admins", async () => {
    const instrument = await makeInstrument({ name: 'Kept' });
    const manager = await makeUser();
    await addMember(manager.id, instrument.labId, 'MANAGER');
    const answer = await server.gql(UPDATE, { i: { id: String(instrument.id), name: 'Taken over' } }, await bearer(manager.id));
    expect(answer.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
    expect((await Instrument.findByPk(instrument.id, { raw: true }))!.name).to.equal('Kept');
  });
});
