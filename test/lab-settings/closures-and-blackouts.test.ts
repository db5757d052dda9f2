import { expect } from 'chai';
import { fixedClock } from '../../src/clock';
import { LabClosure } from '../../src/db/models';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, addMember, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const HOLIDAYS = `query($id: ID!, $from: LocalDate!, $to: LocalDate!) {
  lab(id: $id) { holidays(from: $from, to: $to) { date kind reason start end } }
}`;
const ADD_DAYS = `mutation($input: AddClosureDaysInput!) { addClosureDays(input: $input) { days errors { code field message } } }`;
const REMOVE_DAYS = `mutation($input: RemoveClosureDaysInput!) { removeClosureDays(input: $input) { days errors { code field } } }`;
const IMPORT = `mutation($input: ImportClosuresInput!) { importClosures(input: $input) { lab { id } days errors { code field message } } }`;
const SET_HOLIDAYS = `mutation($input: SetPublicHolidaysInput!) {
  setPublicHolidays(input: $input) { lab { observesPublicHolidays holidayRegion } errors { code field message } }
}`;
const ADD_BLACKOUT = `mutation($input: AddBlackoutInput!) {
  addBlackout(input: $input) { blackout { id kind reason start end lab { id } instrument { id } } errors { code field message } }
}`;
const REMOVE_BLACKOUT = `mutation($id: ID!) { removeBlackout(id: $id) { removedId errors { code field } } }`;
const LIST_BLACKOUTS = `query($id: ID!) { lab(id: $id) { blackouts(first: 10) { nodes { id reason instrument { id } } pageInfo { hasNextPage } } } }`;
const AVAILABILITY = `query($ids: [ID!]!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: $ids, from: $from, to: $to) { free { start end } busy { start end kind } } }`;

const THINGYAN_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Yangon Joint Lab//Closures//EN',
  'BEGIN:VEVENT',
  'UID:thingyan-2027@lab.test',
  'DTSTART;VALUE=DATE:20270413',
  'DTEND;VALUE=DATE:20270417',
  'SUMMARY:Thingyan water festival',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:new-year-2027@lab.test',
  'DTSTART;VALUE=DATE:20270417',
  'SUMMARY:Myanmar New Year',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('lab settings: closure days, public holidays and blackouts', () => {
  let server: TestServer;
  let as: Record<'manager' | 'yangonManager' | 'member' | 'admin', Record<string, string>>;
  let bangkokLab: string;
  let yangonLab: string;
  let berlinLab: string;
  let instrumentId: string;
  const code = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0].extensions?.code;

  before(async () => {
    await resetTables();
    server = await startTestServer({ clock: fixedClock('2026-12-01T00:00:00Z') });
    const bangkok = await makeLab({ countryCode: 'TH', timeZone: 'Asia/Bangkok', observesPublicHolidays: false });
    const yangon = await makeLab({ countryCode: 'MM', timeZone: 'Asia/Yangon', observesPublicHolidays: false });
    const berlin = await makeLab({ countryCode: 'DE', timeZone: 'Europe/Berlin', observesPublicHolidays: false });
    [bangkokLab, yangonLab, berlinLab] = [bangkok, yangon, berlin].map((l) => String(l.id));
    instrumentId = String((await makeInstrument({ labId: bangkok.id })).id);
    await setHours({ labId: bangkok.id }, [{ weekdays: EVERY_DAY, from: '09:00', to: '17:00' }]);
    const [manager, yangonManager, member, admin] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser({ isAdmin: true })]);
    await addMember(manager.id, bangkok.id, 'MANAGER');
    await addMember(yangonManager.id, yangon.id, 'MANAGER');
    await addMember(member.id, bangkok.id, 'MEMBER');
    as = { manager: await bearer(manager.id), yangonManager: await bearer(yangonManager.id), member: await bearer(member.id), admin: await bearer(admin.id) };
  });

  after(async () => {
    await server.close();
  });

  describe('closure days and what closes a lab', () => {
    it('adds closure days, which close the lab in availability and show in lab.holidays with their reason', async () => {
      const added = await server.gql(ADD_DAYS, { input: { labId: bangkokLab, days: ['2026-12-24', '2026-12-23', '2026-12-24'], reason: 'Campus shutdown' } }, as.manager);
      expect(added.data?.addClosureDays).to.deep.equal({ days: ['2026-12-23', '2026-12-24'], errors: [] });
      const free = await server.gql(AVAILABILITY, { ids: [instrumentId], from: '2026-12-23T00:00:00+07:00', to: '2026-12-25T00:00:00+07:00' }, as.manager);
      expect(free.data?.availability[0].free).to.deep.equal([]);
      const listed = await server.gql(HOLIDAYS, { id: bangkokLab, from: '2026-12-01', to: '2026-12-31' }, { 'x-time-zone': 'Europe/Berlin' });
      expect(listed.data?.lab.holidays).to.deep.equal([
        { date: '2026-12-23', kind: 'CLOSURE', reason: 'Campus shutdown', start: '2026-12-22T18:00:00+01:00', end: '2026-12-23T18:00:00+01:00' },
        { date: '2026-12-24', kind: 'CLOSURE', reason: 'Campus shutdown', start: '2026-12-23T18:00:00+01:00', end: '2026-12-24T18:00:00+01:00' },
      ]);
    });

    it("lists the country's public holidays next to the closures once the lab observes them", async () => {
      const on = await server.gql(SET_HOLIDAYS, { input: { labId: bangkokLab, observesPublicHolidays: true } }, as.manager);
      expect(on.data?.setPublicHolidays).to.deep.equal({ lab: { observesPublicHolidays: true, holidayRegion: null }, errors: [] });
      const listed = await server.gql(HOLIDAYS, { id: bangkokLab, from: '2026-12-01', to: '2026-12-31' });
      expect(listed.data?.lab.holidays.map((h: { date: string; kind: string; reason: string }) => `${h.date} ${h.kind} ${h.reason}`)).to.deep.equal([
        "2026-12-05 PUBLIC_HOLIDAY King Bhumibol Adulyadej's Birthday",
        '2026-12-10 PUBLIC_HOLIDAY Constitution Day',
        '2026-12-23 CLOSURE Campus shutdown',
        '2026-12-24 CLOSURE Campus shutdown',
        "2026-12-31 PUBLIC_HOLIDAY New Year's Eve",
      ]);
      const off = await server.gql(SET_HOLIDAYS, { input: { labId: bangkokLab, observesPublicHolidays: false } }, as.manager);
      expect(off.data?.setPublicHolidays.lab.observesPublicHolidays).to.equal(false);
    });

    it('removes closure days and reports the ones that were closed', async () => {
      const res = await server.gql(REMOVE_DAYS, { input: { labId: bangkokLab, days: ['2026-12-23', '2026-12-25'] } }, as.manager);
      expect(res.data?.removeClosureDays).to.deep.equal({ days: ['2026-12-23'], errors: [] });
      expect(await LabClosure.count({ where: { labId: Number(bangkokLab) } })).to.equal(1);
    });

    it('refuses a closure without a reason or with too many days', async () => {
      const noReason = await server.gql(ADD_DAYS, { input: { labId: bangkokLab, days: ['2026-12-26'], reason: '  ' } }, as.manager);
      expect(noReason.data?.addClosureDays.errors[0]).to.include({ code: 'BAD_INPUT', field: 'reason' });
      const days = Array.from({ length: 367 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
      const tooMany = await server.gql(ADD_DAYS, { input: { labId: bangkokLab, days, reason: 'Long' } }, as.manager);
      expect(tooMany.data?.addClosureDays.errors[0]).to.include({ code: 'BAD_INPUT', field: 'days' });
    });

    it('limits lab.holidays to 366 days, from before to', async () => {
      expect(code(await server.gql(HOLIDAYS, { id: bangkokLab, from: '2026-01-01', to: '2027-01-02' }))).to.equal('BAD_USER_INPUT');
      expect(code(await server.gql(HOLIDAYS, { id: bangkokLab, from: '2026-12-31', to: '2026-12-01' }))).to.equal('BAD_USER_INPUT');
      expect((await server.gql(HOLIDAYS, { id: bangkokLab, from: '2026-01-01', to: '2027-01-01' })).errors).to.equal(undefined);
    });

    it("imports a Myanmar lab's Thingyan closures from an .ics file", async () => {
      const res = await server.gql(IMPORT, { input: { labId: yangonLab, ics: THINGYAN_ICS } }, as.yangonManager);
      expect(res.data?.importClosures).to.deep.equal({
        lab: { id: yangonLab }, days: ['2027-04-13', '2027-04-14', '2027-04-15', '2027-04-16', '2027-04-17'], errors: [],
      });
      const listed = await server.gql(HOLIDAYS, { id: yangonLab, from: '2027-04-01', to: '2027-04-30' }, { 'x-time-zone': 'Asia/Yangon' });
      expect(listed.data?.lab.holidays[0]).to.deep.equal({ date: '2027-04-13', kind: 'CLOSURE', reason: 'Thingyan water festival', start: '2027-04-13T00:00:00+06:30', end: '2027-04-14T00:00:00+06:30' });
      expect(listed.data?.lab.holidays[4].reason).to.equal('Myanmar New Year');
      // Importing the same file again changes nothing.
      await server.gql(IMPORT, { input: { labId: yangonLab, ics: THINGYAN_ICS } }, as.yangonManager);
      expect(await LabClosure.count({ where: { labId: Number(yangonLab) } })).to.equal(5);
    });

    it('previews an .ics import with dryRun: the days and reasons it would close, and closes nothing', async () => {
      const preview = `mutation($input: ImportClosuresInput!) { importClosures(input: $input) { days preview { date kind reason start } errors { code } } }`;
      await LabClosure.destroy({ where: { labId: Number(yangonLab) } });
      const res = await server.gql(preview, { input: { labId: yangonLab, ics: THINGYAN_ICS, dryRun: true } }, { ...as.yangonManager, 'x-time-zone': 'Asia/Yangon' });
      expect(res.data?.importClosures.errors).to.deep.equal([]);
      expect(res.data?.importClosures.preview).to.have.length(5);
      expect(res.data?.importClosures.preview[0]).to.deep.equal({ date: '2027-04-13', kind: 'CLOSURE', reason: 'Thingyan water festival', start: '2027-04-13T00:00:00+06:30' });
      expect(res.data?.importClosures.preview[4]).to.include({ date: '2027-04-17', reason: 'Myanmar New Year' });
      expect(await LabClosure.count({ where: { labId: Number(yangonLab) } })).to.equal(0);
    });

    it('answers INVALID_ICS naming the line for a file it cannot read, and imports nothing', async () => {
      const broken = THINGYAN_ICS.replace('DTSTART;VALUE=DATE:20270413', 'DTSTART;VALUE=DATE:2027-04-13');
      const res = await server.gql(IMPORT, { input: { labId: bangkokLab, ics: broken } }, as.manager);
      expect(res.data?.importClosures.lab).to.equal(null);
      expect(res.data?.importClosures.errors[0]).to.include({ code: 'INVALID_ICS', field: 'ics' });
      expect(res.data?.importClosures.errors[0].message).to.match(/Line 6/);
      const notIcs = await server.gql(IMPORT, { input: { labId: bangkokLab, ics: 'hello' } }, as.manager);
      expect(notIcs.data?.importClosures.errors[0].code).to.equal('INVALID_ICS');
      expect(await LabClosure.count({ where: { labId: Number(bangkokLab) } })).to.equal(1);
    });

    it('refuses public holidays where there is no data, and a region the country does not have', async () => {
      const myanmar = await server.gql(SET_HOLIDAYS, { input: { labId: yangonLab, observesPublicHolidays: true } }, as.yangonManager);
      expect(myanmar.data?.setPublicHolidays.errors[0]).to.include({ code: 'BAD_INPUT', field: 'observesPublicHolidays' });
      expect(myanmar.data?.setPublicHolidays.errors[0].message).to.match(/closure days/);
      const bavaria = await server.gql(SET_HOLIDAYS, { input: { labId: berlinLab, observesPublicHolidays: true, holidayRegion: 'by' } }, as.admin);
      expect(bavaria.data?.setPublicHolidays).to.deep.equal({ lab: { observesPublicHolidays: true, holidayRegion: 'BY' }, errors: [] });
      const nowhere = await server.gql(SET_HOLIDAYS, { input: { labId: berlinLab, observesPublicHolidays: true, holidayRegion: 'XX' } }, as.admin);
      expect(nowhere.data?.setPublicHolidays.errors[0]).to.include({ code: 'BAD_INPUT', field: 'holidayRegion' });
    });

    it("lets only the lab's managers and admins change closures and holidays", async () => {
      const days = { labId: bangkokLab, days: ['2026-12-26'], reason: 'x' };
      expect(code(await server.gql(ADD_DAYS, { input: days }, as.yangonManager))).to.equal('FORBIDDEN');
      expect(code(await server.gql(ADD_DAYS, { input: days }, as.member))).to.equal('FORBIDDEN');
      expect(code(await server.gql(REMOVE_DAYS, { input: { labId: bangkokLab, days: ['2026-12-24'] } }, as.yangonManager))).to.equal('FORBIDDEN');
      expect(code(await server.gql(IMPORT, { input: { labId: bangkokLab, ics: THINGYAN_ICS } }, as.yangonManager))).to.equal('FORBIDDEN');
      expect(code(await server.gql(SET_HOLIDAYS, { input: { labId: bangkokLab, observesPublicHolidays: true } }, as.yangonManager))).to.equal('FORBIDDEN');
      expect(code(await server.gql(ADD_DAYS, { input: days }))).to.equal('UNAUTHENTICATED');
    });
  });

  describe('blackouts', () => {
    let labBlackoutId: string;

    it('adds a lab-wide maintenance blackout that shows as busy BLACKOUT time', async () => {
      const res = await server.gql(ADD_BLACKOUT, {
        input: { labId: bangkokLab, kind: 'MAINTENANCE', reason: 'Chiller service', start: '2026-12-03T10:00:00+07:00', end: '2026-12-03T12:00:00+07:00' },
      }, { ...as.manager, 'x-time-zone': 'Asia/Bangkok' });
      expect(res.data?.addBlackout.errors).to.deep.equal([]);
      const blackout = res.data?.addBlackout.blackout;
      expect(blackout).to.deep.include({ kind: 'MAINTENANCE', reason: 'Chiller service', start: '2026-12-03T10:00:00+07:00', end: '2026-12-03T12:00:00+07:00', lab: { id: bangkokLab }, instrument: null });
      labBlackoutId = blackout.id;
      const availability = await server.gql(AVAILABILITY, { ids: [instrumentId], from: '2026-12-03T00:00:00+07:00', to: '2026-12-04T00:00:00+07:00' }, { ...as.member, 'x-time-zone': 'Asia/Bangkok' });
      expect(availability.data?.availability[0].busy).to.deep.equal([{ start: '2026-12-03T10:00:00+07:00', end: '2026-12-03T12:00:00+07:00', kind: 'BLACKOUT' }]);
      expect(availability.data?.availability[0].free).to.deep.equal([
        { start: '2026-12-03T09:00:00+07:00', end: '2026-12-03T10:00:00+07:00' },
        { start: '2026-12-03T12:00:00+07:00', end: '2026-12-03T17:00:00+07:00' },
      ]);
    });

    it("adds an instrument's own training blackout by instrumentId", async () => {
      const res = await server.gql(ADD_BLACKOUT, { input: { instrumentId, kind: 'TRAINING', start: '2026-12-04T02:00:00Z', end: '2026-12-04T03:00:00Z' } }, as.manager);
      expect(res.data?.addBlackout.blackout).to.deep.include({ kind: 'TRAINING', reason: '', lab: { id: bangkokLab }, instrument: { id: instrumentId } });
    });

    it('refuses blackouts that end before they start, last over 366 days or name no target', async () => {
      const add = async (input: Record<string, unknown>) => (await server.gql(ADD_BLACKOUT, { input }, as.manager)).data?.addBlackout;
      const backwards = await add({ labId: bangkokLab, start: '2026-12-03T12:00:00Z', end: '2026-12-03T10:00:00Z' });
      expect(backwards.errors[0]).to.include({ code: 'INVALID_TIME_RANGE', field: 'end' });
      expect(backwards.blackout).to.equal(null);
      expect((await add({ labId: bangkokLab, start: '2026-12-03T00:00:00Z', end: '2027-12-05T00:00:00Z' })).errors[0]).to.include({ code: 'BAD_INPUT', field: 'end' });
      expect((await add({ start: '2026-12-03T00:00:00Z', end: '2026-12-04T00:00:00Z' })).errors[0]).to.include({ code: 'BAD_INPUT', field: 'labId' });
      expect((await add({ labId: yangonLab, instrumentId, start: '2026-12-03T00:00:00Z', end: '2026-12-04T00:00:00Z' })).errors[0]).to.include({ code: 'BAD_INPUT', field: 'labId' });
      expect((await add({ labId: bangkokLab, reason: 'x'.repeat(501), start: '2026-12-03T00:00:00Z', end: '2026-12-04T00:00:00Z' })).errors[0]).to.include({ code: 'BAD_INPUT', field: 'reason' });
    });

    it("lists the lab's blackouts for its managers only", async () => {
      const mine = await server.gql(LIST_BLACKOUTS, { id: bangkokLab }, as.manager);
      expect(mine.data?.lab.blackouts.nodes.map((b: { reason: string; instrument: { id: string } | null }) => [b.reason, b.instrument?.id ?? null])).to.deep.equal([
        ['Chiller service', null],
        ['', instrumentId],
      ]);
      const theirs = await server.gql(LIST_BLACKOUTS, { id: bangkokLab }, as.member);
      expect(code(theirs)).to.equal('FORBIDDEN');
    });

    it("lets only the lab's managers add or remove blackouts", async () => {
      expect(code(await server.gql(ADD_BLACKOUT, { input: { instrumentId, start: '2026-12-05T00:00:00Z', end: '2026-12-05T01:00:00Z' } }, as.yangonManager))).to.equal('FORBIDDEN');
      expect(code(await server.gql(REMOVE_BLACKOUT, { id: labBlackoutId }, as.yangonManager))).to.equal('FORBIDDEN');
      expect(code(await server.gql(REMOVE_BLACKOUT, { id: labBlackoutId }, as.member))).to.equal('FORBIDDEN');
    });

    it('removes a blackout, after which removing it again answers NOT_FOUND', async () => {
      const removed = await server.gql(REMOVE_BLACKOUT, { id: labBlackoutId }, as.manager);
      expect(removed.data?.removeBlackout).to.deep.equal({ removedId: labBlackoutId, errors: [] });
      const again = await server.gql(REMOVE_BLACKOUT, { id: labBlackoutId }, as.manager);
      expect(again.data?.removeBlackout.errors[0]).to.include({ code: 'NOT_FOUND', field: 'id' });
    });
  });
});
