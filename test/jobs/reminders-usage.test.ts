import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { UserViewer } from '../../src/access/viewer';
import { cancelBooking, requestBooking, rescheduleBooking } from '../../src/booking';
import { recordBookingEvent } from '../../src/booking/store';
import { runTransaction } from '../../src/db/transaction';
import { Booking, BookingHistory, NotificationDelivery, OutboxEvent, UsageLog } from '../../src/db/models';
import type { BookingRow, InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { reminderKey } from '../../jobs/reminders';
import { usageLogJobId } from '../../jobs/usage-logs';
import { resetTables, testDatabase } from '../helpers/db';
import { EVERY_DAY, makeBooking, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { obliterateQueues, readMailbox, startTestPipeline, waitFor, type TestPipeline } from './support';

const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });

/** The next whole minute at least `ahead` ms from now. */
const nextMinute = (ahead: number) => DateTime.fromMillis(Math.ceil((Date.now() + ahead) / 60_000) * 60_000);

/** Writes the event a confirmation would have written, for a booking made by a factory. */
async function confirmedEvent(booking: BookingRow): Promise<void> {
  const sequelize = await testDatabase();
  await runTransaction(sequelize, (transaction) => recordBookingEvent(booking, 'PENDING', { event: 'booking.confirmed', actorUserId: null }, transaction));
}

describe('reminders and usage logs with short delays (MariaDB + Redis)', function () {
  this.timeout(30_000);
  let pipeline: TestPipeline | undefined;
  let lab: LabRow;
  let instrument: InstrumentRow;
  let researcher: UserRow;

  beforeEach(async () => {
    await resetTables(['notification_deliveries', 'outbox_events', 'usage_logs', 'booking_history', 'bookings', 'opening_hours', 'instruments', 'labs', 'users', 'institutions']);
    await obliterateQueues();
    lab = await makeLab({ timeZone: 'Asia/Yangon' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrument = await makeInstrument({ labId: lab.id, name: 'Bruker timsTOF', slotMinutes: 1, minMinutes: 1 });
    researcher = await makeUser({ name: 'Aung Ko', email: 'aung@uy.test', timeZone: 'Asia/Yangon', locale: 'en' });
  });

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  const reminders = () => readMailbox(pipeline!.mailDir).filter((m) => m.subject.startsWith('Reminder'));

  describe('reminders', () => {
    it('sends one reminder at the configured lead time before the start', async () => {
      const start = nextMinute(60_000);
      pipeline = await startTestPipeline({ reminderOffsetsMs: [start.toMillis() - Date.now() - 1500] });
      const { booking } = await requestBooking(asViewer(researcher), { instrumentId: instrument.id, start, end: start.plus({ minutes: 30 }) });
      await waitFor(async () => reminders().length >= 1, 'the reminder');
      const [mail] = reminders();
      expect(mail.to).to.contain('aung@uy.test');
      expect(mail.subject).to.match(/^Reminder: Bruker timsTOF starts in \d+ minutes?/);
      expect(mail.text).to.contain(start.setZone('Asia/Yangon').toFormat('HH:mm')).and.contain('(Asia/Yangon, UTC+06:30)');
      const [row] = (await NotificationDelivery.findAll({ raw: true })).filter((r) => r.eventKey.startsWith('reminder.'));
      expect(row.eventKey).to.equal(reminderKey({ bookingId: booking!.id, offsetMs: pipeline.settings.reminderOffsetsMs[0], startMs: start.toMillis() }));
      expect(row.status).to.equal('SENT');
    });

    it('sends no reminder for a booking cancelled before the reminder was due', async () => {
      const start = nextMinute(60_000);
      pipeline = await startTestPipeline({ reminderOffsetsMs: [start.toMillis() - Date.now() - 1500] });
      const { booking } = await requestBooking(asViewer(researcher), { instrumentId: instrument.id, start, end: start.plus({ minutes: 30 }) });
      const jobId = reminderKey({ bookingId: booking!.id, offsetMs: pipeline.settings.reminderOffsetsMs[0], startMs: start.toMillis() });
      await waitFor(async () => (await pipeline!.queues.reminders.getJobState(jobId)) === 'delayed', 'the reminder to be scheduled');
      await cancelBooking(asViewer(researcher), { bookingId: booking!.id });

      await waitFor(async () => (await pipeline!.queues.reminders.getJobState(jobId)) === 'completed', 'the reminder job to run');
      expect((await pipeline.queues.reminders.getJob(jobId))!.returnvalue).to.equal('stale: booking is CANCELLED');
      expect(reminders()).to.deep.equal([]);
      expect(readMailbox(pipeline.mailDir).map((m) => m.subject.split(':')[0])).to.have.members(['Booking confirmed', 'Booking cancelled']);
    });

    it('sends the reminder for the new start only when a booking is moved', async () => {
      const start = nextMinute(60_000);
      const lead = start.toMillis() - Date.now() - 2000;
      // [lead, lead + 1 min]: for the old start only `lead` is still ahead; after the move by one minute,
      // `lead + 1 min` of the new start falls at the same moment.
      pipeline = await startTestPipeline({ reminderOffsetsMs: [lead, lead + 60_000] });
      const { booking } = await requestBooking(asViewer(researcher), { instrumentId: instrument.id, start, end: start.plus({ minutes: 30 }) });
      const oldJob = reminderKey({ bookingId: booking!.id, offsetMs: lead, startMs: start.toMillis() });
      await waitFor(async () => (await pipeline!.queues.reminders.getJobState(oldJob)) === 'delayed', 'the first reminder to be scheduled');
      const moved = start.plus({ minutes: 1 });
      const result = await rescheduleBooking(asViewer(researcher), { bookingId: booking!.id, start: moved, end: moved.plus({ minutes: 30 }) });
      expect(result.errors).to.deep.equal([]);

      await waitFor(async () => (await pipeline!.queues.reminders.getJobState(oldJob)) === 'completed', 'the old reminder job to run');
      expect((await pipeline.queues.reminders.getJob(oldJob))!.returnvalue).to.equal('stale: booking was moved');
      await waitFor(async () => reminders().length >= 1, 'the reminder for the new start');
      await sleep(300);
      expect(reminders()).to.have.length(1);
      expect(reminders()[0].text).to.contain(moved.setZone('Asia/Yangon').toFormat('HH:mm'));
    });
  });

  describe('usage logs', () => {
    /** A booking that started `minutesAgo` and ends `endInMs` from now (millisecond precision, like the column). */
    const ended = (minutesAgo: number, endInMs: number) => {
      const now = Date.now();
      return { start: DateTime.fromMillis(now - minutesAgo * 60_000), end: DateTime.fromMillis(now + endInMs) };
    };

    it('writes a COMPLETED log with the checked-in minutes at end + grace, and completes the booking', async () => {
      pipeline = await startTestPipeline({ usageGraceMs: 500 });
      const { start, end } = ended(90, 800);
      const booking = await makeBooking({
        instrumentId: instrument.id, userId: researcher.id, start, end,
        checkedInAt: start.plus({ minutes: 10 }).toJSDate(), checkedOutAt: end.minus({ minutes: 20 }).toJSDate(),
      });
      await confirmedEvent(booking);
      const jobId = usageLogJobId(booking.id, end.toMillis());
      await waitFor(async () => (await pipeline!.queues.usageLogs.getJobState(jobId)) === 'delayed', 'the usage job to wait for the end');

      const log = await waitFor(() => UsageLog.findOne({ where: { bookingId: booking.id }, raw: true }), 'the usage log');
      // booked: 90 minutes + 0.8 s, rounded; used: from check-in (+10 min) to check-out (20 min before the end)
      expect(log).to.include({ outcome: 'COMPLETED', bookedMinutes: 90, usedMinutes: 60, labId: lab.id, instrumentId: instrument.id, institutionId: researcher.institutionId });
      expect(log.createdAt.getTime()).to.be.at.least(end.toMillis() + 500 - 50);
      const after = (await Booking.findByPk(booking.id, { raw: true }))!;
      expect(after.status).to.equal('COMPLETED');
      const history = await BookingHistory.findAll({ where: { bookingId: booking.id }, order: [['id', 'ASC']], raw: true });
      expect(history.map((h) => [h.fromStatus, h.toStatus, h.actorUserId])).to.deep.include(['CONFIRMED', 'COMPLETED', null]);
      expect((await OutboxEvent.findAll({ where: { aggregateId: String(booking.id) }, raw: true })).map((e) => e.type)).to.include('booking.completed');
    });

    it('writes NO_SHOW with no minutes used when check-in is required and did not happen', async () => {
      const strict = await makeInstrument({ labId: lab.id, requiresCheckIn: true });
      pipeline = await startTestPipeline({ usageGraceMs: 300 });
      const { start, end } = ended(30, 300);
      const booking = await makeBooking({ instrumentId: strict.id, userId: researcher.id, start, end });
      await confirmedEvent(booking);
      const log = await waitFor(() => UsageLog.findOne({ where: { bookingId: booking.id }, raw: true }), 'the usage log');
      expect(log).to.include({ outcome: 'NO_SHOW', bookedMinutes: 30, usedMinutes: 0 });
      expect((await Booking.findByPk(booking.id, { raw: true }))!.status).to.equal('NO_SHOW');
    });

    it('uses the booked span when nobody checked in on an instrument without check-in, and writes the log once', async () => {
      pipeline = await startTestPipeline({ usageGraceMs: 200 });
      const { start, end } = ended(45, 200);
      const booking = await makeBooking({ instrumentId: instrument.id, userId: researcher.id, start, end });
      await confirmedEvent(booking);
      await waitFor(() => UsageLog.findOne({ where: { bookingId: booking.id }, raw: true }), 'the usage log');
      // The same job again (as after a crash between the status change and the log) changes nothing.
      await pipeline.queues.usageLogs.add('finish', { bookingId: booking.id, endMs: end.toMillis() }, { jobId: 'usage-again' });
      await waitFor(async () => (await pipeline!.queues.usageLogs.getJobState('usage-again')) === 'completed', 'the repeated job');
      expect((await pipeline.queues.usageLogs.getJob('usage-again'))!.returnvalue).to.equal('ALREADY_LOGGED');
      const logs = await UsageLog.findAll({ where: { bookingId: booking.id }, raw: true });
      expect(logs.map((l) => [l.outcome, l.usedMinutes])).to.deep.equal([['COMPLETED', 45]]);
    });

    it('writes no usage log for a booking cancelled before it ended', async () => {
      pipeline = await startTestPipeline({ usageGraceMs: 200 });
      const { start, end } = ended(10, 1500);
      const booking = await makeBooking({ instrumentId: instrument.id, userId: researcher.id, start, end });
      await confirmedEvent(booking);
      const jobId = usageLogJobId(booking.id, end.toMillis());
      await waitFor(async () => (await pipeline!.queues.usageLogs.getJobState(jobId)) === 'delayed', 'the usage job');
      const cancelled = await cancelBooking(asViewer(researcher), { bookingId: booking.id });
      expect(cancelled.errors).to.deep.equal([]);
      await waitFor(async () => (await pipeline!.queues.usageLogs.getJobState(jobId)) === 'completed', 'the usage job to run');
      expect((await pipeline.queues.usageLogs.getJob(jobId))!.returnvalue).to.equal('NOT_HELD');
      expect(await UsageLog.count()).to.equal(0);
    });
  });

  describe('housekeeping', () => {
    it('expires undecided requests, finishes bookings whose usage job was lost, and prunes old outbox rows', async () => {
      const manager = await makeUser();
      const approval = await makeInstrument({ labId: lab.id, requiresApproval: true });
      const soon = DateTime.fromMillis(Date.now() + 4 * 60_000).startOf('second');
      const undecided = await makeBooking({ instrumentId: approval.id, userId: researcher.id, status: 'PENDING', start: soon, end: soon.plus({ hours: 1 }) });
      const later = DateTime.fromMillis(Date.now() + 3 * 3600_000).startOf('second');
      const stillOpen = await makeBooking({ instrumentId: approval.id, userId: manager.id, status: 'PENDING', start: later, end: later.plus({ hours: 1 }) });
      const past = DateTime.fromMillis(Date.now() - 3 * 3600_000).startOf('second');
      const lost = await makeBooking({ instrumentId: instrument.id, userId: researcher.id, start: past, end: past.plus({ hours: 1 }) });
      const old = await OutboxEvent.create({
        eventId: '00000000-0000-4000-8000-000000000001', type: 'booking.completed', aggregateType: 'booking', aggregateId: '0', payload: {},
        dispatchedAt: new Date(Date.now() - 30 * 24 * 3600_000),
      });

      // 5 minutes' lead: the request starting in 4 minutes expires, the one in 3 hours stays.
      pipeline = await startTestPipeline({ housekeepingIntervalMs: 300, expiryLeadMs: 5 * 60_000, usageGraceMs: 60 * 60_000 }, { housekeeping: true });
      await waitFor(async () => (await Booking.findByPk(undecided.id, { raw: true }))!.status === 'EXPIRED', 'the request to expire');
      await waitFor(() => UsageLog.findOne({ where: { bookingId: lost.id }, raw: true }), 'the lost usage log');
      await waitFor(async () => !(await OutboxEvent.findByPk(old.id)), 'the old outbox row to be pruned');
      expect((await Booking.findByPk(stillOpen.id, { raw: true }))!.status).to.equal('PENDING');
      expect((await Booking.findByPk(lost.id, { raw: true }))!.status).to.equal('COMPLETED');
      const expiredMail = await waitFor(async () => readMailbox(pipeline!.mailDir).find((m) => m.subject.startsWith('Request expired')), 'the expiry email');
      expect(expiredMail.to).to.contain('aung@uy.test');
    });
  });
});
