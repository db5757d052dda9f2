// E-mails through the whole pipeline (booking → outbox → relay → BullMQ → processor → .eml): the recipient's
// language, both zones, multipart text + HTML, links that open the app, reminder preferences and the managers'
// morning digest, once per manager per morning in their zone.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { Job } from 'bullmq';
import { planDigests } from '../../jobs/digests';
import { processHousekeeping } from '../../jobs/housekeeping';
import type { UserViewer } from '../../src/access/viewer';
import { requestBooking } from '../../src/booking';
import { fixedClock } from '../../src/clock';
import { User } from '../../src/db/models';
import type { InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { logger } from '../../src/logger';
import { bookingReference } from '../../src/notifications/booking-reference';
import { ensureWebBuilt } from '../helpers/browser';
import { resetTables } from '../helpers/db';
import { addMember, EVERY_DAY, makeInstitution, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';
import { obliterateQueues, readMailbox, startTestPipeline, waitFor, type TestPipeline } from '../jobs/support';

const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });
const rawMail = (pipeline: TestPipeline, file: string) => readFileSync(path.join(pipeline.mailDir, file), 'utf8');

describe('e-mails through the job pipeline (MariaDB + Redis)', function () {
  this.timeout(120_000);
  let server: TestServer;
  const pipelines: TestPipeline[] = [];
  let lab: LabRow;
  let instrument: InstrumentRow;
  let approvalInstrument: InstrumentRow;

  before(async () => {
    ensureWebBuilt();
    server = await startTestServer();
  });
  after(async () => server.close());

  beforeEach(async () => {
    await resetTables(['notification_deliveries', 'outbox_events', 'usage_logs', 'booking_history', 'bookings', 'opening_hours', 'lab_memberships',
      'instruments', 'labs', 'users', 'institutions']);
    await obliterateQueues();
    lab = await makeLab({ timeZone: 'Asia/Shanghai', name: 'Kunming Joint Structural Biology Lab' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrument = await makeInstrument({ labId: lab.id, name: 'Bruker NMR 600', slotMinutes: 1, minMinutes: 1 });
    approvalInstrument = await makeInstrument({ labId: lab.id, name: 'Krios G4', requiresApproval: true });
  });

  afterEach(async () => {
    for (const p of pipelines.splice(0)) await p.stop();
  });

  async function pipeline(settings: Parameters<typeof startTestPipeline>[0] = {}, options: Parameters<typeof startTestPipeline>[1] = {}): Promise<TestPipeline> {
    const started = await startTestPipeline({ publicUrl: server.url, ...settings }, options);
    pipelines.push(started);
    return started;
  }

  it("confirms a Vietnamese researcher's booking in Vietnamese, in her zone and the lab's, as text and HTML, with a link that opens the app", async () => {
    const p = await pipeline();
    const vnu = await makeInstitution({ name: 'VNU Hanoi', countryCode: 'VN', timeZone: 'Asia/Ho_Chi_Minh' });
    const lan = await makeUser({ institutionId: vnu.id, name: 'Nguyễn Thị Lan', email: 'lan@vnu.test', locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' });
    const start = DateTime.now().setZone('Asia/Shanghai').plus({ days: 3 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    const { booking } = await requestBooking(asViewer(lan), { instrumentId: instrument.id, start, end: start.plus({ hours: 2 }) });
    expect(booking?.status).to.equal('CONFIRMED');

    await waitFor(async () => readMailbox(p.mailDir).length >= 1, 'the confirmation');
    const [mail] = readMailbox(p.mailDir);
    const reference = bookingReference(booking!.id);
    expect(mail.subject).to.match(/^Đã xác nhận lịch đặt: Bruker NMR 600, 08:00 /).and.contain(`(${reference})`);
    expect(mail.headers['content-language']).to.equal('vi');
    expect(mail.text).to.contain('Kính gửi Nguyễn Thị Lan,');
    expect(mail.text).to.contain(`Mã đặt lịch: ${reference}`);
    // Her zone (Hanoi, UTC+07:00) and the lab's (Kunming, UTC+08:00), each with its offset.
    expect(mail.text).to.match(/Giờ của bạn: 08:00–10:00 .*\(Asia\/Ho_Chi_Minh, UTC\+07:00\)/);
    expect(mail.text).to.match(/Giờ địa phương của phòng thí nghiệm: 09:00–11:00 .*\(Asia\/Shanghai, UTC\+08:00\)/);

    // multipart/alternative: a text and an HTML part of the same message, and the invitation in the lab's zone.
    const raw = rawMail(p, mail.file);
    expect(raw).to.match(/Content-Type: multipart\/alternative/i);
    expect(raw).to.match(/Content-Type: text\/plain; charset=utf-8/i);
    expect(raw).to.match(/Content-Type: text\/html; charset=utf-8/i);
    expect(mail.html).to.contain('<html lang="vi" dir="ltr">').and.contain('<h1').and.contain('Lịch đặt của bạn đã được xác nhận');
    expect(mail.ics).to.contain(`DTSTART;TZID=Asia/Shanghai:${start.toFormat("yyyyMMdd'T'HHmmss")}`);

    // The link opens the web app (which sends a signed-out visitor to sign-in and back), not a 404.
    const link = /Xem lịch đặt: (\S+)/.exec(mail.text)![1];
    expect(link).to.equal(`${server.url}/bookings?booking=${booking!.id}`);
    const page = await fetch(link, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).to.equal(200);
    expect(await page.text()).to.match(/<div id="root">/);
    const signIn = await fetch(`${server.url}/auth/sign-in?return=${encodeURIComponent(new URL(link).pathname + new URL(link).search)}`, { redirect: 'manual' });
    expect(signIn.status).to.equal(200);
    expect(signIn.headers.get('set-cookie')).to.contain(`labshare_return=${encodeURIComponent(`/bookings?booking=${booking!.id}`)}`);
  });

  it('sends only the reminders a person chose in their profile', async () => {
    const start = DateTime.fromMillis(Math.ceil((Date.now() + 70_000) / 60_000) * 60_000);
    const wants = await makeUser({ name: 'Aung Ko', email: 'aung@uy.test', timeZone: 'Asia/Yangon', locale: 'en' });
    const dayBeforeOnly = await makeUser({ name: 'Siti', email: 'siti@um.test', timeZone: 'Asia/Kuala_Lumpur', locale: 'en' });
    const none = await makeUser({ name: 'Ly', email: 'ly@rupp.test', timeZone: 'Asia/Phnom_Penh', locale: 'en' });
    await User.update({ reminders: 'DAY_BEFORE' }, { where: { id: dayBeforeOnly.id } });
    await User.update({ reminders: '' }, { where: { id: none.id } });
    // The same start on an instrument each: all three reminders are due at once.
    const instruments = await Promise.all([wants, dayBeforeOnly, none].map((person) =>
      makeInstrument({ labId: lab.id, name: `Orbitrap ${person.name}`, slotMinutes: 1, minMinutes: 1 })));
    // A short lead, due a few seconds from now: the profile's "shortly before" reminder.
    const p = await pipeline({ reminderOffsetsMs: [start.toMillis() - Date.now() - 6000] });
    for (const [i, person] of [wants, dayBeforeOnly, none].entries()) {
      const { booking } = await requestBooking(asViewer(person), { instrumentId: instruments[i].id, start, end: start.plus({ minutes: 5 }) });
      expect(booking?.status, person.name).to.equal('CONFIRMED');
    }
    await waitFor(async () => readMailbox(p.mailDir).some((m) => m.subject.startsWith('Reminder')), 'the wanted reminder', 30_000);
    await waitFor(async () => (await p.queues.reminders.getCompletedCount()) >= 3, 'all three reminder jobs');
    const reminders = readMailbox(p.mailDir).filter((m) => m.subject.startsWith('Reminder'));
    expect(reminders.map((m) => m.to)).to.have.length(1);
    expect(reminders[0].to).to.contain('aung@uy.test');
    const skipped = await Promise.all((await p.queues.reminders.getCompleted()).map((j) => j.returnvalue as string));
    expect(skipped.filter((v) => v.startsWith('not wanted'))).to.have.length(2);
  });

  it("sends a manager's digest once per morning in their zone, however many workers plan it, and no per-request mail", async () => {
    const chula = await makeInstitution({ name: 'Chulalongkorn University', countryCode: 'TH', timeZone: 'Asia/Bangkok' });
    const bangkok = await makeUser({ institutionId: chula.id, name: 'Pornthip Srisuk', email: 'pornthip@chula.test', locale: 'th', timeZone: 'Asia/Bangkok' });
    const lima = await makeUser({ name: 'Rosa', email: 'rosa@pucp.test', locale: 'en', timeZone: 'America/Lima' });
    const eachRequest = await makeUser({ name: 'Wei', email: 'wei@kib.test', locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    for (const m of [bangkok, lima, eachRequest]) await addMember(m.id, lab.id, 'MANAGER');
    await User.update({ approvalMail: 'DAILY_DIGEST' }, { where: { id: [bangkok.id, lima.id] } });
    const researcher = await makeUser({ name: 'Nguyễn Thị Lan', email: 'lan@vnu.test', locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' });
    const starts = [3, 4].map((d) => DateTime.now().setZone('Asia/Shanghai').plus({ days: d }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }));

    // 08:30 in Bangkok tomorrow: 01:30 UTC, which is 20:30 the evening before in Lima.
    const morning = DateTime.utc().plus({ days: 1 }).set({ hour: 1, minute: 30, second: 0, millisecond: 0 });
    const clock = fixedClock(morning.toISO()!);
    const mailDir = (await pipeline({}, { clock })).mailDir;
    const second = await pipeline({}, { clock, mailDir, relay: false });

    const ids: number[] = [];
    for (const start of starts) {
      const { booking } = await requestBooking(asViewer(researcher), { instrumentId: approvalInstrument.id, start, end: start.plus({ hours: 1 }) });
      ids.push(booking!.id);
    }
    // Requests: the researcher hears twice, the per-request manager is asked twice, the digest managers not at all.
    await waitFor(async () => readMailbox(mailDir).length >= 4, 'the request e-mails');
    await sleep(500);
    expect(readMailbox(mailDir).map((m) => m.to.match(/<(.*)>/)?.[1] ?? m.to).sort()).to.deep.equal(['lan@vnu.test', 'lan@vnu.test', 'wei@kib.test', 'wei@kib.test']);

    // Two workers' housekeeping plans the digests at the same moment, and once more a little later.
    const deps = (p: TestPipeline) => ({ settings: p.settings, mailer: null as never, clock, queues: p.queues, logger });
    const planned = await Promise.all(pipelines.map((p) => processHousekeeping({} as Job, deps(p))));
    expect(planned.map((r) => r.digestsPlanned)).to.deep.equal([1, 1]);
    await waitFor(async () => readMailbox(mailDir).some((m) => m.to.includes('pornthip')), 'the digest');
    await planDigests(second.queues, second.settings, morning.plus({ hours: 2 }));
    await sleep(1500);
    const digests = readMailbox(mailDir).filter((m) => !m.to.includes('lan@') && !m.to.includes('wei@'));
    expect(digests.map((m) => m.to)).to.have.length(1);
    const [digest] = digests;
    expect(digest.to).to.contain('pornthip@chula.test');
    expect(digest.subject).to.equal('มีคำขอจอง 2 รายการรอการตัดสินใจของคุณ');
    for (const id of ids) expect(digest.text).to.contain(bookingReference(id)).and.contain(`${second.settings.publicUrl}/approvals?booking=${id}`);
    expect(digest.text).to.contain('(Asia/Bangkok, UTC+07:00)').and.contain('(Asia/Shanghai, UTC+08:00)');

    // The next morning is another digest; Lima's morning comes later in UTC and gets its own.
    expect(await planDigests(second.queues, second.settings, morning.plus({ days: 1 }))).to.equal(1);
    expect(await planDigests(second.queues, second.settings, morning.plus({ hours: 12 }))).to.equal(1);
    const digestRecipients = () => readMailbox(mailDir).filter((m) => !m.to.includes('lan@') && !m.to.includes('wei@')).map((m) => m.to.match(/<(.*)>/)?.[1] ?? m.to);
    await waitFor(async () => digestRecipients().length >= 3, 'the next two digests');
    await sleep(500);
    const all = digestRecipients();
    expect(all.sort()).to.deep.equal(['pornthip@chula.test', 'pornthip@chula.test', 'rosa@pucp.test']);
  });
});
