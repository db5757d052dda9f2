import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { UserViewer } from '../../src/access/viewer';
import { approveBooking, cancelBooking, requestBooking, rescheduleBooking } from '../../src/booking';
import { NotificationDelivery, OutboxEvent, WebhookSubscription } from '../../src/db/models';
import type { InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { stableMessageId } from '../../src/notifications/delivery-log';
import { resetTables } from '../helpers/db';
import { addMember, EVERY_DAY, makeInstitution, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { icsLines, obliterateQueues, readMailbox, startTestPipeline, startWebhookReceiver, waitFor, type TestPipeline, type WebhookReceiver } from './support';

const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });
const labTime = (at: DateTime) => at.setZone('Asia/Bangkok').toFormat("yyyyMMdd'T'HHmmss");
const SECRET = 'partner-shared-secret-0123456789';

describe('confirmations and webhooks (MariaDB + Redis)', function () {
  this.timeout(30_000);
  let pipeline: TestPipeline;
  let receiver: WebhookReceiver;
  let lab: LabRow;
  let instrument: InstrumentRow;
  let approvalInstrument: InstrumentRow;
  let researcher: UserRow;
  let start: DateTime;

  beforeEach(async () => {
    await resetTables(['notification_deliveries', 'outbox_events', 'webhook_subscriptions', 'usage_logs', 'booking_history', 'bookings',
      'opening_hours', 'lab_memberships', 'instruments', 'labs', 'users', 'institutions']);
    await obliterateQueues();
    receiver = await startWebhookReceiver();
    lab = await makeLab({ timeZone: 'Asia/Bangkok', name: 'Joint Proteomics Lab' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrument = await makeInstrument({ labId: lab.id, name: 'Orbitrap Exploris 480' });
    approvalInstrument = await makeInstrument({ labId: lab.id, name: 'Krios G4', requiresApproval: true });
    const institution = await makeInstitution({ name: 'Fudan University', countryCode: 'CN', timeZone: 'Asia/Shanghai' });
    researcher = await makeUser({ institutionId: institution.id, name: '王芳', email: 'wang.fang@fudan.test', locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    await WebhookSubscription.create({ institutionId: institution.id, url: receiver.url, secret: SECRET, eventTypes: null });
    // The lab's institution listens to cancellations only.
    await WebhookSubscription.create({ institutionId: lab.institutionId, url: `${receiver.url}/cancellations`, secret: SECRET, eventTypes: ['booking.cancelled'] });
    // Never called: an institution with no part in the booking, and the booker's institution's switched-off hook.
    const bystander = await makeInstitution({ name: 'Bystander University', countryCode: 'LA', timeZone: 'Asia/Vientiane' });
    await WebhookSubscription.create({ institutionId: bystander.id, url: `${receiver.url}/bystander`, secret: SECRET, eventTypes: null });
    await WebhookSubscription.create({ institutionId: institution.id, url: `${receiver.url}/inactive`, secret: SECRET, eventTypes: null, active: false });
    start = DateTime.now().setZone('Asia/Bangkok').plus({ days: 3 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    pipeline = await startTestPipeline();
  });

  afterEach(async () => {
    await pipeline.stop();
    await receiver.close();
  });

  it('sends exactly one email with a matching .ics and one webhook whose signature verifies for a confirmed booking', async () => {
    const { booking } = await requestBooking(asViewer(researcher), { instrumentId: instrument.id, start, end: start.plus({ hours: 2 }) });
    expect(booking?.status).to.equal('CONFIRMED');

    await waitFor(async () => readMailbox(pipeline.mailDir).length >= 1 && receiver.received.length >= 1, 'the email and the webhook');
    await sleep(500); // anything duplicated would arrive now
    const mails = readMailbox(pipeline.mailDir);
    expect(mails).to.have.length(1);
    const [mail] = mails;
    const [event] = await OutboxEvent.findAll({ where: { aggregateId: String(booking!.id) }, raw: true });

    // In the recipient's language and zone (Shanghai, UTC+08:00), though the lab is in Bangkok.
    expect(mail.to).to.contain('wang.fang@fudan.test');
    expect(mail.subject).to.match(/^预约已确认：Orbitrap Exploris 480/);
    expect(mail.text).to.contain('您的时间：').and.contain('10:00–12:00（Asia/Shanghai，UTC+08:00）');
    expect(mail.text).to.contain('实验室当地时间：').and.contain('09:00–11:00（Asia/Bangkok，UTC+07:00）');
    expect(mail.messageId).to.equal(stableMessageId(event.eventId, 'wang.fang@fudan.test', 'labshare.example'));

    const ics = icsLines(mail.ics!);
    const value = (name: string) => ics.find(([k]) => k === name)?.[1];
    expect(ics[0]).to.deep.equal(['BEGIN', 'VCALENDAR']);
    expect(ics[ics.length - 1]).to.deep.equal(['END', 'VCALENDAR']);
    expect(value('METHOD')).to.equal('REQUEST');
    expect(value('UID')).to.equal(`booking-${booking!.id}@labshare.example`);
    expect(value('SEQUENCE')).to.equal('1');
    // In the lab's zone, named by TZID and defined by the VTIMEZONE.
    expect(ics.find(([k]) => k.startsWith('DTSTART;'))).to.deep.equal(['DTSTART;TZID=Asia/Bangkok', labTime(start)]);
    expect(ics.find(([k]) => k.startsWith('DTEND;'))).to.deep.equal(['DTEND;TZID=Asia/Bangkok', labTime(start.plus({ hours: 2 }))]);
    expect(value('TZID')).to.equal('Asia/Bangkok');
    expect(value('TZOFFSETTO')).to.equal('+0700');

    expect(receiver.received.map((r) => r.path)).to.deep.equal(['/hooks/labshare']);
    const [hook] = receiver.received;
    const timestamp = hook.headers['x-labshare-timestamp'] as string;
    const expected = `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${hook.body}`).digest('hex')}`;
    expect(hook.headers['x-labshare-signature']).to.equal(expected);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).to.be.lessThan(30);
    const body = JSON.parse(hook.body);
    expect(body).to.include({ id: event.eventId, type: 'booking.confirmed' });
    expect(body.data).to.include({ bookingId: booking!.id, status: 'CONFIRMED', start: start.toUTC().toISO() });

    const deliveries = await NotificationDelivery.findAll({ raw: true, order: [['channel', 'ASC']] });
    expect(deliveries.map((d) => [d.channel, d.status, d.eventKey])).to.deep.equal([
      ['EMAIL', 'SENT', event.eventId], ['WEBHOOK', 'SENT', event.eventId],
    ]);
    expect((await OutboxEvent.findByPk(event.id))!.dispatchedAt).to.be.instanceOf(Date);
  });

  it('tells the booker a request is pending and asks each manager in their own language', async () => {
    const manager = await makeUser({ name: 'Somchai Manager', email: 'somchai@chula.test', locale: 'en', timeZone: 'Asia/Bangkok' });
    await addMember(manager.id, lab.id, 'MANAGER');
    const { booking } = await requestBooking(asViewer(researcher), { instrumentId: approvalInstrument.id, start, end: start.plus({ hours: 1 }) });
    expect(booking?.status).to.equal('PENDING');

    await waitFor(async () => readMailbox(pipeline.mailDir).length >= 2, 'two emails');
    await sleep(300);
    const mails = readMailbox(pipeline.mailDir);
    const byRecipient = Object.fromEntries(mails.map((m) => [m.to.includes('somchai') ? 'manager' : 'booker', m]));
    expect(mails).to.have.length(2);
    expect(byRecipient.booker.subject).to.match(/^预约申请已提交/);
    expect(byRecipient.booker.ics).to.equal(undefined);
    expect(byRecipient.manager.subject).to.match(/^Approval needed: Krios G4/);
    expect(byRecipient.manager.text).to.contain('王芳').and.match(/Your time: .*09:00\s–\s10:00 \(Asia\/Bangkok, UTC\+07:00\)/);
  });

  it('follows a confirmed-then-cancelled booking with METHOD:CANCEL for the same UID at a higher SEQUENCE', async () => {
    const manager = await makeUser();
    await addMember(manager.id, lab.id, 'MANAGER');
    const { booking } = await requestBooking(asViewer(researcher), { instrumentId: approvalInstrument.id, start, end: start.plus({ hours: 1 }) });
    await approveBooking(asViewer(manager), { bookingId: booking!.id });
    await cancelBooking(asViewer(researcher), { bookingId: booking!.id, note: '样品未到' });

    // booker: requested, confirmed, cancelled; the manager: the request (unless it was already decided when processed)
    await waitFor(async () => readMailbox(pipeline.mailDir).filter((m) => m.to.includes('wang.fang')).length >= 3, 'three emails to the booker');
    const invites = readMailbox(pipeline.mailDir).filter((m) => m.ics).map((m) => Object.fromEntries(icsLines(m.ics!)));
    const request = invites.find((i) => i.METHOD === 'REQUEST')!;
    const cancel = invites.find((i) => i.METHOD === 'CANCEL')!;
    expect(cancel.UID).to.equal(request.UID);
    expect(Number(cancel.SEQUENCE)).to.be.greaterThan(Number(request.SEQUENCE));
    // The lab's institution subscribed to cancellations only.
    await waitFor(async () => receiver.received.some((r) => r.path.endsWith('/cancellations')), 'the cancellation webhook');
    expect(receiver.received.filter((r) => r.path.endsWith('/cancellations')).map((r) => JSON.parse(r.body).type)).to.deep.equal(['booking.cancelled']);
    expect(cancel.STATUS).to.equal('CANCELLED');
    expect(readMailbox(pipeline.mailDir).find((m) => m.subject.startsWith('预约已取消'))!.text).to.contain('备注：样品未到');
  });

  it("tells only the booker's institution who booked and why; the lab's institution gets the instrument, the span and the status change", async () => {
    const manager = await makeUser({ name: 'Somchai Manager', email: 'somchai@chula.test' });
    await addMember(manager.id, lab.id, 'MANAGER');
    // The lab's institution listens to every event type for this test.
    await WebhookSubscription.update({ eventTypes: null }, { where: { url: `${receiver.url}/cancellations` } });
    const end = start.plus({ hours: 1 });
    const { booking } = await requestBooking(asViewer(researcher), { instrumentId: instrument.id, start, end, purpose: 'PURPOSE-SECRET patient 17' });
    const moved = await rescheduleBooking(asViewer(researcher), { bookingId: booking!.id, start: start.plus({ hours: 2 }), end: end.plus({ hours: 2 }) });
    expect(moved.errors).to.deep.equal([]);
    await cancelBooking(asViewer(manager), { bookingId: booking!.id, note: 'NOTE-SECRET 王芳 broke the probe' });

    const types = ['booking.confirmed', 'booking.rescheduled', 'booking.cancelled'];
    const at = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
    await waitFor(async () => at('/hooks/labshare').length >= 3 && at('/hooks/labshare/cancellations').length >= 3, 'three webhooks to each institution');
    const own = at('/hooks/labshare').sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type));
    const labs = at('/hooks/labshare/cancellations').sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type));
    expect(own.map((b) => b.type)).to.deep.equal(types);
    expect(labs.map((b) => b.type)).to.deep.equal(types);

    // The booker's own institution: the whole event, people included.
    expect(own[2].data).to.deep.include({ bookingId: booking!.id, userId: researcher.id, actorUserId: manager.id, note: 'NOTE-SECRET 王芳 broke the probe' });
    expect(own[1].data).to.include({ bookingId: booking!.id, userId: researcher.id, actorUserId: researcher.id });

    // Anyone else concerned: exactly the instrument, the span and the status change.
    const iso = (d: DateTime) => d.toUTC().toISO();
    expect(labs.map((b) => b.data)).to.deep.equal([
      { instrumentId: instrument.id, status: 'CONFIRMED', previousStatus: null, start: iso(start), end: iso(end) },
      {
        instrumentId: instrument.id, status: 'CONFIRMED', previousStatus: 'CONFIRMED', start: iso(start.plus({ hours: 2 })), end: iso(end.plus({ hours: 2 })),
        previousStart: iso(start), previousEnd: iso(end),
      },
      { instrumentId: instrument.id, status: 'CANCELLED', previousStatus: 'CONFIRMED', start: iso(start.plus({ hours: 2 })), end: iso(end.plus({ hours: 2 })) },
    ]);
    const labBodies = receiver.received.filter((r) => r.path === '/hooks/labshare/cancellations').map((r) => r.body).join('\n');
    for (const secret of ['NOTE-SECRET', 'PURPOSE-SECRET', 'userId', 'bookingId', 'actorUserId', 'note', '王芳', researcher.email]) {
      expect(labBodies).not.to.contain(secret);
    }
    // Still signed over exactly the body sent.
    const hook = receiver.received.find((r) => r.path === '/hooks/labshare/cancellations')!;
    const timestamp = hook.headers['x-labshare-timestamp'] as string;
    expect(hook.headers['x-labshare-signature']).to.equal(`v1=${createHmac('sha256', SECRET).update(`${timestamp}.${hook.body}`).digest('hex')}`);
  });

  it('treats a duplicated or re-enqueued event as a no-op: still one email and one webhook', async () => {
    const { booking } = await requestBooking(asViewer(researcher), { instrumentId: instrument.id, start, end: start.plus({ hours: 1 }) });
    await waitFor(async () => readMailbox(pipeline.mailDir).length >= 1 && receiver.received.length >= 1, 'first delivery');
    const rows = await OutboxEvent.findAll({ where: { aggregateId: String(booking!.id) }, raw: true });
    // The relay dispatches the same events again (same jobIds: BullMQ ignores them) ...
    await pipeline.relay!.dispatch(rows);
    // ... and a copy under a new jobId (as if the original job had been removed) runs, finds SENT, sends nothing.
    const job = await pipeline.queues.confirmations.getJob(rows[0].eventId);
    await pipeline.queues.confirmations.add(job!.name, job!.data, { jobId: `${rows[0].eventId}-copy` });
    const fanOut = await pipeline.queues.webhooks.getJob(rows[0].eventId);
    await pipeline.queues.webhooks.add('deliver', { ...fanOut!.data, subscriptionId: (await WebhookSubscription.findOne({ where: { url: receiver.url }, raw: true }))!.id }, { jobId: `${rows[0].eventId}-copy` });
    await waitFor(async () => (await pipeline.queues.confirmations.getJobState(`${rows[0].eventId}-copy`)) === 'completed', 'the copy to run');
    await waitFor(async () => (await pipeline.queues.webhooks.getJobState(`${rows[0].eventId}-copy`)) === 'completed', 'the webhook copy to run');
    expect(readMailbox(pipeline.mailDir)).to.have.length(1);
    expect(receiver.received).to.have.length(1);
  });

  it('retries a failing webhook with growing backoff, then marks it FAILED with the error', async () => {
    receiver.status = 503;
    await requestBooking(asViewer(researcher), { instrumentId: instrument.id, start, end: start.plus({ hours: 1 }) });
    const failed = await waitFor(async () => NotificationDelivery.findOne({ where: { channel: 'WEBHOOK', status: 'FAILED' }, raw: true }), 'a FAILED webhook row');
    expect(failed.attempts).to.equal(3);
    expect(failed.lastError).to.match(/HTTP 503/);
    expect(receiver.received).to.have.length(3);
    // Same delivery id on every attempt, so a receiver can drop duplicates.
    expect(new Set(receiver.received.map((r) => r.headers['x-labshare-delivery'])).size).to.equal(1);
    // Exponential backoff from webhookBackoffMs = 100: about 100 ms, then about 200 ms.
    const [first, second, third] = receiver.received.map((r) => r.at);
    expect(second - first).to.be.at.least(90);
    expect(third - second).to.be.at.least(190);
  });
});
