// A link in an e-mail, followed in a real browser (Debian's Chromium) against the real server on the seeded demo:
// a Thai manager's approval request, in Thai, leads a signed-out browser through sign-in to that very request,
// highlighted on the approvals page, and nothing is decided by following it.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { BrowserContext } from 'playwright-core';
import { DEMO_USERS } from '../../seeders/data/users';
import { seedDemo } from '../../seeders/demo';
import { Booking, Instrument, User } from '../../src/db/models';
import { bookingReference } from '../../src/notifications/booking-reference';
import { ensureWebBuilt, newContext, screenshot, seriousAxeViolations } from '../helpers/browser';
import { resetTables } from '../helpers/db';
import { bearer, startTestServer, type TestServer } from '../helpers/server';
import { obliterateQueues, readMailbox, startTestPipeline, waitFor, type TestPipeline } from '../jobs/support';

const KRIOS = 'Thermo Fisher Krios G4 Cryo-TEM'; // Bangkok structural biology lab, needs approval
const MANAGER = /Pornthip Srisuk/; // manages the Bangkok lab; locale th, Asia/Bangkok

describe('web app: links in e-mails lead through sign-in to their page', function () {
  this.timeout(120_000);
  let server: TestServer;
  let pipeline: TestPipeline;
  const contexts: BrowserContext[] = [];

  before(async function () {
    this.timeout(240_000);
    ensureWebBuilt();
    const sequelize = await resetTables();
    await seedDemo(sequelize, { now: DateTime.now() });
    await obliterateQueues();
    server = await startTestServer();
    pipeline = await startTestPipeline({ publicUrl: server.url });
  });
  after(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await pipeline?.stop();
    await server?.close();
  });

  /** A new PENDING request of the demo researcher on the Krios, in its first free run `weeks` weeks on. */
  async function pendingRequest(weeks: number): Promise<number> {
    const researcher = (await User.findOne({ where: { email: DEMO_USERS.researcher }, raw: true }))!;
    const krios = (await Instrument.findOne({ where: { name: KRIOS }, raw: true }))!;
    const auth = await bearer(researcher.id);
    const from = DateTime.now().setZone('Asia/Bangkok').startOf('week').plus({ weeks });
    const free = await server.gql<{ availability: { free: { start: string }[] }[] }>(
      'query($id: ID!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: [$id], from: $from, to: $to) { free { start } } }',
      { id: String(krios.id), from: from.toISO(), to: from.plus({ days: 7 }).toISO() },
      auth,
    );
    const start = DateTime.fromISO(free.data!.availability[0].free[0].start, { setZone: true });
    const answer = await server.gql<{ requestBooking: { booking: { id: string; status: string } | null; errors: { code: string }[] } }>(
      'mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id status } errors { code } } }',
      { input: { instrumentId: String(krios.id), start: start.toISO(), end: start.plus({ minutes: krios.minMinutes }).toISO(), purpose: 'Grids from the e-mail test' } },
      auth,
    );
    expect(answer.data!.requestBooking.errors).to.deep.equal([]);
    return Number(answer.data!.requestBooking.booking!.id);
  }

  it("takes a Thai manager from the approval e-mail's link, through demo sign-in, to that request on the approvals page", async () => {
    const id = await pendingRequest(5);
    const reference = bookingReference(id);
    const mail = await waitFor(
      async () => readMailbox(pipeline.mailDir).find((m) => m.to.includes(DEMO_USERS.manager) && m.subject.includes(reference)),
      'the approval request to the manager',
      30_000,
    );
    // In Thai, with the request's reference, her zone and the lab's, and a link to the request.
    expect(mail.headers['content-language']).to.equal('th');
    expect(mail.subject).to.match(new RegExp(`^รอการอนุมัติ: ${KRIOS}, .*\\(${reference}\\)$`));
    expect(mail.text).to.contain('โปรดอนุมัติหรือปฏิเสธคำขอนี้').and.contain('(Asia/Bangkok, UTC+07:00)');
    expect(mail.html).to.contain('<html lang="th" dir="ltr">');
    const link = /พิจารณาคำขอ: (\S+)/.exec(mail.text)![1];
    expect(link).to.equal(`${server.url}/approvals?booking=${id}`);

    const context = await newContext({ locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(link);
    // Signed out: the app sends the browser to sign-in, remembering the page.
    await page.waitForURL(/\/auth\/sign-in\?return=/);
    expect(new URL(page.url()).searchParams.get('return')).to.equal(`/approvals?booking=${id}`);
    expect((await Booking.findByPk(id, { raw: true }))!.status).to.equal('PENDING');
    await page.getByRole('button', { name: MANAGER }).click();

    await page.waitForURL(`${server.url}/approvals?booking=${id}`);
    const item = page.locator(`article.approval[data-booking-id="${id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('aria-current')).to.equal('true');
    expect(await item.getAttribute('class')).to.contain('focused');
    expect(await item.textContent()).to.contain(reference).and.contain('Nguyễn Thị Lan');
    // Brought into view, and focused for keyboard and screen-reader users.
    const box = (await item.boundingBox())!;
    expect(box.y, 'the request is scrolled into view').to.be.at.least(0).and.below(page.viewportSize()!.height);
    expect(await page.evaluate<string | undefined>('document.activeElement?.dataset?.bookingId')).to.equal(String(id));
    await screenshot(page, 'approval-from-email');
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).to.deep.equal([]);
    // Following the link decided nothing.
    expect((await Booking.findByPk(id, { raw: true }))!.status).to.equal('PENDING');
  });

  it('lets a manager choose reminders and the morning digest on the profile page, in her Thai', async () => {
    const context = await newContext({ locale: 'th-TH', timezoneId: 'Asia/Bangkok' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/profile`);
    await page.waitForURL(/\/auth\/sign-in\?return=%2Fprofile/);
    await page.getByRole('button', { name: MANAGER }).click();
    await page.waitForURL(`${server.url}/profile`);
    const dayBefore = page.getByRole('checkbox', { name: 'หนึ่งวันก่อน (ล่วงหน้า 24 ชั่วโมง)' }); // The day before (24 hours ahead)
    await dayBefore.waitFor();
    expect(await dayBefore.isChecked()).to.equal(true);
    await dayBefore.uncheck();
    await page.getByRole('radio', { name: /อีเมลหนึ่งฉบับทุกเช้า/ }).check(); // One e-mail each morning
    await screenshot(page, 'profile-email-preferences');
    const violations = await seriousAxeViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).to.deep.equal([]);
    await page.getByRole('button', { name: 'บันทึก', exact: true }).click(); // Save
    await page.getByRole('status').getByText('บันทึกแล้ว').waitFor(); // Saved.
    const manager = (await User.findOne({ where: { email: DEMO_USERS.manager }, raw: true }))!;
    expect(manager).to.include({ reminders: 'HOUR_BEFORE', approvalMail: 'DAILY_DIGEST' });
  });

  it('sends a visitor back only to pages of this site after sign-in', async () => {
    for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/auth/sign-out']) {
      const answer = await fetch(`${server.url}/auth/sign-in?return=${encodeURIComponent(evil)}`, { redirect: 'manual' });
      expect(answer.status, evil).to.equal(200);
      expect(answer.headers.get('set-cookie') ?? '', evil).not.to.match(/labshare_return=[^;]/);
    }
  });
});
