// The researchers' web app in a real browser (Debian's Chromium) against the real server on the seeded demo.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_USERS } from '../../seeders/data/users';
import { seedDemo } from '../../seeders/demo';
import { Booking, Instrument, User } from '../../src/db/models';
import { makeBooking, makeInstrument } from '../helpers/factories';
import { ensureWebBuilt, newContext, screenshot, seriousAxeViolations } from '../helpers/browser';
import { resetTables } from '../helpers/db';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const SEM = 'Hitachi SU8230 FE-SEM'; // Hanoi, confirmed at once, 30-minute grid
const TEM = 'JEOL JEM-2100Plus TEM'; // Hanoi, needs approval
const BERLIN_NMR = 'Bruker Avance NEO 700 MHz NMR'; // Potsdam, Europe/Berlin

describe('web app: researchers find, book and manage instruments', function () {
  this.timeout(60_000);
  let server: TestServer;
  let researcherId: number;
  let context: BrowserContext | undefined;

  const instrumentId = async (name: string) => (await Instrument.findOne({ where: { name }, raw: true }))!.id;
  const nextMonday = () => DateTime.now().setZone('Asia/Ho_Chi_Minh').startOf('week').plus({ weeks: 1 });

  async function expectAccessible(page: Page, what: string) {
    const violations = await seriousAxeViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 1)}`).to.deep.equal([]);
  }

  /** A browser signed in as the demo researcher through the demo sign-in page, on the home page. */
  async function signedIn(options: Parameters<typeof newContext>[0] = {}): Promise<Page> {
    context = await newContext(options);
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/auth\/sign-in/);
    await page.getByRole('button', { name: /Nguyễn Thị Lan/ }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
  }

  before(async function () {
    this.timeout(240_000);
    ensureWebBuilt();
    const sequelize = await resetTables();
    await seedDemo(sequelize, { now: DateTime.now() });
    researcherId = (await User.findOne({ where: { email: DEMO_USERS.researcher }, raw: true }))!.id;
    // The demo researcher reads Vietnamese, which the app now speaks; these tests find things by their English
    // labels, so she reads English here (the zh-CN test switches language on purpose).
    await User.update({ locale: 'en' }, { where: { id: researcherId } });
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await User.update({ timeZone: 'Asia/Ho_Chi_Minh', locale: 'en' }, { where: { id: researcherId } });
  });

  it('signs in with the demo sign-in and lands on a home page with upcoming bookings and a search box', async () => {
    const page = await signedIn();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Welcome, Nguyễn Thị Lan');
    await page.getByRole('heading', { name: 'Upcoming bookings' }).waitFor();
    await page.getByRole('searchbox', { name: 'Find an instrument' }).waitFor();
    await screenshot(page, 'home');
    await expectAccessible(page, 'home');
  });

  /** The first free spans of an instrument in a week, from the API itself. */
  async function freeSpans(id: number, weekStart: DateTime): Promise<{ start: string; end: string }[]> {
    const answer = await server.gql<{ availability: { free: { start: string; end: string }[] }[] }>(
      'query($id: ID!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: [$id], from: $from, to: $to) { free { start end } } }',
      { id: String(id), from: weekStart.toISO(), to: weekStart.plus({ days: 7 }).toISO() },
      await bearer(researcherId),
    );
    return answer.data!.availability[0].free;
  }

  async function bookAs(userId: number, instrument: number, start: string, end: string, purpose: string) {
    const answer = await server.gql<{ requestBooking: { booking: { id: string; status: string } | null; errors: { code: string }[] } }>(
      'mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id status } errors { code } } }',
      { input: { instrumentId: String(instrument), start, end, purpose } },
      await bearer(userId),
    );
    return answer.data!.requestBooking;
  }

  async function openWeek(page: Page, id: number, weekStart: DateTime) {
    await page.goto(`${server.url}/instruments/${id}?week=${weekStart.toISODate()}`);
    await page.locator('.calendar').waitFor();
    await page.locator('button.cell.free').first().waitFor();
  }

  it('finds instruments free for 3 hours next week and opens one', async () => {
    const page = await signedIn();
    await page.getByRole('link', { name: 'Find instruments' }).click();
    await page.getByLabel('Hours free in one run').fill('3');
    await page.getByLabel('From', { exact: true }).fill(nextMonday().toISODate()!);
    await page.getByLabel('To', { exact: true }).fill(nextMonday().plus({ days: 6 }).toISODate()!);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/hours=3/);
    await page.getByRole('status').filter({ hasText: /\d+ instruments?/ }).waitFor();
    const results = page.locator('article.result');
    expect(await results.count()).to.be.greaterThan(0);
    expect(await results.first().textContent()).to.match(/Lab time now: \d\d:\d\d UTC[+-]\d\d:\d\d/);
    await screenshot(page, 'find');
    await expectAccessible(page, 'find');
    const name = (await results.first().getByRole('heading').textContent())!;
    await results.first().getByRole('link').click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal(name);
    await page.locator('.calendar').waitFor();
    await page.getByRole('heading', { name: 'Booking rules' }).waitFor();
    await screenshot(page, 'instrument');
    await expectAccessible(page, 'instrument');
  });

  it('books free time from the calendar and sees it CONFIRMED', async () => {
    const page = await signedIn();
    const sem = await instrumentId(SEM);
    await openWeek(page, sem, nextMonday());
    await page.locator('button.cell.free').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Purpose').fill('EDS mapping of Cu–Ni thin films');
    await screenshot(page, 'booking-dialog');
    await expectAccessible(page, 'booking dialog');
    const start = await dialog.getAttribute('data-start');
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    await dialog.getByRole('status').getByText('Confirmed', { exact: true }).waitFor();
    const row = await Booking.findOne({ where: { instrumentId: sem, userId: researcherId, startAt: DateTime.fromISO(start!).toJSDate() }, raw: true });
    expect(row?.status).to.equal('CONFIRMED');
    expect(row?.purpose).to.equal('EDS mapping of Cu–Ni thin films');
  });

  it('selects a longer span by dragging down a day column', async () => {
    const page = await signedIn();
    await openWeek(page, await instrumentId(SEM), nextMonday().plus({ weeks: 1 }));
    // Three free cells in a row of one day: the first run of them the calendar shows.
    const day = page.locator('ul.day').filter({ has: page.locator('button.cell.free') }).first();
    const cells = day.locator('li');
    // A free cell's item is li.cell-slot (holding its button); the others are li.cell.<state>.
    const states = await cells.evaluateAll((items) => items.map((li) => ((li as unknown as { className: string }).className === 'cell-slot' ? 'free' : 'other')));
    const from = states.findIndex((_, i) => states.slice(i, i + 3).join() === 'free,free,free');
    expect(from).to.be.at.least(0);
    const first = cells.nth(from).locator('button');
    const third = cells.nth(from + 2).locator('button');
    await first.hover();
    await page.mouse.down();
    await cells.nth(from + 1).locator('button').hover();
    await third.hover();
    await page.mouse.up();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const minutes = DateTime.fromISO((await dialog.getAttribute('data-end'))!).diff(DateTime.fromISO((await dialog.getAttribute('data-start'))!), 'minutes').minutes;
    expect(minutes).to.equal(90); // three 30-minute cells
    expect(await dialog.getByLabel('Length').inputValue()).to.equal('90');
  });

  it('finds the next free run of N hours and opens the booking dialog on it', async () => {
    const page = await signedIn();
    const sem = await instrumentId(SEM);
    await openWeek(page, sem, nextMonday());
    await page.getByLabel('Hours', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Next free slot' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.getByText(/^Next free slot: /).waitFor();
    const start = DateTime.fromISO((await dialog.getAttribute('data-start'))!);
    expect(DateTime.fromISO((await dialog.getAttribute('data-end'))!).diff(start, 'minutes').minutes).to.equal(120);
    const [first] = (await freeSpans(sem, DateTime.now())).filter((f) => DateTime.fromISO(f.end).diff(DateTime.fromISO(f.start), 'minutes').minutes >= 120);
    expect(start.toMillis()).to.equal(DateTime.fromISO(first.start).toMillis());
  });

  it('sends a request on an approval instrument and says it is PENDING and what happens next', async () => {
    const page = await signedIn();
    const tem = await instrumentId(TEM);
    await openWeek(page, tem, nextMonday());
    await page.locator('button.cell.free').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('A lab manager approves this request').waitFor();
    await dialog.getByLabel('Purpose').fill('Lattice imaging');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.getByRole('status').getByText('Pending', { exact: true }).waitFor();
    await dialog.getByText('A lab manager will approve or reject it').waitFor();
    const start = await dialog.getAttribute('data-start');
    expect((await Booking.findOne({ where: { instrumentId: tem, userId: researcherId, startAt: DateTime.fromISO(start!).toJSDate() }, raw: true }))?.status).to.equal('PENDING');
  });

  it('says so and refreshes the calendar when someone else books the slot between page load and submit (CONFLICT)', async () => {
    const page = await signedIn();
    const sem = await instrumentId(SEM);
    const week = nextMonday().plus({ weeks: 1 });
    await openWeek(page, sem, week);
    const cell = page.locator('button.cell.free').first();
    const label = (await cell.getAttribute('aria-label'))!;
    await cell.click();
    const dialog = page.getByRole('dialog');
    const other = (await User.findOne({ where: { email: 'minh.tran@vnu.example.edu.vn' }, raw: true }))!.id;
    const faster = await bookAs(other, sem, (await dialog.getAttribute('data-start'))!, (await dialog.getAttribute('data-end'))!, 'faster');
    expect(faster.booking?.status).to.equal('CONFIRMED');
    await dialog.getByLabel('Purpose').fill('too late');
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    await dialog.getByText('Someone else booked part of this time just now').waitFor();
    await page.getByText('The calendar was refreshed').waitFor();
    await page.locator(`button.cell.free[aria-label="${label}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('li.cell.busy .sr-only', { hasText: label.split(', free')[0] }).count()).to.equal(1);
  });

  it('cancels a booking with a reason from My bookings', async () => {
    const sem = await instrumentId(SEM);
    const [span] = await freeSpans(sem, nextMonday().plus({ weeks: 2 }));
    const booked = await bookAs(researcherId, sem, span.start, DateTime.fromISO(span.start, { setZone: true }).plus({ minutes: 30 }).toISO()!, 'cancel me');
    expect(booked.errors).to.deep.equal([]);
    const page = await signedIn();
    await page.getByRole('link', { name: 'My bookings' }).click();
    const item = page.locator('article.booking', { hasText: 'cancel me' });
    const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: 'Add to my calendar (.ics)' }).click()]);
    expect(download.suggestedFilename()).to.equal(`labshare-booking-${booked.booking!.id}.ics`);
    expect(await readFile((await download.path())!, 'utf8')).to.contain(`UID:booking-${booked.booking!.id}@`).and.contain('METHOD:REQUEST');
    await item.getByRole('button', { name: 'Cancel booking' }).click();
    await item.getByLabel('Reason (sent to the lab)').fill('Samples not ready');
    await screenshot(page, 'my-bookings');
    await expectAccessible(page, 'my bookings');
    await item.getByRole('button', { name: 'Cancel this booking' }).click();
    await item.waitFor({ state: 'detached' });
    const row = await Booking.findByPk(Number(booked.booking!.id), { raw: true });
    expect(row?.status).to.equal('CANCELLED');
    await page.getByRole('tab', { name: 'Past' }).click();
    await page.getByRole('tab', { name: 'Upcoming' }).click();
    expect(await page.locator('article.booking', { hasText: 'cancel me' }).count()).to.equal(0);
  });

  it('reschedules a booking to another free start from My bookings', async () => {
    const sem = await instrumentId(SEM);
    const spans = await freeSpans(sem, nextMonday().plus({ weeks: 2 }));
    const first = DateTime.fromISO(spans[0].start, { setZone: true });
    const booked = await bookAs(researcherId, sem, first.toISO()!, first.plus({ minutes: 30 }).toISO()!, 'move me');
    expect(booked.errors).to.deep.equal([]);
    const target = DateTime.fromISO(spans[spans.length - 1].start, { setZone: true }).setZone('Asia/Ho_Chi_Minh');
    const page = await signedIn();
    await page.goto(`${server.url}/bookings`);
    const item = page.locator('article.booking', { hasText: 'move me' });
    await item.getByRole('button', { name: 'Reschedule' }).click();
    await item.getByLabel(/New start/).fill(target.toFormat("yyyy-MM-dd'T'HH:mm"));
    await item.getByRole('button', { name: 'Move booking' }).click();
    await item.getByRole('button', { name: 'Move booking' }).waitFor({ state: 'detached' });
    const row = await Booking.findByPk(Number(booked.booking!.id), { raw: true });
    expect(DateTime.fromJSDate(row!.startAt).toMillis()).to.equal(target.toMillis());
  });

  it('checks in to a booking that is under way', async () => {
    const sem = await Instrument.findOne({ where: { name: SEM }, raw: true });
    const bench = await makeInstrument({ labId: sem!.labId, name: 'Check-in bench', requiresCheckIn: true });
    const now = DateTime.now();
    const booking = await makeBooking({ instrumentId: bench.id, userId: researcherId, start: now.minus({ minutes: 5 }), end: now.plus({ minutes: 55 }), purpose: 'check me in' });
    const page = await signedIn();
    await page.goto(`${server.url}/bookings`);
    const item = page.locator('article.booking', { hasText: 'check me in' });
    await item.getByRole('button', { name: 'Check in' }).click();
    await item.getByText(/Checked in/).waitFor();
    await item.getByRole('button', { name: 'Check out' }).waitFor();
    expect((await Booking.findByPk(booking.id, { raw: true }))?.checkedInAt).to.be.instanceOf(Date);
  });

  it('shows a researcher in Asia/Yangon +06:30 times with the Berlin lab\'s local time beside them', async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/profile`);
    await page.getByLabel('Time zone').fill('Asia/Yangon');
    await page.getByText('Now UTC+06:30').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await screenshot(page, 'profile');
    await expectAccessible(page, 'profile');
    const nmr = await instrumentId(BERLIN_NMR);
    await openWeek(page, nmr, nextMonday());
    await page.getByText('Times below are in your zone, Asia/Yangon (UTC+06:30)').waitFor();
    const labNow = (await page.locator('#lab-now').textContent())!;
    expect(labNow).to.match(/Europe\/Berlin\): \d\d:\d\d UTC\+0[12]:00/);
    const cell = page.locator('button.cell.free').first();
    expect(await cell.getAttribute('aria-label')).to.match(/\d\d:30–\d\d:\d\d, free, lab time \d\d:\d\d–\d\d:\d\d$/);
    await cell.click();
    const dialog = page.getByRole('dialog');
    const start = DateTime.fromISO((await dialog.getAttribute('data-start'))!, { setZone: true });
    const viewerText = (await dialog.locator('#span-viewer').textContent())!;
    const labText = (await dialog.locator('#span-lab').textContent())!;
    expect(viewerText).to.contain(start.setZone('Asia/Yangon').toFormat('HH:mm')).and.contain('UTC+06:30');
    expect(labText).to.contain(start.setZone('Europe/Berlin').toFormat('HH:mm')).and.contain(`UTC${start.setZone('Europe/Berlin').toFormat('ZZ')}`);
    await screenshot(page, 'yangon-berlin');
  });

  it('switches to Simplified Chinese at once and shows the pages in zh-CN', async () => {
    const page = await signedIn();
    await page.goto(`${server.url}/profile`);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: '个人资料' }).waitFor();
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存。').waitFor();
    expect((await User.findByPk(researcherId, { raw: true }))?.locale).to.equal('zh-CN');
    expect(await page.evaluate<string>('document.documentElement.lang')).to.equal('zh-CN');
    await page.getByRole('link', { name: '查找仪器' }).click();
    await page.getByRole('heading', { level: 1, name: '查找仪器' }).waitFor();
    await expectAccessible(page, 'find (zh-CN)');
    await openWeek(page, await instrumentId(SEM), nextMonday());
    await page.getByRole('heading', { name: '预约规则' }).waitFor();
    await page.locator('button.cell.free').first().click();
    await page.getByRole('dialog').getByRole('button', { name: '预约', exact: true }).waitFor();
    await screenshot(page, 'instrument-zh-CN');
    await expectAccessible(page, 'instrument (zh-CN)');
  });

  it('shows a Vietnamese researcher the pages in Vietnamese, from her profile locale', async () => {
    await User.update({ locale: 'vi' }, { where: { id: researcherId } });
    const page = await signedIn();
    // The Vietnamese catalog loads as a chunk of its own after the first paint; the page switches once it is in.
    await page.waitForFunction("document.documentElement.lang === 'vi'", undefined, { timeout: 10_000 }).catch(() => undefined);
    expect(await page.evaluate<string>('document.documentElement.lang')).to.equal('vi');
    await page.getByRole('link', { name: 'Tìm thiết bị' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tìm thiết bị' }).waitFor();
    await openWeek(page, await instrumentId(SEM), nextMonday());
    await page.getByRole('heading', { name: 'Quy định đặt lịch' }).waitFor();
    await page.locator('button.cell.free').first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Đặt', exact: true }).waitFor();
    await screenshot(page, 'instrument-vi');
    await expectAccessible(page, 'instrument (vi)');
  });

  it('fits a 390×844 phone: no sideways scrolling, and the calendar becomes a day view', async () => {
    const page = await signedIn({ phone: true });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(390);
    await screenshot(page, 'phone-home');
    await openWeek(page, await instrumentId(SEM), nextMonday());
    expect(await page.locator('ul.day').count()).to.equal(1);
    const first = await page.locator('ul.day').getAttribute('aria-label');
    await page.getByRole('button', { name: 'Next day' }).click();
    expect(await page.locator('ul.day').getAttribute('aria-label')).not.to.equal(first);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(390);
    await screenshot(page, 'phone-instrument');
    await expectAccessible(page, 'instrument (phone)');
  });

  it('books with the keyboard alone', async () => {
    const page = await signedIn();
    const sem = await instrumentId(SEM);
    await openWeek(page, sem, nextMonday().plus({ weeks: 3 }));
    let onFreeCell = false;
    for (let i = 0; i < 80 && !onFreeCell; i++) {
      await page.keyboard.press('Tab');
      onFreeCell = await page.evaluate<boolean>("document.activeElement?.matches('button.cell.free') ?? false");
    }
    expect(onFreeCell, 'Tab reaches a free calendar cell').to.equal(true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await page.evaluate<string>('document.activeElement?.id')).to.equal('booking-purpose');
    await page.keyboard.type('keyboard only');
    await page.keyboard.press('Tab'); // Cancel
    await page.keyboard.press('Tab'); // Book
    await page.keyboard.press('Enter');
    await dialog.getByRole('status').getByText('Confirmed', { exact: true }).waitFor();
    await page.keyboard.press('Enter'); // Close has the focus
    await dialog.waitFor({ state: 'detached' });
    expect(await Booking.count({ where: { instrumentId: sem, userId: researcherId, purpose: 'keyboard only', status: 'CONFIRMED' } })).to.equal(1);
  });

  it('sends a person whose session ended to sign-in, then back to the page they were on', async () => {
    const page = await signedIn();
    await context!.clearCookies();
    const target = `/instruments/${await instrumentId(SEM)}?week=${nextMonday().toISODate()}`;
    await page.goto(`${server.url}${target}`);
    await page.waitForURL(/\/auth\/sign-in/);
    await page.getByRole('button', { name: /Nguyễn Thị Lan/ }).click();
    await page.waitForURL(`${server.url}${target}`);
    await page.locator('button.cell.free').first().waitFor();
  });

  it('shows a clear message and a retry when a request fails, never a blank page, and pages through the catalogue', async () => {
    const page = await signedIn();
    let failing = true;
    await page.route('**/graphql', (route) => (failing && route.request().postData()?.includes('FindInstruments') ? route.abort('connectionreset') : route.continue()));
    await page.getByRole('link', { name: 'Find instruments' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'LabShare could not be reached' });
    await alert.waitFor();
    await expectAccessible(page, 'find (failed request)');
    failing = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.locator('article.result').first().waitFor();
    expect(await alert.count()).to.equal(0);
    // The demo has more instruments than one page: the next page comes below the first.
    expect(await page.locator('article.result').count()).to.equal(30);
    await page.getByRole('button', { name: 'Show more' }).click();
    await page.locator('article.result').nth(30).waitFor();
  });
});
