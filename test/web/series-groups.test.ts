// Booking groups and series in the researchers' web app, in a real browser against the real server on the seeded
// demo: "add another instrument" in the booking dialog, a refused group showing the part that did not fit, My
// bookings showing a group as one card that cancels as a whole; "repeat" previewing each occurrence before it
// books, and My bookings cancelling a series from one occurrence on.
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
const PREP_ROOM = 'Sample preparation room H-2'; // made here, in the SEM's lab
const BENCH = 'Powder XRD bench S-1'; // made here, in the SEM's lab: nothing booked on it but by these tests

describe('web app: booking several instruments together and in series', function () {
  this.timeout(60_000);
  let server: TestServer;
  let researcherId: number;
  let otherId: number;
  let semId: number;
  let prepId: number;
  let benchId: number;
  let context: BrowserContext | undefined;

  const nextMonday = () => DateTime.now().setZone('Asia/Ho_Chi_Minh').startOf('week').plus({ weeks: 1 });

  async function expectAccessible(page: Page, what: string) {
    const violations = await seriousAxeViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 1)}`).to.deep.equal([]);
  }

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

  /** The booking dialog on the first free cell of the SEM's calendar in the given week. */
  async function dialogOnFreeSem(page: Page, weekStart: DateTime) {
    await page.goto(`${server.url}/instruments/${semId}?week=${weekStart.toISODate()}`);
    await page.locator('button.cell.free').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    return { dialog, start: (await dialog.getAttribute('data-start'))!, end: (await dialog.getAttribute('data-end'))! };
  }

  async function addPrepRoom(page: Page) {
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Add another instrument' }).click();
    await dialog.getByLabel(/Find an instrument to add/).fill('Sample preparation');
    await dialog.getByLabel(/Find an instrument to add/).press('Enter');
    await dialog.getByRole('button', { name: new RegExp(`^Add ${PREP_ROOM}`) }).click();
    await dialog.getByLabel(`Start for ${PREP_ROOM}`).waitFor();
  }

  before(async function () {
    this.timeout(240_000);
    ensureWebBuilt();
    const sequelize = await resetTables();
    await seedDemo(sequelize, { now: DateTime.now() });
    researcherId = (await User.findOne({ where: { email: DEMO_USERS.researcher }, raw: true }))!.id;
    otherId = (await User.findOne({ where: { email: 'minh.tran@vnu.example.edu.vn' }, raw: true }))!.id;
    await User.update({ locale: 'en' }, { where: { id: researcherId } });
    const sem = (await Instrument.findOne({ where: { name: SEM }, raw: true }))!;
    semId = sem.id;
    prepId = (await makeInstrument({ labId: sem.labId, name: PREP_ROOM, kind: 'FACILITY', category: 'prep-room' })).id;
    benchId = (await makeInstrument({ labId: sem.labId, name: BENCH, category: 'xrd' })).id;
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it('books a microscope and a preparation room as a group, sees both CONFIRMED in My bookings, and cancels the group', async () => {
    const page = await signedIn();
    const { dialog, start } = await dialogOnFreeSem(page, nextMonday());
    await dialog.getByLabel('Purpose').fill('Cryo-SEM with prepared grids');
    await addPrepRoom(page);
    await screenshot(page, 'group-dialog');
    await expectAccessible(page, 'booking dialog with a group');
    await dialog.getByRole('button', { name: 'Book all 2' }).click();
    await dialog.getByRole('status').getByText('Confirmed', { exact: true }).first().waitFor();
    expect(await dialog.locator('.group-parts li').count()).to.equal(2);

    const rows = await Booking.findAll({ where: { userId: researcherId, purpose: 'Cryo-SEM with prepared grids' }, raw: true });
    expect(rows.map((r) => [r.instrumentId, r.status]).sort()).to.deep.equal([[semId, 'CONFIRMED'], [prepId, 'CONFIRMED']].sort());
    expect(rows.every((r) => DateTime.fromJSDate(r.startAt).toMillis() === DateTime.fromISO(start).toMillis())).to.equal(true);

    await dialog.getByRole('link', { name: 'See my bookings' }).click();
    const card = page.locator('article.booking-group', { hasText: 'Cryo-SEM with prepared grids' });
    await card.getByText('2 instruments booked together').waitFor();
    expect(await card.locator('.badge').first().textContent()).to.equal('Confirmed');
    await card.getByText('Show its 2 bookings').click();
    const parts = card.locator('article.booking');
    expect(await parts.count()).to.equal(2);
    for (const name of [SEM, PREP_ROOM]) expect(await parts.filter({ hasText: name }).locator('.booking-summary .badge').textContent()).to.equal('Confirmed');
    // A part is never cancelled or moved on its own: only the group is.
    expect(await parts.getByRole('button', { name: 'Reschedule' }).count()).to.equal(0);
    await card.getByRole('button', { name: 'Cancel the group' }).click();
    await card.getByLabel('Reason (sent to the lab)').fill('Grids failed');
    await screenshot(page, 'my-bookings-group');
    await expectAccessible(page, 'my bookings with a group');
    await card.getByRole('button', { name: 'Cancel all 2 bookings' }).click();
    await card.waitFor({ state: 'detached' });
    const after = await Booking.findAll({ where: { userId: researcherId, purpose: 'Cryo-SEM with prepared grids' }, raw: true });
    expect(after.map((r) => r.status)).to.deep.equal(['CANCELLED', 'CANCELLED']);
  });

  it('refuses a group whose preparation room is taken, books nothing and shows the problem beside that room', async () => {
    const page = await signedIn();
    const { dialog, start, end } = await dialogOnFreeSem(page, nextMonday().plus({ weeks: 1 }));
    await dialog.getByLabel('Purpose').fill('refused group');
    await addPrepRoom(page);
    await makeBooking({ instrumentId: prepId, userId: otherId, start, end, purpose: 'faster' });
    await dialog.getByRole('button', { name: 'Book all 2' }).click();
    await dialog.getByRole('alert').getByText(`Nothing was booked (all or nothing). The problem is with: ${PREP_ROOM}.`).waitFor();
    const room = dialog.locator(`li.group-item[data-instrument-id="${prepId}"]`);
    await room.getByText('Someone else has booked part of this time.').waitFor();
    expect(await dialog.locator('#start-errors').count()).to.equal(0); // the SEM itself was free
    await screenshot(page, 'group-refused');
    await expectAccessible(page, 'refused group');
    expect(await Booking.count({ where: { userId: researcherId, purpose: 'refused group' } })).to.equal(0);
  });

  it('repeats weekly on a phone: lists each occurrence to be checked before sending, then books the series and shows each BOOKED', async () => {
    const page = await signedIn({ phone: true });
    await page.goto(`${server.url}/instruments/${benchId}?week=${nextMonday().toISODate()}`);
    await page.locator('button.cell.free').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Purpose').fill('weekly phase checks');
    await dialog.getByRole('button', { name: 'Repeat…' }).click();
    await dialog.getByRole('spinbutton', { name: 'Number of times' }).fill('3');
    const preview = dialog.locator('ol.occurrences li');
    await dialog.getByText('3 occurrences').waitFor();
    expect(await preview.count()).to.equal(3);
    expect(await preview.evaluateAll((items) => items.map((li) => (li as unknown as { dataset: { outcome: string } }).dataset.outcome))).to.deep.equal(['UNCHECKED', 'UNCHECKED', 'UNCHECKED']);
    expect(await dialog.getByText('to be checked').count()).to.equal(3);
    // Fits a 390 px wide phone: nothing in the dialog scrolls sideways.
    expect(await page.evaluate<boolean>("(() => { const d = document.querySelector('dialog[open]'); return d.scrollWidth <= d.clientWidth; })()")).to.equal(true);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).to.be.at.most(390);
    await screenshot(page, 'series-preview');
    await expectAccessible(page, 'booking dialog with a repeat');
    const start = DateTime.fromISO((await dialog.getAttribute('data-start'))!);
    await dialog.getByRole('button', { name: 'Book the series' }).click();
    await dialog.getByText('3 of 3 occurrences booked.').waitFor();
    expect(await dialog.locator('ol.occurrences li[data-outcome="BOOKED"]').count()).to.equal(3);
    const rows = await Booking.findAll({ where: { instrumentId: benchId, userId: researcherId, purpose: 'weekly phase checks' }, order: [['startAt', 'ASC']], raw: true });
    expect(rows.map((r) => DateTime.fromJSDate(r.startAt).toMillis())).to.deep.equal([0, 1, 2].map((w) => start.plus({ weeks: w }).toMillis()));
    expect(rows.every((r) => r.status === 'CONFIRMED')).to.equal(true);
    expect(new Set(rows.map((r) => (r as unknown as { seriesId: number }).seriesId)).size).to.equal(1);
  });

  it('cancels a series from its second occurrence on in My bookings, keeping the first', async () => {
    const first = nextMonday().plus({ weeks: 1 }).set({ hour: 10 });
    const answer = await server.gql<{ requestBookingSeries: { series: { id: string } | null; errors: { code: string }[] } }>(
      'mutation($input: RequestBookingSeriesInput!) { requestBookingSeries(input: $input) { series { id } errors { code } } }',
      { input: { instrumentId: String(benchId), start: first.toISO(), end: first.plus({ hours: 1 }).toISO(), recurrence: 'FREQ=WEEKLY;COUNT=3', mode: 'ALL_OR_NOTHING', purpose: 'cut me short' } },
      await bearer(researcherId),
    );
    expect(answer.data?.requestBookingSeries.errors).to.deep.equal([]);
    const page = await signedIn();
    await page.goto(`${server.url}/bookings`);
    const card = page.locator('article.booking-series', { hasText: 'cut me short' });
    await card.getByText(`${BENCH} · Weekly series: 3 bookings`).waitFor();
    await card.getByText('Show its 3 bookings').click();
    const second = card.locator('article.booking').nth(1);
    await second.getByRole('button', { name: 'Cancel this and the following' }).click();
    await card.getByLabel('Reason (sent to the lab)').fill('Beamtime moved');
    await screenshot(page, 'my-bookings-series');
    await expectAccessible(page, 'my bookings with a series');
    await card.getByRole('button', { name: 'Cancel this one and all later ones' }).click();
    await card.getByText(`${BENCH} · Weekly series: 1 booking`).waitFor();
    const rows = await Booking.findAll({ where: { instrumentId: benchId, purpose: 'cut me short' }, order: [['startAt', 'ASC']], raw: true });
    expect(rows.map((r) => r.status)).to.deep.equal(['CONFIRMED', 'CANCELLED', 'CANCELLED']);
  });
});
