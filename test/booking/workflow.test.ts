import { expect } from 'chai';
import { messageOf } from '../../src/i18n/render';
import { DateTime } from 'luxon';
import type { UserViewer } from '../../src/access/viewer';
import {
  approveBooking, cancelBooking, checkIn, checkOut, rejectBooking, requestBooking, rescheduleBooking,
} from '../../src/booking';
import { fixedClock } from '../../src/clock';
import { Booking, BookingHistory, InstrumentQualification, LabClosure, LabMembership, OutboxEvent } from '../../src/db/models';
import type { InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { resetTables } from '../helpers/db';
import { addMember, EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';

const clock = fixedClock('2026-12-01T00:00:00Z');
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });

describe('booking workflow (domain, no HTTP)', () => {
  let lab: LabRow;
  let instrument: InstrumentRow;
  let approvalInstrument: InstrumentRow;
  let researcher: UserViewer;
  let other: UserViewer;
  let manager: UserViewer;
  let admin: UserViewer;

  beforeEach(async () => {
    await resetTables();
    lab = await makeLab({ timeZone: 'Asia/Bangkok' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrument = await makeInstrument({ labId: lab.id, name: 'Orbitrap Exploris 480' });
    approvalInstrument = await makeInstrument({ labId: lab.id, name: 'Krios G4', requiresApproval: true });
    researcher = asViewer(await makeUser({ name: 'Nguyen Thi Lan', email: 'lan@vnu.test' }));
    other = asViewer(await makeUser({ name: 'Somchai P.', email: 'somchai@chula.test' }));
    const managerRow = await makeUser();
    await addMember(managerRow.id, lab.id, 'MANAGER');
    manager = asViewer(managerRow);
    admin = asViewer(await makeUser({ isAdmin: true }));
  });

  const request = (viewer: UserViewer, start: string, end: string, extra: { instrumentId?: number; idempotencyKey?: string; purpose?: string } = {}) =>
    requestBooking(viewer, { instrumentId: extra.instrumentId ?? instrument.id, start: at(start), end: at(end), purpose: extra.purpose, idempotencyKey: extra.idempotencyKey }, { clock });

  describe('requestBooking', () => {
    it('confirms at once when the instrument needs no approval, with history and an outbox event', async () => {
      const { booking, errors } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T11:00:00+07:00');
      expect(errors).to.deep.equal([]);
      expect(booking?.status).to.equal('CONFIRMED');
      expect(booking?.startAt.toISOString()).to.equal('2026-12-03T02:00:00.000Z');
      const history = await BookingHistory.findAll({ where: { bookingId: booking!.id }, raw: true });
      expect(history.map((h) => [h.fromStatus, h.toStatus])).to.deep.equal([[null, 'CONFIRMED']]);
      const events = await OutboxEvent.findAll({ where: { aggregateId: String(booking!.id) }, raw: true });
      expect(events.map((e) => e.type)).to.deep.equal(['booking.confirmed']);
    });

    it("finds a lab's closure day however far the requester's offset is from the lab's (UTC−12 asking a UTC+14 lab)", async () => {
      // 22:30–23:30 on 3 Dec at −12:00 is 01:30–02:30 on 5 Dec in Kiritimati: the closure two dates later must be seen.
      const pacific = await makeLab({ timeZone: 'Pacific/Kiritimati' });
      await setHours({ labId: pacific.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
      const far = await makeInstrument({ labId: pacific.id, name: 'Line Islands sequencer' });
      await LabClosure.create({ labId: pacific.id, day: '2026-12-05', reason: 'Station maintenance' });
      const { booking, errors } = await request(researcher, '2026-12-03T22:30:00-12:00', '2026-12-03T23:30:00-12:00', { instrumentId: far.id });
      expect(booking).to.equal(null);
      expect(errors.map((e) => e.code)).to.deep.equal(['HOLIDAY']);
      expect(messageOf('en', errors[0])).to.contain('2026-12-05 (Station maintenance)');
    });

    it("keeps the instrument's after-booking buffer on both sides, reading only the bookings that can conflict", async () => {
      const buffered = await makeInstrument({ labId: lab.id, name: 'Glovebox', bufferAfterMinutes: 30, slotMinutes: 15, minMinutes: 15 });
      const book = (viewer: UserViewer, start: string, end: string) => request(viewer, start, end, { instrumentId: buffered.id });
      expect((await book(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00')).errors).to.deep.equal([]);
      // Inside the 30 minutes after it, and a booking whose own buffer would run into it: both refused.
      expect((await book(other, '2026-12-03T10:00:00+07:00', '2026-12-03T11:00:00+07:00')).errors.map((e) => e.code)).to.deep.equal(['CONFLICT']);
      expect((await book(other, '2026-12-03T08:00:00+07:00', '2026-12-03T08:45:00+07:00')).errors.map((e) => e.code)).to.deep.equal(['CONFLICT']);
      // Exactly 30 minutes apart on either side: allowed.
      expect((await book(other, '2026-12-03T10:30:00+07:00', '2026-12-03T11:30:00+07:00')).errors).to.deep.equal([]);
      const early = await book(other, '2026-12-03T07:30:00+07:00', '2026-12-03T08:30:00+07:00');
      expect(early.errors).to.deep.equal([]);
      // Moving the early one to end 15 minutes before the first booking is refused the same way.
      const moved = await rescheduleBooking(other, { bookingId: early.booking!.id, start: at('2026-12-03T07:45:00+07:00'), end: at('2026-12-03T08:45:00+07:00') }, { clock });
      expect(moved.errors.map((e) => e.code)).to.deep.equal(['CONFLICT']);
    });

    it('leaves a request PENDING when the instrument requires approval', async () => {
      const { booking } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: approvalInstrument.id });
      expect(booking?.status).to.equal('PENDING');
      expect((await OutboxEvent.findAll({ raw: true })).map((e) => e.type)).to.deep.equal(['booking.requested']);
    });

    it("confirms a lab manager's own request on an approval-required instrument", async () => {
      const { booking } = await request(manager, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: approvalInstrument.id });
      expect(booking?.status).to.equal('CONFIRMED');
    });

    it('rejects a booking that overlaps a confirmed one, naming the interval but not the booker', async () => {
      await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T11:00:00+07:00', { purpose: 'secret protein' });
      const { booking, errors } = await request(other, '2026-12-03T10:00:00+07:00', '2026-12-03T12:00:00+07:00');
      expect(booking).to.equal(null);
      expect(errors.map((e) => e.code)).to.deep.equal(['CONFLICT']);
      expect(errors[0].conflicts?.map((i) => i.start!.toUTC().toISO())).to.deep.equal(['2026-12-03T02:00:00.000Z']);
      expect(messageOf('en', errors[0])).not.to.match(/Lan|lan@|secret/);
    });

    it('rejects a booking that overlaps a pending one too', async () => {
      await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: approvalInstrument.id });
      const { errors } = await request(other, '2026-12-03T09:30:00+07:00', '2026-12-03T10:30:00+07:00', { instrumentId: approvalInstrument.id });
      expect(errors.map((e) => e.code)).to.deep.equal(['CONFLICT']);
    });

    it('reports every scheduling rule a request breaks, with codes', async () => {
      const { errors } = await request(researcher, '2026-12-03T09:10:00+07:00', '2026-12-03T09:20:00+07:00');
      expect(errors.map((e) => e.code)).to.include.members(['NOT_ALIGNED', 'TOO_SHORT']);
    });

    it('answers INVALID_TIME_RANGE when the end is not after the start', async () => {
      const { errors } = await request(researcher, '2026-12-03T10:00:00+07:00', '2026-12-03T09:00:00+07:00');
      expect(errors.map((e) => e.code)).to.deep.equal(['INVALID_TIME_RANGE']);
    });

    it('answers NOT_FOUND for an unknown instrument', async () => {
      const { errors } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: 999999 });
      expect(errors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
    });

    it('returns the original booking for a repeated idempotency key, and refuses the key for different input', async () => {
      const first = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { idempotencyKey: 'try-1' });
      const again = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { idempotencyKey: 'try-1' });
      expect(again.booking?.id).to.equal(first.booking?.id);
      expect(await Booking.count()).to.equal(1);
      const reused = await request(researcher, '2026-12-03T13:00:00+07:00', '2026-12-03T14:00:00+07:00', { idempotencyKey: 'try-1' });
      expect(reused.errors.map((e) => e.code)).to.deep.equal(['IDEMPOTENCY_KEY_REUSED']);
      // Keys are per user: another user may use the same key.
      const theirs = await request(other, '2026-12-03T13:00:00+07:00', '2026-12-03T14:00:00+07:00', { idempotencyKey: 'try-1' });
      expect(theirs.errors).to.deep.equal([]);
    });

    it('lets only members book a MEMBERS instrument', async () => {
      const membersOnly = await makeInstrument({ labId: lab.id, accessPolicy: 'MEMBERS' });
      const denied = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: membersOnly.id });
      expect(denied.errors.map((e) => e.code)).to.deep.equal(['NOT_QUALIFIED']);
      await addMember(researcher.userId, lab.id, 'MEMBER');
      const allowed = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: membersOnly.id });
      expect(allowed.errors).to.deep.equal([]);
    });

    it('lets exactly one of many simultaneous requests for one slot through', async () => {
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => request(i % 2 ? researcher : other, '2026-12-04T09:00:00+07:00', '2026-12-04T10:00:00+07:00')),
      );
      expect(results.filter((r) => r.booking).length).to.equal(1);
      expect(results.filter((r) => r.errors[0]?.code === 'CONFLICT').length).to.equal(15);
    });
  });

  describe('decisions and cancellation', () => {
    let pendingId: number;
    beforeEach(async () => {
      pendingId = (await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: approvalInstrument.id })).booking!.id;
    });

    it('lets a manager approve a pending request, with history and event', async () => {
      const { booking, errors } = await approveBooking(manager, { bookingId: pendingId, note: 'bring your own grids' }, clock);
      expect(errors).to.deep.equal([]);
      expect(booking).to.include({ status: 'CONFIRMED', decidedBy: manager.userId, decisionNote: 'bring your own grids', version: 2 });
      const history = await BookingHistory.findAll({ where: { bookingId: pendingId }, order: [['id', 'ASC']], raw: true });
      expect(history.map((h) => h.toStatus)).to.deep.equal(['PENDING', 'CONFIRMED']);
      expect((await OutboxEvent.findAll({ order: [['id', 'ASC']], raw: true })).map((e) => e.type)).to.deep.equal(['booking.requested', 'booking.confirmed']);
    });

    it('lets an admin reject a request', async () => {
      const { booking } = await rejectBooking(admin, { bookingId: pendingId, note: 'not trained yet' }, clock);
      expect(booking?.status).to.equal('REJECTED');
    });

    it('refuses approval by the booker (FORBIDDEN) and hides the booking from strangers (NOT_FOUND)', async () => {
      let thrown: unknown;
      try {
        await approveBooking(researcher, { bookingId: pendingId }, clock);
      } catch (error) {
        thrown = error;
      }
      expect((thrown as { code?: string })?.code).to.equal('FORBIDDEN');
      const stranger = await approveBooking(other, { bookingId: pendingId }, clock);
      expect(stranger.errors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
      expect((await Booking.findByPk(pendingId))?.status).to.equal('PENDING');
    });

    it('answers INVALID_STATE for an illegal transition', async () => {
      await rejectBooking(manager, { bookingId: pendingId }, clock);
      const approve = await approveBooking(manager, { bookingId: pendingId }, clock);
      expect(approve.errors.map((e) => e.code)).to.deep.equal(['INVALID_STATE']);
      const cancel = await cancelBooking(researcher, { bookingId: pendingId }, clock);
      expect(cancel.errors.map((e) => e.code)).to.deep.equal(['INVALID_STATE']);
    });

    it('refuses a decision made on a stale version instead of losing an update', async () => {
      await cancelBooking(researcher, { bookingId: pendingId, note: 'plans changed' }, clock);
      const stale = await approveBooking(manager, { bookingId: pendingId, expectedVersion: 1 }, clock);
      expect(stale.errors.map((e) => e.code)).to.deep.equal(['STALE_VERSION']);
      expect((await Booking.findByPk(pendingId))?.status).to.equal('CANCELLED');
    });

    it('frees the slot at once when a booking is cancelled', async () => {
      const { booking } = await cancelBooking(researcher, { bookingId: pendingId, note: 'plans changed' }, clock);
      expect(booking?.status).to.equal('CANCELLED');
      const retry = await request(other, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: approvalInstrument.id });
      expect(retry.errors).to.deep.equal([]);
    });

    it('ends concurrent approve and cancel of one booking in one consistent state', async () => {
      for (let round = 0; round < 5; round += 1) {
        const id = (await request(researcher, `2026-12-0${5 + round}T09:00:00+07:00`, `2026-12-0${5 + round}T10:00:00+07:00`, { instrumentId: approvalInstrument.id })).booking!.id;
        const [approve, cancel] = await Promise.all([
          approveBooking(manager, { bookingId: id }, clock),
          cancelBooking(researcher, { bookingId: id }, clock),
        ]);
        const final = (await Booking.findByPk(id, { raw: true }))!;
        const history = await BookingHistory.findAll({ where: { bookingId: id }, order: [['id', 'ASC']], raw: true });
        expect(cancel.errors).to.deep.equal([]);
        expect(final.status).to.equal('CANCELLED');
        expect(history[history.length - 1].toStatus).to.equal(final.status);
        expect(final.version).to.equal(history.length); // one version per recorded change: nothing was lost
        expect(approve.errors.length === 0 ? ['PENDING', 'CONFIRMED', 'CANCELLED'] : ['PENDING', 'CANCELLED']).to.deep.equal(history.map((h) => h.toStatus));
      }
    });
  });

  describe('rescheduleBooking', () => {
    it('moves a booking atomically, overlapping its own old slot', async () => {
      const { booking } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T11:00:00+07:00');
      const moved = await rescheduleBooking(researcher, { bookingId: booking!.id, start: at('2026-12-03T10:00:00+07:00'), end: at('2026-12-03T12:00:00+07:00') }, { clock });
      expect(moved.errors).to.deep.equal([]);
      expect(moved.booking?.startAt.toISOString()).to.equal('2026-12-03T03:00:00.000Z');
      expect(moved.booking?.version).to.equal(2);
      const types = (await OutboxEvent.findAll({ order: [['id', 'ASC']], raw: true })).map((e) => e.type);
      expect(types).to.deep.equal(['booking.confirmed', 'booking.rescheduled']);
    });

    it('refuses a move onto another booking', async () => {
      const mine = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00');
      await request(other, '2026-12-03T12:00:00+07:00', '2026-12-03T13:00:00+07:00');
      const moved = await rescheduleBooking(researcher, { bookingId: mine.booking!.id, start: at('2026-12-03T12:30:00+07:00'), end: at('2026-12-03T13:30:00+07:00') }, { clock });
      expect(moved.errors.map((e) => e.code)).to.deep.equal(['CONFLICT']);
      expect((await Booking.findByPk(mine.booking!.id))?.startAt.toISOString()).to.equal('2026-12-03T02:00:00.000Z');
    });

    it('sends an approved booking on an approval-required instrument back to PENDING', async () => {
      const { booking } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: approvalInstrument.id });
      await approveBooking(manager, { bookingId: booking!.id }, clock);
      const moved = await rescheduleBooking(researcher, { bookingId: booking!.id, start: at('2026-12-04T09:00:00+07:00'), end: at('2026-12-04T10:00:00+07:00') }, { clock });
      expect(moved.booking?.status).to.equal('PENDING');
    });

    it('refuses to move a booking on a MEMBERS instrument once its booker has left the lab, and keeps the old slot', async () => {
      const membersOnly = await makeInstrument({ labId: lab.id, accessPolicy: 'MEMBERS' });
      await addMember(researcher.userId, lab.id, 'MEMBER');
      const { booking } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: membersOnly.id });
      await LabMembership.destroy({ where: { userId: researcher.userId, labId: lab.id } });
      // A new, longer slot: exactly what a former member could not request any more.
      const moved = await rescheduleBooking(researcher, { bookingId: booking!.id, start: at('2026-12-04T09:00:00+07:00'), end: at('2026-12-04T13:00:00+07:00') }, { clock });
      expect(moved.errors.map((e) => [e.code, e.field])).to.deep.equal([['NOT_QUALIFIED', 'id']]);
      const kept = (await Booking.findByPk(booking!.id, { raw: true }))!;
      expect([kept.startAt.toISOString(), kept.endAt.toISOString(), kept.version]).to.deep.equal(['2026-12-03T02:00:00.000Z', '2026-12-03T03:00:00.000Z', 1]);
      // A manager moving it is refused too: the booking would still hold time for someone who may not book here.
      const byManager = await rescheduleBooking(manager, { bookingId: booking!.id, start: at('2026-12-04T09:00:00+07:00'), end: at('2026-12-04T10:00:00+07:00') }, { clock });
      expect(byManager.errors.map((e) => e.code)).to.deep.equal(['NOT_QUALIFIED']);
    });

    it('refuses to move a booking on a QUALIFIED instrument once the qualification was revoked, and allows it while it holds', async () => {
      const trained = await makeInstrument({ labId: lab.id, accessPolicy: 'QUALIFIED' });
      await InstrumentQualification.create({ instrumentId: trained.id, userId: researcher.userId, grantedBy: manager.userId });
      const { booking } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00', { instrumentId: trained.id });
      const allowed = await rescheduleBooking(researcher, { bookingId: booking!.id, start: at('2026-12-03T10:00:00+07:00'), end: at('2026-12-03T11:00:00+07:00') }, { clock });
      expect(allowed.errors).to.deep.equal([]);
      await InstrumentQualification.destroy({ where: { instrumentId: trained.id, userId: researcher.userId } });
      const refused = await rescheduleBooking(researcher, { bookingId: booking!.id, start: at('2026-12-04T09:00:00+07:00'), end: at('2026-12-04T10:00:00+07:00') }, { clock });
      expect(refused.errors.map((e) => e.code)).to.deep.equal(['NOT_QUALIFIED']);
    });

    it("does not let a stranger move someone's booking", async () => {
      const { booking } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00');
      const moved = await rescheduleBooking(other, { bookingId: booking!.id, start: at('2026-12-04T09:00:00+07:00'), end: at('2026-12-04T10:00:00+07:00') }, { clock });
      expect(moved.errors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
    });
  });

  describe('check-in and check-out', () => {
    it('records real use within the grace window and refuses it outside', async () => {
      const { booking } = await request(researcher, '2026-12-03T09:00:00+07:00', '2026-12-03T11:00:00+07:00');
      const early = await checkIn(researcher, booking!.id, fixedClock('2026-12-03T08:30:00+07:00'));
      expect(early.errors.map((e) => e.code)).to.deep.equal(['CHECK_IN_WINDOW']);
      const notIn = await checkOut(researcher, booking!.id, fixedClock('2026-12-03T09:00:00+07:00'));
      expect(notIn.errors.map((e) => e.code)).to.deep.equal(['INVALID_STATE']);
      const inside = await checkIn(researcher, booking!.id, fixedClock('2026-12-03T08:50:00+07:00'));
      expect(inside.booking?.checkedInAt?.toISOString()).to.equal('2026-12-03T01:50:00.000Z');
      const out = await checkOut(researcher, booking!.id, fixedClock('2026-12-03T10:40:00+07:00'));
      expect(out.booking?.checkedOutAt?.toISOString()).to.equal('2026-12-03T03:40:00.000Z');
      const stranger = await checkIn(other, booking!.id, fixedClock('2026-12-03T09:00:00+07:00'));
      expect(stranger.errors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
    });
  });
});
