// Lab managers and admins in a real browser (Debian's Chromium) against the real server on the seeded demo: the
// shared browser and web build of test/helpers/browser.ts.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_USERS } from '../../seeders/data/users';
import { seedDemo } from '../../seeders/demo';
import fs from 'node:fs';
import { ApiKey, Blackout, WebhookSubscription, Booking, Institution, Instrument, InstrumentQualification, Lab, LabClosure, UsageLog, User } from '../../src/db/models';
import type { InstrumentRow, UserRow } from '../../src/db/rows';
import { addMember, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser, setHours, WEEKDAYS } from '../helpers/factories';
import { rawQuery } from '../../src/db/raw';
import { ensureWebBuilt, newContext, screenshot, seriousAxeViolations } from '../helpers/browser';
import { resetTables } from '../helpers/db';
import { bearer, startTestServer, type TestServer } from '../helpers/server';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../jobs/webhooks';
import { obliterateQueues, startTestPipeline, startWebhookReceiver } from '../jobs/support';

const KRIOS = 'Thermo Fisher Krios G4 Cryo-TEM'; // Bangkok structural biology lab, needs approval, its own 24/7 hours
const GLACIOS = 'Thermo Fisher Glacios 2 Cryo-TEM'; // same lab, follows the lab's hours (weekdays 08:00–20:00)
const XTALAB = 'Rigaku XtaLAB Synergy-S Single-Crystal Diffractometer'; // same lab, open to all, no approval
const RESEARCHER = /Nguyễn Thị Lan/; // Hanoi (VNU, Viet Nam)
const MANAGER = /Pornthip Srisuk/; // manages the Bangkok lab, Asia/Bangkok
const ADMIN = /LabShare Platform Admin/;

describe('web app: lab managers and admins run labs in the browser', function () {
  this.timeout(60_000);
  let server: TestServer;
  let researcherId: number;
  let managerId: number;
  const contexts: BrowserContext[] = [];

  async function expectAccessible(page: Page, what: string) {
    const violations = await seriousAxeViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 1)}`).to.deep.equal([]);
  }

  /** A browser signed in through the demo sign-in page as the person whose button matches `who`. */
  async function signedIn(who: RegExp, options: Parameters<typeof newContext>[0] = {}): Promise<Page> {
    const context = await newContext(options);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/auth\/sign-in/);
    await page.getByRole('button', { name: who }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
  }

  async function openApprovals(page: Page) {
    await page.getByRole('link', { name: 'Approvals' }).click();
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
    await page.locator('article.approval').first().waitFor();
  }

  /** A new PENDING request of the researcher on the Krios, in its first free run `weeks` weeks on. */
  async function pendingRequest(weeks: number, purpose: string): Promise<number> {
    const krios = (await Instrument.findOne({ where: { name: KRIOS }, raw: true }))!;
    const auth = await bearer(researcherId);
    const from = DateTime.now().setZone('Asia/Bangkok').startOf('week').plus({ weeks });
    const free = await server.gql<{ availability: { free: { start: string; end: string }[] }[] }>(
      'query($id: ID!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: [$id], from: $from, to: $to) { free { start end } } }',
      { id: String(krios.id), from: from.toISO(), to: from.plus({ days: 7 }).toISO() },
      auth,
    );
    const start = DateTime.fromISO(free.data!.availability[0].free[0].start, { setZone: true });
    const answer = await server.gql<{ requestBooking: { booking: { id: string; status: string } | null; errors: { code: string }[] } }>(
      'mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id status } errors { code } } }',
      { input: { instrumentId: String(krios.id), start: start.toISO(), end: start.plus({ minutes: krios.minMinutes }).toISO(), purpose } },
      auth,
    );
    expect(answer.data!.requestBooking.errors).to.deep.equal([]);
    expect(answer.data!.requestBooking.booking!.status).to.equal('PENDING');
    return Number(answer.data!.requestBooking.booking!.id);
  }

  before(async function () {
    this.timeout(240_000);
    ensureWebBuilt();
    const sequelize = await resetTables();
    await seedDemo(sequelize, { now: DateTime.now() });
    researcherId = (await User.findOne({ where: { email: DEMO_USERS.researcher }, raw: true }))!.id;
    managerId = (await User.findOne({ where: { email: DEMO_USERS.manager }, raw: true }))!.id;
    // The demo manager reads Thai and the researcher Vietnamese, which the app now speaks; these tests find things by
    // their English labels, so both read English here (the zh-CN test switches language on purpose).
    await User.update({ locale: 'en' }, { where: { id: [managerId, researcherId] } });
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await User.update({ locale: 'en' }, { where: { id: managerId } });
  });

  it('approves a pending request by a researcher from another country, and the researcher sees it CONFIRMED', async () => {
    const seeded = (await Booking.findOne({ where: { userId: researcherId, status: 'PENDING' }, raw: true }))!;
    const page = await signedIn(MANAGER);
    await openApprovals(page);
    const item = page.locator(`article.approval[data-booking-id="${seeded.id}"]`);
    await item.getByRole('heading', { name: 'Nguyễn Thị Lan' }).waitFor();
    const text = (await item.textContent())!;
    expect(text).to.contain('Vietnam').and.contain(KRIOS).and.contain(seeded.purpose);
    expect(text).to.match(/Your time.*UTC\+07:00/).and.match(/Waiting for/);
    await screenshot(page, 'approvals');
    await expectAccessible(page, 'approvals');
    await item.getByLabel('Note to the requester (optional)').fill('Bring your own grids');
    await item.getByRole('button', { name: 'Approve', exact: true }).click();
    await item.getByRole('status').getByText('Confirmed', { exact: true }).waitFor();
    const row = await Booking.findByPk(seeded.id, { raw: true });
    expect(row?.status).to.equal('CONFIRMED');
    expect(row?.decisionNote).to.equal('Bring your own grids');

    const researcher = await signedIn(RESEARCHER);
    await researcher.getByRole('link', { name: 'My bookings' }).click();
    const booking = researcher.locator('article.booking', { hasText: KRIOS }).filter({ hasText: seeded.purpose });
    await booking.locator('.booking-summary').getByText('Confirmed', { exact: true }).waitFor();
  });

  it('shows the second of two managers deciding the same request that it was already decided, without overwriting it', async () => {
    const id = await pendingRequest(2, 'two managers at once');
    const manager = await signedIn(MANAGER);
    const admin = await signedIn(ADMIN);
    await openApprovals(manager);
    await openApprovals(admin);
    const first = manager.locator(`article.approval[data-booking-id="${id}"]`);
    const second = admin.locator(`article.approval[data-booking-id="${id}"]`);
    await second.waitFor();
    await first.getByRole('button', { name: 'Approve', exact: true }).click();
    await first.getByRole('status').getByText('Confirmed', { exact: true }).waitFor();
    await second.getByRole('button', { name: 'Reject', exact: true }).click();
    await second.getByText('Someone else decided this request in the meantime').waitFor();
    await second.getByRole('status').getByText('Confirmed', { exact: true }).waitFor();
    expect((await Booking.findByPk(id, { raw: true }))?.status).to.equal('CONFIRMED');
  });

  it('approves several requests at once with one note', async () => {
    const a = await pendingRequest(3, 'bulk one');
    const b = await pendingRequest(4, 'bulk two');
    const page = await signedIn(MANAGER);
    await openApprovals(page);
    for (const id of [a, b]) await page.locator(`article.approval[data-booking-id="${id}"] input[type=checkbox]`).check();
    await page.getByLabel('Note to the requesters (optional)').fill('Approved in one go');
    await page.getByRole('button', { name: 'Approve selected (2)' }).click();
    for (const id of [a, b]) await page.locator(`article.approval[data-booking-id="${id}"]`).getByRole('status').getByText('Confirmed').waitFor();
    const rows = await Booking.findAll({ where: { id: [a, b] }, raw: true });
    expect(rows.map((r) => [r.status, r.decisionNote])).to.deep.equal([['CONFIRMED', 'Approved in one go'], ['CONFIRMED', 'Approved in one go']]);
  });

  async function openSettings(page: Page): Promise<number> {
    const labId = (await Instrument.findOne({ where: { name: KRIOS }, raw: true }))!.labId;
    await page.getByRole('link', { name: 'Lab settings' }).click();
    await page.getByRole('link', { name: 'Thailand–China Joint Lab for Structural Biology' }).click();
    await page.getByRole('heading', { level: 1, name: /^Settings: / }).waitFor();
    expect(page.url()).to.equal(`${server.url}/labs/${labId}/settings`);
    return labId;
  }

  it("edits the lab's weekly opening hours, and the researcher's calendar opens on Saturday", async () => {
    const glacios = (await Instrument.findOne({ where: { name: GLACIOS }, raw: true }))!;
    // A Thai public holiday on that Saturday would keep it closed whatever the hours say.
    await Lab.update({ observesPublicHolidays: false }, { where: { id: glacios.labId } });
    const week = DateTime.now().setZone('Asia/Bangkok').startOf('week').plus({ weeks: 2 });
    const researcher = await signedIn(RESEARCHER);
    const saturdayFree = async () => {
      await researcher.goto(`${server.url}/instruments/${glacios.id}?week=${week.toISODate()}`);
      await researcher.locator('button.cell.free').first().waitFor();
      return researcher.locator('ul.day[aria-label^="Saturday"] button.cell.free').count();
    };
    expect(await saturdayFree()).to.equal(0);

    const page = await signedIn(MANAGER);
    await openSettings(page);
    const hours = page.locator('section[aria-labelledby="hours-heading"]');
    await hours.getByRole('button', { name: 'Add a window on Saturday' }).click();
    const saturday = hours.getByRole('group', { name: 'Saturday' });
    await saturday.getByLabel('Opens').fill('09:00');
    await saturday.getByLabel('Closes').fill('13:00');
    await screenshot(page, 'lab-settings');
    await expectAccessible(page, 'lab settings');
    await hours.getByRole('button', { name: 'Save opening hours' }).click();
    await hours.getByRole('status').getByText('Saved.').waitFor();

    expect(await saturdayFree()).to.equal(4); // 09:00–13:00 on the one-hour grid
  });

  it('shows an .ics file\'s closure days in a preview before importing them', async () => {
    const page = await signedIn(MANAGER);
    const labId = await openSettings(page);
    await LabClosure.destroy({ where: { labId } });
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
      'BEGIN:VEVENT', 'UID:a@test', 'DTSTART;VALUE=DATE:20270105', 'DTEND;VALUE=DATE:20270107', 'SUMMARY:Cryo-EM facility audit', 'END:VEVENT',
      'END:VCALENDAR'].join('\r\n');
    await page.getByLabel('Calendar file (.ics)').setInputFiles({ name: 'audit.ics', mimeType: 'text/calendar', buffer: Buffer.from(ics) });
    const preview = page.locator('.preview');
    await preview.getByText('2 days would be closed by audit.ics:').waitFor();
    expect(await preview.locator('tbody tr').allTextContents()).to.deep.equal(['Tue, January 5, 2027Cryo-EM facility audit', 'Wed, January 6, 2027Cryo-EM facility audit']);
    expect(await LabClosure.count({ where: { labId } }), 'nothing closed by the preview').to.equal(0);
    await expectAccessible(page, 'lab settings with .ics preview');
    await page.getByRole('button', { name: 'Import 2 days' }).click();
    await page.getByText('2 days closed.').waitFor();
    expect((await LabClosure.findAll({ where: { labId }, raw: true, order: [['day', 'ASC']] })).map((c) => [String(c.day), c.reason])).to.deep.equal([
      ['2027-01-05', 'Cryo-EM facility audit'], ['2027-01-06', 'Cryo-EM facility audit'],
    ]);
  });

  it('shows the booking a new blackout would overlap before adding it', async () => {
    const id = await pendingRequest(6, 'in the way of maintenance');
    const booking = (await Booking.findByPk(id, { raw: true }))!;
    const local = (d: Date) => DateTime.fromJSDate(d).setZone('Asia/Bangkok').toFormat("yyyy-MM-dd'T'HH:mm");
    const page = await signedIn(MANAGER);
    await openSettings(page);
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Add a blackout' }) });
    await form.getByLabel('Instrument').selectOption({ label: KRIOS });
    await form.getByLabel(/^Start/).fill(local(DateTime.fromJSDate(booking.startAt).minus({ hours: 1 }).toJSDate()));
    await form.getByLabel(/^End/).fill(local(DateTime.fromJSDate(booking.endAt).plus({ hours: 1 }).toJSDate()));
    await form.getByLabel(/^Reason/).fill('Autoloader service');
    await form.getByRole('button', { name: 'Show affected bookings' }).click();
    const affected = form.locator(`.affected li[data-booking-id="${id}"]`);
    await affected.waitFor();
    expect(await affected.textContent()).to.contain(KRIOS).and.contain('Nguyễn Thị Lan');
    expect(await Blackout.count({ where: { reason: 'Autoloader service' } }), 'not added before the manager confirms').to.equal(0);
    await form.getByRole('button', { name: 'Add blackout' }).click();
    await page.getByText('Autoloader service').first().waitFor();
    const added = await Blackout.findOne({ where: { reason: 'Autoloader service' }, raw: true });
    expect(added?.instrumentId).to.equal(booking.instrumentId);
    expect(added?.kind).to.equal('MAINTENANCE');
  });

  /**
   * The usage fixture of test/usage/usage-reports.test.ts, in a lab the demo manager runs: a Bangkok week (Monday
   * 2026-03-02 to Sunday 2026-03-08), weekdays 09:00–17:00, closed on Wednesday; Krios 13:00–17:00 of its own.
   */
  async function usageFixture(): Promise<number> {
    const lab = await makeLab({ name: 'Fixture Structural Biology Lab', timeZone: 'Asia/Bangkok' });
    await addMember(managerId, lab.id, 'MANAGER');
    await setHours({ labId: lab.id }, [{ weekdays: WEEKDAYS, from: '09:00', to: '17:00' }]);
    const orbitrap = await makeInstrument({ labId: lab.id, name: 'Orbitrap' });
    const krios = await makeInstrument({ labId: lab.id, name: 'Krios' });
    await setHours({ labId: lab.id, instrumentId: krios.id }, [{ weekdays: WEEKDAYS, from: '13:00', to: '17:00' }]);
    await makeInstrument({ labId: lab.id, name: 'Idle NMR' });
    await LabClosure.create({ labId: lab.id, day: '2026-03-04', reason: 'Maintenance day' });
    const th = await makeUser({ institutionId: (await makeInstitution({ name: 'Fixture Chula', countryCode: 'TH' })).id, name: '@SUM(1+1)' });
    const fudan = await makeInstitution({ name: 'Fixture Fudan', countryCode: 'CN', timeZone: 'Asia/Shanghai' });
    const cn1 = await makeUser({ institutionId: fudan.id });
    const cn2 = await makeUser({ institutionId: fudan.id });
    const vn = await makeUser({ institutionId: (await makeInstitution({ name: 'Fixture VNU', countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' })).id });
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
    await log(orbitrap, cn1, '2026-03-09T09:00:00+07:00', 60, 60); // the Monday after: outside
    return lab.id;
  }

  const tableRows = (page: Page, id: string) =>
    page.locator(`#${id} tbody tr`).evaluateAll((rows) => rows.map((r) => (r as unknown as { innerText: string }).innerText.split('\t').map((c) => c.trim())));

  it('shows a week of usage by instrument, institution and country with the figures computed by hand, and exports them as CSV', async () => {
    const labId = await usageFixture();
    const page = await signedIn(MANAGER);
    await page.goto(`${server.url}/usage?lab=${labId}&from=2026-03-02&to=2026-03-08`);
    await page.locator('#byInstrument-table tbody tr').first().waitFor();
    // Open hours: 4 days × 8 h = 32 h a lab-hours instrument, 4 × 4 h = 16 h for Krios; 80 h in all.
    expect(await page.locator('.totals dd').allTextContents()).to.deep.equal(['12', '10.33', '12.9%', '5', '1', '80']);
    expect(await tableRows(page, 'byInstrument-table')).to.have.deep.members([
      ['Orbitrap', '7', '5.83', '3', '1', '32', '18.2%'],
      ['Krios', '5', '4.5', '2', '0', '16', '28.1%'],
      ['Idle NMR', '0', '0', '0', '0', '32', '0%'],
    ]);
    expect(await tableRows(page, 'byCountry-table')).to.deep.equal([
      ['China', '7', '6.5', '2', '0', '80', '8.1%'],
      ['Thailand', '4', '3.83', '2', '0', '80', '4.8%'],
      ['Vietnam', '1', '0', '1', '1', '80', '0%'],
    ]);
    await page.locator('.chart canvas').first().waitFor();
    await screenshot(page, 'usage');
    await expectAccessible(page, 'usage');

    const [summary] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export figures (CSV)' }).click()]);
    const csv = fs.readFileSync((await summary.path())!, 'utf8').split('\r\n');
    expect(csv[0]).to.equal('group,key,label,hours_booked,hours_used,bookings,no_shows,open_hours,utilisation');
    expect(csv).to.include.members([
      `instrument,${(await Instrument.findOne({ where: { labId, name: 'Orbitrap' }, raw: true }))!.id},Orbitrap,7,5.83,3,1,32,0.1823`,
      'country,CN,China,7,6.5,2,0,80,0.0813',
      'country,VN,Vietnam,1,0,1,1,80,0',
      'total,,Fixture Structural Biology Lab,12,10.33,5,1,80,0.1292',
    ]);
    const [logs] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export usage logs (CSV)' }).click()]);
    const logLines = fs.readFileSync((await logs.path())!, 'utf8').trim().split('\r\n');
    expect(logLines).to.have.length(6); // header and the five logs of the week
    // A booker named like a formula is written as text: the cell starts with an apostrophe.
    expect(logLines[1]).to.equal("2026-03-02T09:00:00.000+07:00,2026-03-02T11:00:00.000+07:00,Orbitrap,'@SUM(1+1),Fixture Chula,TH,COMPLETED,120,110");
  });

  it('qualifies a member of the lab on an instrument by e-mail and revokes it, and finds no one the lab is not linked to', async () => {
    const glacios = (await Instrument.findOne({ where: { name: GLACIOS }, raw: true }))!;
    const member = (await User.findOne({ where: { email: 'kittipong.c@chula.example.ac.th' }, raw: true }))!;
    const stranger = await makeUser({ email: 'stranger@elsewhere.test', name: 'Not Linked' });
    const page = await signedIn(MANAGER);
    await openSettings(page);
    const instrument = page.locator(`details[data-instrument-id="${glacios.id}"]`);
    await instrument.locator('summary').click();
    const email = instrument.getByLabel('E-mail of a person linked to this lab');
    await email.fill(stranger.email);
    await instrument.getByRole('button', { name: 'Qualify' }).click();
    await instrument.getByText('No one linked to this lab (a member, booker or qualified user) has this e-mail address.').waitFor();
    await email.fill(member.email);
    await instrument.getByRole('button', { name: 'Qualify' }).click();
    const revoke = instrument.getByRole('button', { name: 'Revoke Kittipong Chaiyaporn' });
    await revoke.waitFor();
    expect(await InstrumentQualification.count({ where: { instrumentId: glacios.id, userId: member.id } })).to.equal(1);
    expect(await InstrumentQualification.count({ where: { instrumentId: glacios.id, userId: stranger.id } })).to.equal(0);
    await expectAccessible(page, 'lab settings with qualifications');
    await revoke.click();
    await revoke.waitFor({ state: 'detached' });
    expect(await InstrumentQualification.count({ where: { instrumentId: glacios.id, userId: member.id } })).to.equal(0);
  });

  it("switches an instrument to approval required in its booking rules, and the researcher's next request is PENDING", async () => {
    const xtalab = (await Instrument.findOne({ where: { name: XTALAB } }))!;
    expect(xtalab.get({ plain: true })).to.include({ requiresApproval: false, accessPolicy: 'OPEN' });
    const page = await signedIn(MANAGER);
    await openSettings(page);
    const instrument = page.locator(`details[data-instrument-id="${xtalab.id}"]`);
    await instrument.locator('summary').click();
    const rules = instrument.locator('form.rules-form');
    expect(await rules.getByLabel('Who may book').inputValue()).to.equal('OPEN');
    await rules.getByLabel("Requests wait for a manager's approval").check();
    await rules.getByLabel('Who may book').selectOption({ label: 'qualified users only' });
    await rules.getByLabel('Who may book').selectOption({ label: 'any researcher' });
    await expectAccessible(page, 'lab settings with approval and who may book');
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await rules.getByRole('status').getByText('Saved.').waitFor();
    expect((await Instrument.findByPk(xtalab.id))!.get({ plain: true })).to.include({ requiresApproval: true, accessPolicy: 'OPEN' });

    const auth = await bearer(researcherId);
    const from = DateTime.now().setZone('Asia/Bangkok').startOf('week').plus({ weeks: 3 });
    const free = await server.gql<{ availability: { free: { start: string }[] }[] }>(
      'query($id: ID!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: [$id], from: $from, to: $to) { free { start } } }',
      { id: String(xtalab.id), from: from.toISO(), to: from.plus({ days: 7 }).toISO() },
      auth,
    );
    const start = DateTime.fromISO(free.data!.availability[0].free[0].start, { setZone: true });
    const answer = await server.gql<{ requestBooking: { booking: { status: string } | null; errors: { code: string }[] } }>(
      'mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { status } errors { code } } }',
      { input: { instrumentId: String(xtalab.id), start: start.toISO(), end: start.plus({ minutes: xtalab.minMinutes }).toISO() } },
      auth,
    );
    expect(answer.data!.requestBooking).to.deep.equal({ booking: { status: 'PENDING' }, errors: [] });
  });

  it('lets an admin create a partner key shown once, with which a partner reads availability; the list shows its last use, and revoking stops it', async () => {
    const krios = (await Instrument.findOne({ where: { name: KRIOS }, raw: true }))!;
    const page = await signedIn(ADMIN);
    await page.getByRole('link', { name: 'Platform' }).click();
    await page.getByRole('heading', { level: 1, name: 'Platform' }).waitFor();
    await page.getByRole('link', { name: 'Queue dashboard' }).waitFor();
    expect(await page.getByRole('link', { name: 'Metrics' }).getAttribute('href')).to.equal('/metrics');
    await page.getByLabel('Institution', { exact: true }).selectOption({ label: 'Chulalongkorn University (TH)' });
    await page.getByLabel('Name', { exact: true }).fill('Chula booking portal');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.locator('#new-key').textContent())!;
    expect(key.length).to.be.greaterThan(20);
    await screenshot(page, 'platform');
    await expectAccessible(page, 'platform');
    const row = page.locator('#keys-table tbody tr', { hasText: 'Chula booking portal' });
    expect(await row.locator('.last-used').textContent()).to.equal('Never');

    const from = DateTime.now().plus({ days: 7 }).startOf('day');
    const read = () => server.gql<{ availability: { free: unknown[] }[] }>(
      'query($id: ID!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: [$id], from: $from, to: $to) { free { start end } } }',
      { id: String(krios.id), from: from.toISO(), to: from.plus({ days: 1 }).toISO() },
      { authorization: `ApiKey ${key}` },
    );
    const answer = await read();
    expect(answer.errors).to.equal(undefined);
    expect(answer.data!.availability[0].free.length).to.be.greaterThan(0);

    // The last use is written beside the request (not in its way): wait for it, then look again.
    for (let i = 0; i < 50 && !(await ApiKey.findOne({ where: { name: 'Chula booking portal' }, raw: true }))?.lastUsedAt; i++) await page.waitForTimeout(100);
    await page.reload();
    await row.locator('.last-used').filter({ hasNotText: 'Never' }).waitFor();
    expect(await page.locator('#new-key').count(), 'the key is not shown again').to.equal(0);
    await row.getByRole('button', { name: 'Revoke Chula booking portal' }).click();
    await row.getByText(/^Revoked /).waitFor();
    expect((await read()).status).to.equal(401);
  });

  it('lets an admin create a webhook with its secret shown once, refusing an address that is not http(s) in place, and shows the delivery log', async () => {
    const page = await signedIn(ADMIN);
    await page.getByRole('link', { name: 'Platform' }).click();
    await page.getByLabel('Institution', { exact: true }).selectOption({ label: 'Vietnam National University, Hanoi (VN)' });
    await page.getByLabel('URL', { exact: true }).fill('ftp://partner.example/hooks');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('This address is not accepted').waitFor();
    expect(await WebhookSubscription.count({ where: { url: 'ftp://partner.example/hooks' } })).to.equal(0);
    await page.getByLabel('URL', { exact: true }).fill('https://8.8.8.8/labshare-hooks');
    await page.getByLabel(/^Event types/).fill('booking.confirmed, booking.cancelled');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    expect(await page.locator('#new-secret').textContent()).to.match(/^whsec_/);
    await page.locator('#hooks-list li', { hasText: 'https://8.8.8.8/labshare-hooks' }).getByText(/booking\.confirmed, booking\.cancelled · active/).waitFor();
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
    await expectAccessible(page, 'platform webhooks');
    const row = await WebhookSubscription.findOne({ where: { url: 'https://8.8.8.8/labshare-hooks' }, raw: true });
    expect(Boolean(row?.active)).to.equal(true);
  });

  it('lets an admin send a test event to a webhook on a listener on 127.0.0.1, which receives one correctly signed body, and the delivery log shows it delivered', async () => {
    await obliterateQueues();
    const receiver = await startWebhookReceiver(); // http on 127.0.0.1: accepted as WEBHOOK_ALLOW_PRIVATE_TARGETS is set for tests
    const pipeline = await startTestPipeline({ webhookAllowPrivateTargets: true });
    try {
      const page = await signedIn(ADMIN);
      await page.getByRole('link', { name: 'Platform' }).click();
      await page.getByLabel('Institution', { exact: true }).selectOption({ label: 'Vietnam National University, Hanoi (VN)' });
      await page.getByLabel('URL', { exact: true }).fill(receiver.url);
      await page.getByRole('button', { name: 'Create webhook' }).click();
      const secret = (await page.locator('#new-secret').textContent())!;
      expect(secret).to.match(/^whsec_/);
      await page.locator('#hooks-list li', { hasText: receiver.url }).getByRole('button', { name: 'Send test event' }).click();
      await page.locator('#test-event-result').getByText(/: Delivered$/).waitFor({ timeout: 20_000 });
      const eventId = /Test event ([0-9a-f-]{36}):/.exec((await page.locator('#test-event-result').textContent())!)![1];
      const logged = page.locator('#deliveries-table tbody tr', { hasText: eventId });
      expect(await logged.locator('td').nth(1).textContent()).to.equal(receiver.url);
      expect(await logged.locator('td').nth(2).textContent()).to.equal('Delivered');
      expect(await logged.locator('td').nth(3).textContent()).to.equal('1');
      expect(receiver.received, 'only the chosen subscription receives it, once').to.have.length(1);
      const [received] = receiver.received;
      expect(JSON.parse(received.body)).to.deep.include({ id: eventId, type: 'webhook.test' });
      expect(received.headers[SIGNATURE_HEADER]).to.equal(signWebhook(secret, Number(received.headers[TIMESTAMP_HEADER]), received.body));
      await expectAccessible(page, 'platform webhooks after a test event');
    } finally {
      await pipeline.stop();
      await receiver.close();
    }
  });

  it('lets an admin add an instrument to a lab, refusing an empty name in place, and rename it; researchers then find it by its new name', async () => {
    const institution = await makeInstitution({ name: 'Fixture Instruments University', countryCode: 'MY', timeZone: 'Asia/Kuala_Lumpur' });
    const lab = await makeLab({ institutionId: institution.id, name: 'Fixture Proteomics Lab', countryCode: 'MY', timeZone: 'Asia/Kuala_Lumpur' });
    const page = await signedIn(ADMIN);
    await page.goto(`${server.url}/platform?institution=${institution.id}`);
    const section = page.locator('section[aria-labelledby="instruments-heading"]');
    await section.getByLabel('Category').fill('Mass spectrometry');
    await section.getByRole('button', { name: 'Add instrument' }).click();
    await section.locator('#instrument-name-errors').getByText('name must be 1 to 200 characters.').waitFor();
    expect(await Instrument.count({ where: { labId: lab.id } })).to.equal(0);
    await section.getByLabel('Instrument name').fill('Bruker timsTOF Pro 2');
    await section.getByLabel('Who may book').selectOption({ label: 'qualified users only' });
    await section.getByLabel('needs approval').check();
    await section.getByRole('button', { name: 'Add instrument' }).click();
    await section.locator('#instruments-list li', { hasText: 'Bruker timsTOF Pro 2 · Mass spectrometry · qualified users only · needs approval' }).waitFor();
    await expectAccessible(page, 'platform instruments');
    const created = (await Instrument.findOne({ where: { labId: lab.id }, raw: true }))!;
    expect(created).to.deep.include({ name: 'Bruker timsTOF Pro 2', category: 'Mass spectrometry', accessPolicy: 'QUALIFIED', status: 'AVAILABLE' });
    expect(Boolean(created.requiresApproval)).to.equal(true);

    await section.getByRole('button', { name: 'Edit Bruker timsTOF Pro 2' }).click();
    expect(await section.getByLabel('Instrument name').inputValue()).to.equal('Bruker timsTOF Pro 2');
    await section.getByLabel('Instrument name').fill('Bruker timsTOF Pro 2 (proteomics)');
    await section.getByRole('button', { name: 'Save changes' }).click();
    await section.locator('#instruments-list li', { hasText: 'Bruker timsTOF Pro 2 (proteomics) · Mass spectrometry' }).waitFor();
    expect((await Instrument.findByPk(created.id, { raw: true }))!.name).to.equal('Bruker timsTOF Pro 2 (proteomics)');
    const found = await server.gql<{ instruments: { nodes: { id: string }[] } }>(
      'query { instruments(filter: { search: "timsTOF Pro 2 (proteomics)" }) { nodes { id } } }', {}, await bearer(researcherId),
    );
    expect(found.data!.instruments.nodes.map((n) => n.id)).to.deep.equal([String(created.id)]);
  });

  it('lets an admin create an institution and a lab in it, refusing a wrong zone in place, and make the demo manager its manager by e-mail, who then sees it on their Lab settings page', async () => {
    const admin = await signedIn(ADMIN);
    await admin.goto(`${server.url}/platform`);
    const institutions = admin.locator('section[aria-labelledby="institutions-heading"]');
    await institutions.getByLabel('Institution name').fill('Fixture Labs University');
    await institutions.getByLabel(/^Country code/).fill('XY');
    await institutions.getByLabel(/^Time zone/).fill('Asia/Ho_Chi_Minh');
    await institutions.getByRole('button', { name: 'Add institution' }).click();
    await institutions.locator('#institution-countryCode-errors').getByText('"XY" is not an ISO 3166-1 alpha-2 country code (e.g. DE, CN, TH).').waitFor();
    await institutions.getByLabel(/^Country code/).fill('VN');
    await institutions.getByRole('button', { name: 'Add institution' }).click();
    await admin.waitForURL(/\/platform\?institution=\d+$/);
    const institution = (await Institution.findOne({ where: { name: 'Fixture Labs University' }, raw: true }))!;
    expect(institution).to.deep.include({ countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' });
    expect(admin.url()).to.equal(`${server.url}/platform?institution=${institution.id}`);
    await admin.waitForFunction(`document.getElementById('institution')?.value === '${institution.id}'`);
    const section = admin.locator('section[aria-labelledby="labs-heading"]');
    await section.getByLabel('Lab name').fill('Vietnam–Thailand Joint Imaging Lab');
    await section.getByLabel(/^Country code/).fill('vn');
    await section.getByLabel(/^Time zone/).fill('Hanoi');
    await section.getByRole('button', { name: 'Add lab' }).click();
    await section.locator('#lab-timeZone-errors').getByText('"Hanoi" is not an IANA time zone.').waitFor();
    expect(await Lab.count({ where: { institutionId: institution.id } })).to.equal(0);
    await section.getByLabel(/^Time zone/).fill('Asia/Ho_Chi_Minh');
    await section.getByRole('button', { name: 'Add lab' }).click();
    await section.locator('#labs-list li', { hasText: 'Vietnam–Thailand Joint Imaging Lab · VN · Asia/Ho_Chi_Minh' }).waitFor();
    const lab = (await Lab.findOne({ where: { institutionId: institution.id }, raw: true }))!;

    await section.getByLabel("Manager's e-mail").fill('nobody@nowhere.example');
    await section.getByRole('button', { name: 'Add manager' }).click();
    await section.locator('#manager-email-errors').getByText('No one has this e-mail address.').waitFor();
    await section.getByLabel("Manager's e-mail").fill(DEMO_USERS.manager);
    await section.getByRole('button', { name: 'Add manager' }).click();
    await section.locator('#managers-list li', { hasText: DEMO_USERS.manager }).waitFor();
    await expectAccessible(admin, 'platform labs');
    expect(await rawQuery<{ role: string }[]>(User.sequelize!, 'SELECT role FROM lab_memberships WHERE lab_id = ? AND user_id = ?', [lab.id, managerId]))
      .to.deep.equal([{ role: 'MANAGER' }]);

    const manager = await signedIn(MANAGER);
    await manager.getByRole('link', { name: 'Lab settings' }).click();
    await manager.getByRole('link', { name: 'Vietnam–Thailand Joint Imaging Lab' }).waitFor();
  });

  it("lets an admin add an institution's identity provider whose client secret is sent but never shown, and replace the secret", async () => {
    const institution = await makeInstitution({ name: 'Fixture Sign-in University', countryCode: 'SG', timeZone: 'Asia/Singapore' });
    const stored = async () => (await rawQuery<{ issuer: string; secret: Buffer | string }[]>(User.sequelize!, 'SELECT issuer, client_secret_encrypted AS secret FROM identity_providers WHERE institution_id = ?', [institution.id]))[0];
    const page = await signedIn(ADMIN);
    await page.goto(`${server.url}/platform?institution=${institution.id}`);
    const section = page.locator('section[aria-labelledby="idp-heading"]');
    await section.getByLabel('Issuer URL').fill('https://login.fixture.example');
    await section.getByLabel('Client ID').fill('labshare-web');
    await section.getByLabel('Client secret (write-only)').fill('first-secret-value-123');
    await section.getByLabel(/^E-mail domains/).fill('fixture.example');
    await section.getByRole('button', { name: 'Add provider' }).click();
    await section.locator('#providers-list li', { hasText: 'https://login.fixture.example' }).getByText(/client secret stored, never shown/).waitFor();
    expect(await page.content()).not.to.contain('first-secret-value-123');
    const first = await stored();
    expect(first.issuer).to.equal('https://login.fixture.example');
    expect(String(first.secret)).not.to.contain('first-secret-value-123');
    await expectAccessible(page, 'platform identity providers');

    await section.getByLabel('New client secret').fill('second-secret-value-456');
    await section.getByRole('button', { name: 'Replace secret' }).click();
    // The field empties once the API has taken the new secret.
    await page.waitForFunction(`document.getElementById('secret-' + ${JSON.stringify(String((await section.locator('#providers-list li').first().getAttribute('data-provider-id'))!))})?.value === ''`);
    expect(String((await stored()).secret)).not.to.equal(String(first.secret));
    expect(await page.content()).not.to.contain('second-secret-value-456');
  });

  it('fits the approvals queue on a 390×844 phone without sideways scrolling', async () => {
    await pendingRequest(5, 'phone check');
    const page = await signedIn(MANAGER, { phone: true });
    await openApprovals(page);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(390);
    await screenshot(page, 'phone-approvals');
    await expectAccessible(page, 'approvals (phone)');
  });

  it('shows a Thai manager the approvals queue in Thai, from her profile locale', async () => {
    await User.update({ locale: 'th' }, { where: { id: managerId } });
    const page = await signedIn(MANAGER);
    // The Thai catalog loads as a chunk of its own after the first paint; the page switches once it is in.
    await page.waitForFunction("document.documentElement.lang === 'th'", undefined, { timeout: 10_000 }).catch(() => undefined);
    expect(await page.evaluate<string>('document.documentElement.lang')).to.equal('th');
    await page.getByRole('link', { name: 'การอนุมัติ' }).click();
    await page.getByRole('heading', { level: 1, name: 'การอนุมัติ' }).waitFor();
    await page.locator('article.approval').first().getByRole('button', { name: 'อนุมัติ', exact: true }).waitFor();
    await screenshot(page, 'approvals-th');
    await expectAccessible(page, 'approvals (th)');
  });

  it('shows the approvals queue in Simplified Chinese', async () => {
    await User.update({ locale: 'zh-CN' }, { where: { id: managerId } });
    const page = await signedIn(MANAGER);
    await page.getByRole('link', { name: '审批' }).click();
    await page.getByRole('heading', { level: 1, name: '审批' }).waitFor();
    await page.locator('article.approval').first().getByRole('button', { name: '批准', exact: true }).waitFor();
    await expectAccessible(page, 'approvals (zh-CN)');
  });
});
