import { expect } from 'chai';
import { fixedClock } from '../../src/clock';
import { Instrument, OpeningHour } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, addMember, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const SET_LAB_HOURS = `mutation($input: SetLabOpeningHoursInput!) {
  setLabOpeningHours(input: $input) { lab { id openingHours { weekday start end } } errors { code field message } }
}`;
const SET_INSTRUMENT_HOURS = `mutation($input: SetInstrumentOpeningHoursInput!) {
  setInstrumentOpeningHours(input: $input) { instrument { id hasOwnOpeningHours openingHours { weekday start end } } errors { code field message } }
}`;
const CLEAR_INSTRUMENT_HOURS = `mutation($id: ID!) {
  clearInstrumentOpeningHours(instrumentId: $id) { instrument { hasOwnOpeningHours openingHours { weekday start end } } errors { code field } }
}`;
const SET_RULES = `mutation($input: SetBookingRulesInput!) {
  setBookingRules(input: $input) { instrument { rules { slotMinutes minMinutes maxMinutes minNoticeMinutes maxAdvanceDays bufferAfterMinutes } } errors { code field message } }
}`;
const SET_STATUS = `mutation($input: SetInstrumentStatusInput!) { setInstrumentStatus(input: $input) { instrument { status } errors { code field } } }`;
const FREE = `query($ids: [ID!]!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: $ids, from: $from, to: $to) { free { start end } } }`;

describe('lab settings: opening hours, booking rules and status', () => {
  let server: TestServer;
  let labId: string;
  let instrumentId: string;
  let as: Record<'manager' | 'otherManager' | 'member' | 'admin', Record<string, string>>;
  // Thursday 3 December 2026, Bangkok
  const thursday = { from: '2026-12-03T00:00:00+07:00', to: '2026-12-04T00:00:00+07:00' };
  const code = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0].extensions?.code;

  before(async () => {
    await resetTables();
    server = await startTestServer({ clock: fixedClock('2026-12-01T00:00:00Z') });
    const lab = await makeLab({ timeZone: 'Asia/Bangkok' });
    const otherLab = await makeLab({ timeZone: 'Asia/Yangon', countryCode: 'MM' });
    labId = String(lab.id);
    instrumentId = String((await makeInstrument({ labId: lab.id })).id);
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '09:00', to: '17:00' }]);
    const [manager, otherManager, member, admin] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser({ isAdmin: true })]);
    await addMember(manager.id, lab.id, 'MANAGER');
    await addMember(otherManager.id, otherLab.id, 'MANAGER');
    await addMember(member.id, lab.id, 'MEMBER');
    as = { manager: await bearer(manager.id), otherManager: await bearer(otherManager.id), member: await bearer(member.id), admin: await bearer(admin.id) };
  });

  after(async () => {
    await server.close();
  });

  describe('weekly opening hours', () => {
    it("replaces the lab's week, and availability follows (a window may end at 24:00)", async () => {
      const windows = [
        { weekday: 'THURSDAY', start: '08:00', end: '12:00' },
        { weekday: 'THURSDAY', start: '13:00', end: '24:00' },
        { weekday: 'MONDAY', start: '09:30', end: '18:00' },
      ];
      const res = await server.gql(SET_LAB_HOURS, { input: { labId, windows } }, as.manager);
      expect(res.data?.setLabOpeningHours.errors).to.deep.equal([]);
      expect(res.data?.setLabOpeningHours.lab.openingHours).to.deep.equal([
        { weekday: 'MONDAY', start: '09:30', end: '18:00' },
        { weekday: 'THURSDAY', start: '08:00', end: '12:00' },
        { weekday: 'THURSDAY', start: '13:00', end: '24:00' },
      ]);
      const free = await server.gql(FREE, { ids: [instrumentId], ...thursday }, { ...as.manager, 'x-time-zone': 'Asia/Bangkok' });
      expect(free.data?.availability[0].free).to.deep.equal([
        { start: '2026-12-03T08:00:00+07:00', end: '2026-12-03T12:00:00+07:00' },
        { start: '2026-12-03T13:00:00+07:00', end: '2026-12-04T00:00:00+07:00' },
      ]);
    });

    it('reports each malformed window with the field at fault, and changes nothing', async () => {
      const before = await OpeningHour.count({ where: { labId: Number(labId) } });
      const bad = async (windows: unknown[]) => (await server.gql(SET_LAB_HOURS, { input: { labId, windows } }, as.manager)).data?.setLabOpeningHours;
      const wrongTime = await bad([{ weekday: 'MONDAY', start: '9:00', end: '17:00' }, { weekday: 'TUESDAY', start: '08:00', end: '25:00' }]);
      expect(wrongTime.lab).to.equal(null);
      expect(wrongTime.errors.map((e: { field: string }) => e.field)).to.deep.equal(['windows[0].start', 'windows[1].end']);
      expect(wrongTime.errors[0].code).to.equal('BAD_INPUT');
      const backwards = await bad([{ weekday: 'MONDAY', start: '17:00', end: '09:00' }]);
      expect(backwards.errors[0]).to.include({ code: 'BAD_INPUT', field: 'windows[0].end' });
      const overlapping = await bad([{ weekday: 'MONDAY', start: '08:00', end: '12:00' }, { weekday: 'MONDAY', start: '11:00', end: '14:00' }]);
      expect(overlapping.errors[0].message).to.match(/overlap/);
      expect(await OpeningHour.count({ where: { labId: Number(labId) } })).to.equal(before);
    });

    it('gives an instrument its own hours, and clearing them makes it follow the lab again', async () => {
      const set = await server.gql(SET_INSTRUMENT_HOURS, { input: { instrumentId, windows: [{ weekday: 'THURSDAY', start: '00:00', end: '24:00' }] } }, as.manager);
      expect(set.data?.setInstrumentOpeningHours.errors).to.deep.equal([]);
      expect(set.data?.setInstrumentOpeningHours.instrument).to.deep.include({ hasOwnOpeningHours: true, openingHours: [{ weekday: 'THURSDAY', start: '00:00', end: '24:00' }] });
      const free = await server.gql(FREE, { ids: [instrumentId], ...thursday }, { ...as.manager, 'x-time-zone': 'Asia/Bangkok' });
      expect(free.data?.availability[0].free).to.deep.equal([{ start: '2026-12-03T00:00:00+07:00', end: '2026-12-04T00:00:00+07:00' }]);

      const cleared = await server.gql(CLEAR_INSTRUMENT_HOURS, { id: instrumentId }, as.manager);
      expect(cleared.data?.clearInstrumentOpeningHours.instrument.hasOwnOpeningHours).to.equal(false);
      expect(cleared.data?.clearInstrumentOpeningHours.instrument.openingHours).to.have.length(3);
    });

    it('refuses an empty week for an instrument (clear it or set its status instead)', async () => {
      const res = await server.gql(SET_INSTRUMENT_HOURS, { input: { instrumentId, windows: [] } }, as.manager);
      expect(res.data?.setInstrumentOpeningHours.errors[0]).to.deep.equal({ code: 'BAD_INPUT', field: 'windows', message: res.data?.setInstrumentOpeningHours.errors[0].message });
      expect(res.data?.setInstrumentOpeningHours.errors[0].message).to.match(/clearInstrumentOpeningHours/);
    });

    it("lets only the lab's managers and admins change hours", async () => {
      const input = { labId, windows: [{ weekday: 'THURSDAY', start: '08:00', end: '12:00' }, { weekday: 'THURSDAY', start: '13:00', end: '24:00' }, { weekday: 'MONDAY', start: '09:30', end: '18:00' }] };
      for (const who of ['otherManager', 'member'] as const) {
        const res = await server.gql(SET_LAB_HOURS, { input }, as[who]);
        expect(code(res), who).to.equal('FORBIDDEN');
      }
      expect(code(await server.gql(SET_LAB_HOURS, { input }))).to.equal('UNAUTHENTICATED');
      expect(code(await server.gql(CLEAR_INSTRUMENT_HOURS, { id: instrumentId }, as.otherManager))).to.equal('FORBIDDEN');
      const admin = await server.gql(SET_LAB_HOURS, { input }, as.admin);
      expect(admin.data?.setLabOpeningHours.errors).to.deep.equal([]);
    });

    it('answers NOT_FOUND for a lab or instrument that does not exist', async () => {
      const lab = await server.gql(SET_LAB_HOURS, { input: { labId: '999999', windows: [] } }, as.admin);
      expect(lab.data?.setLabOpeningHours.errors[0]).to.include({ code: 'NOT_FOUND', field: 'labId' });
      const instrument = await server.gql(CLEAR_INSTRUMENT_HOURS, { id: '999999' }, as.admin);
      expect(instrument.data?.clearInstrumentOpeningHours.errors[0]).to.include({ code: 'NOT_FOUND', field: 'instrumentId' });
    });
  });

  describe('booking rules', () => {
    it('changes only the rules given and keeps the rest', async () => {
      const res = await server.gql(SET_RULES, { input: { instrumentId, slotMinutes: 60, minMinutes: 60, bufferAfterMinutes: 15 } }, as.manager);
      expect(res.data?.setBookingRules.errors).to.deep.equal([]);
      expect(res.data?.setBookingRules.instrument.rules).to.deep.equal({ slotMinutes: 60, minMinutes: 60, maxMinutes: 480, minNoticeMinutes: 0, maxAdvanceDays: 365, bufferAfterMinutes: 15 });
    });

    it('refuses rules the scheduler cannot honour, naming each field, and changes nothing', async () => {
      const errorsFor = async (rules: Record<string, number>) =>
        ((await server.gql(SET_RULES, { input: { instrumentId, ...rules } }, as.manager)).data?.setBookingRules.errors as { field: string; code: string }[]);
      expect((await errorsFor({ slotMinutes: 7 })).map((e) => e.field)).to.deep.equal(['slotMinutes']);
      expect((await errorsFor({ minMinutes: 600, maxMinutes: 300 })).map((e) => e.field)).to.deep.equal(['minMinutes']);
      expect((await errorsFor({ maxMinutes: 14 * 24 * 60 + 1 })).map((e) => e.field)).to.deep.equal(['maxMinutes']);
      expect((await errorsFor({ bufferAfterMinutes: 24 * 60 + 1 })).map((e) => e.field)).to.deep.equal(['bufferAfterMinutes']);
      expect((await errorsFor({ minMinutes: 30, maxMinutes: 30 })).map((e) => e.field)).to.deep.equal(['maxMinutes']); // shorter than the 60-minute slot
      expect((await errorsFor({ minNoticeMinutes: -1, maxAdvanceDays: 0 })).map((e) => e.field)).to.deep.equal(['minNoticeMinutes', 'maxAdvanceDays']);
      expect((await errorsFor({ slotMinutes: 7 }))[0].code).to.equal('BAD_INPUT');
      const row = await Instrument.findByPk(Number(instrumentId), { raw: true });
      expect(row).to.include({ slotMinutes: 60, minMinutes: 60, maxMinutes: 480, bufferAfterMinutes: 15 });
    });

    it('is for the lab managers only', async () => {
      expect(code(await server.gql(SET_RULES, { input: { instrumentId, minMinutes: 30 } }, as.otherManager))).to.equal('FORBIDDEN');
      expect(code(await server.gql(SET_RULES, { input: { instrumentId, requiresApproval: true } }, as.member))).to.equal('FORBIDDEN');
      expect(code(await server.gql(SET_RULES, { input: { instrumentId, accessPolicy: 'QUALIFIED' } }, as.otherManager))).to.equal('FORBIDDEN');
      expect((await Instrument.findByPk(Number(instrumentId)))!.get({ plain: true })).to.include({ requiresApproval: false, accessPolicy: 'OPEN' });
    });

    it("lets the lab's manager require approval and limit who may book, and the next requests follow", async () => {
      const instrument = await makeInstrument({ labId: Number(labId), slotMinutes: 60, minMinutes: 60 });
      await setHours({ labId: Number(labId), instrumentId: instrument.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
      const request = (from: string, to: string, who: Record<string, string>) => server.gql(
        'mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { status } errors { code } } }',
        { input: { instrumentId: String(instrument.id), start: `2026-12-03T${from}:00+07:00`, end: `2026-12-03T${to}:00+07:00` } },
        who,
      );
      const outsider = await bearer((await makeUser()).id);
      expect((await request('09:00', '10:00', as.member)).data?.requestBooking).to.deep.equal({ booking: { status: 'CONFIRMED' }, errors: [] });

      const set = await server.gql(
        `mutation($input: SetBookingRulesInput!) { setBookingRules(input: $input) { instrument { requiresApproval accessPolicy rules { slotMinutes } } errors { code } } }`,
        { input: { instrumentId: String(instrument.id), requiresApproval: true, accessPolicy: 'MEMBERS' } },
        as.manager,
      );
      expect(set.data?.setBookingRules).to.deep.equal({ instrument: { requiresApproval: true, accessPolicy: 'MEMBERS', rules: { slotMinutes: 60 } }, errors: [] });
      expect((await request('11:00', '12:00', as.member)).data?.requestBooking).to.deep.equal({ booking: { status: 'PENDING' }, errors: [] });
      expect((await request('13:00', '14:00', outsider)).data?.requestBooking).to.deep.equal({ booking: null, errors: [{ code: 'NOT_QUALIFIED' }] });

      // Only what is given changes: the rules alone leave approval and the policy as they are.
      await server.gql(SET_RULES, { input: { instrumentId: String(instrument.id), maxAdvanceDays: 30 } }, as.manager);
      expect((await Instrument.findByPk(instrument.id))!.get({ plain: true })).to.include({ requiresApproval: true, accessPolicy: 'MEMBERS', maxAdvanceDays: 30 });
    });
  });

  describe('status', () => {
    it('closes an instrument under maintenance to new bookings, and reopens it', async () => {
      const down = await server.gql(SET_STATUS, { input: { instrumentId, status: 'MAINTENANCE' } }, as.manager);
      expect(down.data?.setInstrumentStatus).to.deep.equal({ instrument: { status: 'MAINTENANCE' }, errors: [] });
      expect((await server.gql(FREE, { ids: [instrumentId], ...thursday }, as.manager)).data?.availability[0].free).to.deep.equal([]);
      await server.gql(SET_STATUS, { input: { instrumentId, status: 'AVAILABLE' } }, as.manager);
      expect((await server.gql(FREE, { ids: [instrumentId], ...thursday }, as.manager)).data?.availability[0].free).to.have.length.greaterThan(0);
    });

    it('is for the lab managers only', async () => {
      expect(code(await server.gql(SET_STATUS, { input: { instrumentId, status: 'RETIRED' } }, as.member))).to.equal('FORBIDDEN');
    });
  });
});
