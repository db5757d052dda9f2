// Booking groups in the researchers' web app, in a real browser against the real server on the seeded demo: "add
// another instrument" in the booking dialog, a refused group showing the part that did not fit, and My bookings
// showing a group as one card that cancels as a whole. (The series part joins when requestBookingSeries is on main.)
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_USERS } from '../../seeders/data/users';
import { seedDemo } from '../../seeders/demo';
import { Booking, Instrument, User } from '../../src/db/models';
import { makeBooking, makeInstrument } from '../helpers/factories';
import { ensureWebBuilt, newContext, screenshot, seriousAxeViolations } from '../helpers/browser';
import { resetTables } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';

const SEM = 'Hitachi SU8230 FE-SEM'; // Hanoi, confirmed at once, 30-minute grid
const PREP_ROOM = 'Sample preparation room H-2'; // made here, in the SEM's lab

describe('web app: booking several instruments together and in series', function () {
  this.timeout(60_000);
  let server: TestServer;
  let researcherId: number;
  let otherId: number;
  let semId: number;
  let prepId: number;
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
});
