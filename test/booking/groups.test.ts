// Multi-resource bookings (booking groups): all or nothing across labs, each lab's approval its own, the group moving
// and ending together, its limits and idempotency, who sees what, and the lock order that keeps groups and single
// bookings from deadlocking.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import mysql from 'mysql2/promise';
import { createApiKey } from '../../src/access/api-keys';
import type { UserViewer } from '../../src/access/viewer';
import {
  approveBooking, cancelBooking, cancelBookingGroup, groupStatus, rejectBooking, requestBooking, requestBookingGroup,
  rescheduleBooking, rescheduleBookingGroup, type BookingGroupItem,
} from '../../src/booking';
import { expireBooking } from '../../src/booking/change-status';
import { fixedClock } from '../../src/clock';
import { config } from '../../src/config';
import { Booking, BookingGroup, BookingHistory, OutboxEvent } from '../../src/db/models';
import type { BookingRow, InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { messageOf } from '../../src/i18n/render';
import { metricsRegistry } from '../../jobs/metrics';
import { resetTables } from '../helpers/db';
import { addMember, EVERY_DAY, makeBooking, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const clock = fixedClock('2026-12-01T00:00:00Z');
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });
const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });
const codes = (errors: { code: string; field?: string }[]) => errors.map((e) => `${e.field}:${e.code}`);
const statusesOf = async (ids: number[]) => (await Booking.findAll({ where: { id: ids }, order: [['id', 'ASC']], raw: true })).map((b) => b.status);

describe('booking groups (multi-resource bookings)', () => {
  let kunming: LabRow;
  let bangkok: LabRow;
  /** Approval instruments: the cryo-EM microscope in Kunming and its sample-preparation room in Bangkok. */
  let krios: InstrumentRow;
  let prepRoom: InstrumentRow;
  /** No approval; the Bangkok one keeps 30 minutes free after each booking. */
  let orbitrap: InstrumentRow;
  let glovebox: InstrumentRow;
  let researcher: UserViewer;
  let stranger: UserViewer;
  let kunmingManager: UserViewer;
  let bangkokManager: UserViewer;
  let users: Record<string, UserRow>;

  beforeEach(async () => {
    await resetTables();
    kunming = await makeLab({ name: 'Kunming Cryo-EM Centre', timeZone: 'Asia/Shanghai', countryCode: 'CN' });
    bangkok = await makeLab({ name: 'Bangkok Structural Biology', timeZone: 'Asia/Bangkok' });
    await setHours({ labId: kunming.id }, [{ weekdays: EVERY_DAY, from: '08:00', to: '20:00' }]);
    await setHours({ labId: bangkok.id }, [{ weekdays: EVERY_DAY, from: '08:00', to: '18:00' }]);
    krios = await makeInstrument({ labId: kunming.id, name: 'Titan Krios G4', requiresApproval: true });
    prepRoom = await makeInstrument({ labId: bangkok.id, name: 'Vitrobot prep room', requiresApproval: true });
    orbitrap = await makeInstrument({ labId: kunming.id, name: 'Orbitrap' });
    glovebox = await makeInstrument({ labId: bangkok.id, name: 'Glovebox', bufferAfterMinutes: 30 });
    users = {
      researcher: await makeUser({ name: 'Nguyen Thi Lan', timeZone: 'Asia/Ho_Chi_Minh' }),
      stranger: await makeUser({ name: 'Somebody Else' }),
      kunmingManager: await makeUser({ name: 'Kunming Manager' }),
      bangkokManager: await makeUser({ name: 'Bangkok Manager' }),
      admin: await makeUser({ isAdmin: true }),
    };
    await addMember(users.kunmingManager.id, kunming.id, 'MANAGER');
    await addMember(users.bangkokManager.id, bangkok.id, 'MANAGER');
    researcher = asViewer(users.researcher);
    stranger = asViewer(users.stranger);
    kunmingManager = asViewer(users.kunmingManager);
    bangkokManager = asViewer(users.bangkokManager);
  });

  const item = (instrument: InstrumentRow, start: string, end: string): BookingGroupItem => ({ instrumentId: instrument.id, start: at(start), end: at(end) });
  /** The cryo-EM session: prep room 09:00–10:00 Bangkok, then the microscope 11:00–15:00 Kunming (same hour), 3 Dec. */
  const session = () => [item(prepRoom, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00'), item(krios, '2026-12-03T11:00:00+08:00', '2026-12-03T15:00:00+08:00')];
  const book = (viewer: UserViewer, items: BookingGroupItem[], extra: { idempotencyKey?: string; purpose?: string } = {}) =>
    requestBookingGroup(viewer, { items, purpose: extra.purpose ?? 'Apoferritin grids', idempotencyKey: extra.idempotencyKey }, { clock });

  describe('requestBookingGroup', () => {
    it('books instruments in two labs at once, each part PENDING by its own lab, CONFIRMED once every lab approved its part', async () => {
      const { group, errors } = await book(researcher, session());
      expect(errors).to.deep.equal([]);
      const [prep, microscope] = group!.parts;
      expect(group!.parts.map((p) => [p.instrumentId, p.status, p.groupId])).to.deep.equal([[prepRoom.id, 'PENDING', group!.id], [krios.id, 'PENDING', group!.id]]);
      expect(groupStatus(group!.parts.map((p) => p.status))).to.equal('PENDING');
      // Each lab decides its own part only: Kunming's manager cannot even see Bangkok's.
      expect((await approveBooking(kunmingManager, { bookingId: prep.id }, clock)).errors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
      expect((await approveBooking(kunmingManager, { bookingId: microscope.id }, clock)).errors).to.deep.equal([]);
      expect(groupStatus(await statusesOf([prep.id, microscope.id]))).to.equal('PENDING');
      expect((await approveBooking(bangkokManager, { bookingId: prep.id }, clock)).errors).to.deep.equal([]);
      expect(groupStatus(await statusesOf([prep.id, microscope.id]))).to.equal('CONFIRMED');
      const events = await OutboxEvent.findAll({ order: [['id', 'ASC']], raw: true });
      expect(events.map((e) => `${e.aggregateId}:${e.type}`)).to.deep.equal([
        `${prep.id}:booking.requested`, `${microscope.id}:booking.requested`, `${microscope.id}:booking.confirmed`, `${prep.id}:booking.confirmed`,
      ]);
    });

    it("confirms at once the parts on instruments that need no approval, and a lab manager's own part in their lab", async () => {
      const { group } = await book(kunmingManager, [item(orbitrap, '2026-12-03T09:00:00+08:00', '2026-12-03T10:00:00+08:00'), item(krios, '2026-12-03T10:00:00+08:00', '2026-12-03T12:00:00+08:00'), item(prepRoom, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00')]);
      expect(group!.parts.map((p) => p.status)).to.deep.equal(['CONFIRMED', 'CONFIRMED', 'PENDING']);
    });

    it("books nothing when any item breaks its own instrument's rules, and names every item's problem", async () => {
      await makeBooking({ instrumentId: orbitrap.id, userId: users.stranger.id, start: '2026-12-03T09:00:00+08:00', end: '2026-12-03T10:00:00+08:00' });
      const before = await Booking.count();
      const { group, errors } = await book(researcher, [
        item(krios, '2026-12-03T11:00:00+08:00', '2026-12-03T12:00:00+08:00'), // fits
        item(orbitrap, '2026-12-03T09:30:00+08:00', '2026-12-03T10:30:00+08:00'), // overlaps the booking above
        item(glovebox, '2026-12-03T17:30:00+07:00', '2026-12-03T18:30:00+07:00'), // Bangkok closes at 18:00
        item(prepRoom, '2026-12-03T09:10:00+07:00', '2026-12-03T09:40:00+07:00'), // off the 30-minute grid
      ]);
      expect(group).to.equal(null);
      expect(codes(errors)).to.deep.equal(['items.1.start:CONFLICT', 'items.2.start:OUTSIDE_OPENING_HOURS', 'items.3.start:NOT_ALIGNED']);
      expect(errors[0].conflicts?.map((c) => c.start!.toUTC().toISO())).to.deep.equal(['2026-12-03T01:00:00.000Z']);
      expect(await Booking.count()).to.equal(before);
      expect(await BookingGroup.count()).to.equal(0);
      expect(await OutboxEvent.count()).to.equal(0);
    });

    it("holds each item to its own instrument's access rule", async () => {
      const membersOnly = await makeInstrument({ labId: bangkok.id, accessPolicy: 'MEMBERS' });
      const { errors } = await book(researcher, [item(krios, '2026-12-03T11:00:00+08:00', '2026-12-03T12:00:00+08:00'), item(membersOnly, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00')]);
      expect(codes(errors)).to.deep.equal(['items.1.instrumentId:NOT_QUALIFIED']);
      expect((await book(researcher, [item(krios, '2026-12-03T11:00:00+08:00', '2026-12-03T12:00:00+08:00'), { ...item(krios, '2026-12-03T13:00:00+08:00', '2026-12-03T14:00:00+08:00'), instrumentId: 999_999 }])).errors.map((e) => e.field))
        .to.deep.equal(['items.1.instrumentId']);
      expect(await Booking.count()).to.equal(0);
    });

    it('takes 1 to 10 items, and refuses one instrument twice at overlapping times, naming the limit', async () => {
      const none = await book(researcher, []);
      expect(codes(none.errors)).to.deep.equal(['items:BAD_INPUT']);
      expect(messageOf('en', none.errors[0])).to.equal('A booking group has 1 to 10 items (got 0).');
      const eleven = Array.from({ length: 11 }, (_, i) => item(orbitrap, `2026-12-0${3 + (i % 5)}T${String(8 + Math.floor(i / 5) * 2).padStart(2, '0')}:00:00+08:00`, `2026-12-0${3 + (i % 5)}T${String(9 + Math.floor(i / 5) * 2).padStart(2, '0')}:00:00+08:00`));
      const tooMany = await book(researcher, eleven);
      expect(messageOf('en', tooMany.errors[0])).to.equal('A booking group has 1 to 10 items (got 11).');
      expect((await book(researcher, eleven.slice(0, 10))).errors).to.deep.equal([]);

      const twice = await book(researcher, [item(orbitrap, '2026-12-08T09:00:00+08:00', '2026-12-08T11:00:00+08:00'), item(krios, '2026-12-08T11:00:00+08:00', '2026-12-08T12:00:00+08:00'), item(orbitrap, '2026-12-08T10:00:00+08:00', '2026-12-08T12:00:00+08:00')]);
      expect(codes(twice.errors)).to.deep.equal(['items.2.start:BAD_INPUT']);
      expect(messageOf('en', twice.errors[0])).to.contain('Items 1 and 3 book the same instrument at overlapping times');
      // Twice without overlap is fine, but the instrument's buffer still applies between the two.
      expect(codes((await book(researcher, [item(glovebox, '2026-12-09T09:00:00+07:00', '2026-12-09T10:00:00+07:00'), item(glovebox, '2026-12-09T10:00:00+07:00', '2026-12-09T11:00:00+07:00')])).errors))
        .to.deep.equal(['items.0.start:CONFLICT', 'items.1.start:CONFLICT']);
      expect((await book(researcher, [item(glovebox, '2026-12-09T09:00:00+07:00', '2026-12-09T10:00:00+07:00'), item(glovebox, '2026-12-09T10:30:00+07:00', '2026-12-09T11:30:00+07:00')])).errors).to.deep.equal([]);

      const spread = await book(researcher, [item(orbitrap, '2026-12-10T09:00:00+08:00', '2026-12-10T10:00:00+08:00'), item(krios, '2026-12-28T09:00:00+08:00', '2026-12-28T10:00:00+08:00')]);
      expect(messageOf('en', spread.errors[0])).to.equal("A booking group's parts must lie within 14 days of each other.");
    });

    it('creates a group once for one idempotency key, however often and however concurrently it is sent', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => book(researcher, session(), { idempotencyKey: 'cryo-session-1' })));
      expect(results.map((r) => r.errors)).to.deep.equal(Array(6).fill([]));
      expect(new Set(results.map((r) => r.group!.id)).size).to.equal(1);
      expect(results.every((r) => r.group!.parts.length === 2)).to.equal(true);
      expect(await BookingGroup.count()).to.equal(1);
      expect(await Booking.count()).to.equal(2);
      const again = await book(researcher, session(), { idempotencyKey: 'cryo-session-1' });
      expect(again.group!.id).to.equal(results[0].group!.id);
      const changed = await book(researcher, [session()[0]], { idempotencyKey: 'cryo-session-1' });
      expect(codes(changed.errors)).to.deep.equal(['idempotencyKey:IDEMPOTENCY_KEY_REUSED']);
    });
  });

  describe('ending a group', () => {
    let parts: BookingRow[];
    let groupId: number;
    beforeEach(async () => {
      const { group } = await book(researcher, session());
      parts = group!.parts;
      groupId = group!.id;
    });

    it('cancels the rest of the group when one lab rejects its part, with the reason in their history and a cancelled event', async () => {
      const [prep, microscope] = parts;
      await approveBooking(bangkokManager, { bookingId: prep.id }, clock);
      const rejected = await rejectBooking(kunmingManager, { bookingId: microscope.id, note: 'Krios maintenance' }, clock);
      expect(rejected.booking?.status).to.equal('REJECTED');
      expect(await statusesOf([prep.id, microscope.id])).to.deep.equal(['CANCELLED', 'REJECTED']);
      expect(groupStatus(await statusesOf([prep.id, microscope.id]))).to.equal('CANCELLED');
      const history = await BookingHistory.findAll({ where: { bookingId: prep.id }, order: [['id', 'ASC']], raw: true });
      expect(history.at(-1)).to.include({ fromStatus: 'CONFIRMED', toStatus: 'CANCELLED', actorUserId: null });
      expect(history.at(-1)!.note).to.equal(`Cancelled with its group: booking ${microscope.id} of the group was rejected`);
      const last = await OutboxEvent.findAll({ where: { aggregateId: String(prep.id) }, order: [['id', 'ASC']], raw: true });
      expect(last.map((e) => e.type)).to.deep.equal(['booking.requested', 'booking.confirmed', 'booking.cancelled']);
      expect(last.map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload).groupId)).to.deep.equal([groupId, groupId, groupId]);
      // The prep room's slot is free again.
      expect((await requestBooking(stranger, { instrumentId: prepRoom.id, start: at('2026-12-03T09:00:00+07:00'), end: at('2026-12-03T10:00:00+07:00') }, { clock })).errors).to.deep.equal([]);
    });

    it('cancels the whole group when one part is cancelled or expires', async () => {
      expect((await cancelBooking(researcher, { bookingId: parts[0].id, note: 'Grids failed' }, clock)).errors).to.deep.equal([]);
      expect(await statusesOf(parts.map((p) => p.id))).to.deep.equal(['CANCELLED', 'CANCELLED']);
      const other = (await book(researcher, session())).group!.parts;
      expect((await expireBooking({ bookingId: other[1].id, note: 'Not decided before the booking was due to start' })).errors).to.deep.equal([]);
      expect(await statusesOf(other.map((p) => p.id))).to.deep.equal(['CANCELLED', 'EXPIRED']);
    });

    it('cancels every part with cancelBookingGroup, for the booker or a manager of one of its labs, never a stranger', async () => {
      expect(codes((await cancelBookingGroup(stranger, { groupId }, clock)).errors)).to.deep.equal(['id:NOT_FOUND']);
      const { group, errors } = await cancelBookingGroup(bangkokManager, { groupId, note: 'Prep room flooded' }, clock);
      expect(errors).to.deep.equal([]);
      expect(group!.parts.map((p) => p.status)).to.deep.equal(['CANCELLED', 'CANCELLED']);
      const notes = await BookingHistory.findAll({ where: { bookingId: parts.map((p) => p.id), toStatus: 'CANCELLED' }, raw: true });
      expect(notes.map((h) => [h.note, h.actorUserId])).to.deep.equal([['Prep room flooded', users.bangkokManager.id], ['Prep room flooded', users.bangkokManager.id]]);
      const again = await cancelBookingGroup(researcher, { groupId }, clock);
      expect(messageOf('en', again.errors[0])).to.equal('This booking group is cancelled and cannot be changed.');
    });
  });

  describe('rescheduleBookingGroup', () => {
    it('moves every part by a shift, all or nothing, and sends approved parts back to their labs', async () => {
      const { group } = await book(researcher, session());
      const [prep, microscope] = group!.parts;
      await approveBooking(bangkokManager, { bookingId: prep.id }, clock);
      await approveBooking(kunmingManager, { bookingId: microscope.id }, clock);
      // Someone holds the microscope a day later: moving by a day fails for that part, and nothing moves.
      await makeBooking({ instrumentId: krios.id, userId: users.stranger.id, start: '2026-12-04T14:00:00+08:00', end: '2026-12-04T16:00:00+08:00' });
      const blocked = await rescheduleBookingGroup(researcher, { groupId: group!.id, shiftMinutes: 1440 }, { clock });
      expect(codes(blocked.errors)).to.deep.equal(['parts.1.start:CONFLICT']);
      expect((await Booking.findByPk(prep.id, { raw: true }))!.startAt.toISOString()).to.equal('2026-12-03T02:00:00.000Z');
      // Two hours earlier the group's own old spans do not block it.
      const moved = await rescheduleBookingGroup(researcher, { groupId: group!.id, shiftMinutes: -60 }, { clock });
      expect(moved.errors).to.deep.equal([]);
      expect(moved.group!.parts.map((p) => [p.startAt.toISOString(), p.endAt.toISOString(), p.status])).to.deep.equal([
        ['2026-12-03T01:00:00.000Z', '2026-12-03T02:00:00.000Z', 'PENDING'],
        ['2026-12-03T02:00:00.000Z', '2026-12-03T06:00:00.000Z', 'PENDING'],
      ]);
      const types = (await OutboxEvent.findAll({ order: [['id', 'ASC']], raw: true })).map((e) => e.type);
      expect(types.slice(-2)).to.deep.equal(['booking.rescheduled', 'booking.rescheduled']);
    });

    it('moves parts to new spans of their own; a part is never moved alone, nor by someone who may not change every part', async () => {
      const { group } = await book(researcher, [item(orbitrap, '2026-12-03T09:00:00+08:00', '2026-12-03T10:00:00+08:00'), item(glovebox, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00')]);
      const [ms, box] = group!.parts;
      const alone = await rescheduleBooking(researcher, { bookingId: ms.id, start: at('2026-12-03T12:00:00+08:00'), end: at('2026-12-03T13:00:00+08:00') }, { clock });
      expect(messageOf('en', alone.errors[0])).to.contain('rescheduleBookingGroup');
      // The Kunming manager may change the Orbitrap part but not the Bangkok one.
      expect(codes((await rescheduleBookingGroup(kunmingManager, { groupId: group!.id, shiftMinutes: 60 }, { clock })).errors)).to.deep.equal(['id:FORBIDDEN']);
      const spans = [
        { bookingId: box.id, start: at('2026-12-05T14:00:00+07:00'), end: at('2026-12-05T16:00:00+07:00') },
        { bookingId: ms.id, start: at('2026-12-05T13:00:00+08:00'), end: at('2026-12-05T14:00:00+08:00') },
      ];
      expect(codes((await rescheduleBookingGroup(researcher, { groupId: group!.id, parts: spans.slice(0, 1) }, { clock })).errors)).to.deep.equal(['parts:BAD_INPUT']);
      expect(codes((await rescheduleBookingGroup(researcher, { groupId: group!.id, parts: spans, shiftMinutes: 5 }, { clock })).errors)).to.deep.equal(['shiftMinutes:BAD_INPUT']);
      const moved = await rescheduleBookingGroup(researcher, { groupId: group!.id, parts: spans }, { clock });
      expect(moved.errors).to.deep.equal([]);
      expect(moved.group!.parts.map((p) => [p.id, p.startAt.toISOString(), p.status])).to.deep.equal([
        [ms.id, '2026-12-05T05:00:00.000Z', 'CONFIRMED'], [box.id, '2026-12-05T07:00:00.000Z', 'CONFIRMED'],
      ]);
    });
  });

  describe('locks', () => {
    const deadlockRetries = async () => (await metricsRegistry.getSingleMetric('labshare_transaction_retries_total')!.get()).values
      .filter((v) => v.labels.reason === 'deadlock').reduce((sum, v) => sum + v.value, 0);

    it('never deadlocks: groups naming the same instruments in opposite orders race single bookings, all answered', async () => {
      const instruments = [orbitrap, glovebox, krios, prepRoom];
      const day = (d: number, hour: number, zone: string) => `2026-12-${String(10 + d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00${zone}`;
      const zoneOf = (i: InstrumentRow) => (i.labId === kunming.id ? '+08:00' : '+07:00');
      const before = await deadlockRetries();
      const work: Promise<{ errors: { code: string }[] }>[] = [];
      for (let n = 0; n < 24; n += 1) {
        const order = n % 2 ? [...instruments].reverse() : instruments;
        const hour = 9 + (n % 4);
        work.push(book(n % 3 ? researcher : stranger, order.map((i) => item(i, day(n % 3, hour, zoneOf(i)), day(n % 3, hour + 1, zoneOf(i))))));
        const single = instruments[n % 4];
        work.push(requestBooking(stranger, { instrumentId: single.id, start: at(day(n % 3, hour, zoneOf(single))), end: at(day(n % 3, hour + 1, zoneOf(single))) }, { clock }));
      }
      const answers = await Promise.all(work);
      for (const answer of answers) expect(answer.errors.every((e) => e.code === 'CONFLICT'), JSON.stringify(answer.errors)).to.equal(true);
      expect(answers.some((a) => a.errors.length === 0)).to.equal(true);
      // Not one deadlock to retry: every writer took the instruments in ascending id.
      expect((await deadlockRetries()) - before).to.equal(0);
      const [rows] = await (await Booking.sequelize!).query(`SELECT COUNT(*) AS n FROM bookings a JOIN bookings b ON a.instrument_id = b.instrument_id AND a.id < b.id
        AND a.start_at < b.end_at AND b.start_at < a.end_at WHERE a.status IN ('PENDING','CONFIRMED') AND b.status IN ('PENDING','CONFIRMED')`);
      expect(Number((rows as { n: number }[])[0].n)).to.equal(0);
    });

    it('retries a group whose transaction the database chose as a deadlock victim, and answers with the group', async () => {
      const before = await deadlockRetries();
      const url = new URL(config().DATABASE_URL);
      const other = await mysql.createConnection({ host: url.hostname, port: Number(url.port), user: url.username, database: url.pathname.slice(1) });
      try {
        // Another writer takes the higher instrument first and more rows besides, so InnoDB picks the group (lighter) as victim.
        const [low, high] = [orbitrap.id, glovebox.id].sort((a, b) => a - b);
        await other.query('START TRANSACTION');
        // One row per statement: a statement that scanned past `low` could lock it too.
        for (const id of [high, krios.id, prepRoom.id]) await other.query('UPDATE instruments SET booking_seq = booking_seq + 1 WHERE id = ?', [id]);
        const requested = book(researcher, [item(orbitrap, '2026-12-03T09:00:00+08:00', '2026-12-03T10:00:00+08:00'), item(glovebox, '2026-12-03T09:00:00+07:00', '2026-12-03T10:00:00+07:00')]);
        // Wait until the group holds `low` and waits for `high`.
        const waitingFor = `UPDATE instruments SET booking_seq = booking_seq + 1 WHERE id = ${high}`;
        for (let waited = 0; ; waited += 1) {
          const [waiting] = await other.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE info = ?', [waitingFor]);
          if (Number((waiting as { n: number }[])[0].n) > 0) break;
          if (waited > 200) throw new Error('the group never waited for the lock');
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        await other.query('UPDATE instruments SET booking_seq = booking_seq + 1 WHERE id = ?', [low]);
        await other.query('COMMIT');
        const { group, errors } = await requested;
        expect(errors).to.deep.equal([]);
        expect(group!.parts).to.have.length(2);
        expect((await deadlockRetries()) - before).to.be.at.least(1);
      } finally {
        await other.end();
      }
    });
  });

  describe('through the API', () => {
    let server: TestServer;
    const QUERY = `query($id: ID!) { bookingGroup(id: $id) { id status partCount purpose user { name } parts { id instrument { name } status } start end } }`;
    beforeEach(async () => {
      server = await startTestServer({ clock });
    });
    afterEach(async () => server.close());

    it('shows the group to whoever may see a part, each part in full only to those who may see it; partners see busy time only', async () => {
      const REQUEST = `mutation($input: RequestBookingGroupInput!) { requestBookingGroup(input: $input) {
        group { id status partCount parts { id status group { id } } } errors { code field message } } }`;
      const input = {
        items: [
          { instrumentId: String(prepRoom.id), start: '2026-12-03T09:00:00+07:00', end: '2026-12-03T10:00:00+07:00' },
          { instrumentId: String(krios.id), start: '2026-12-03T11:00:00+08:00', end: '2026-12-03T15:00:00+08:00' },
        ],
        purpose: 'PURPOSE-SECRET apoferritin', idempotencyKey: 'api-session-1',
      };
      const created = await server.gql(REQUEST, { input }, await bearer(users.researcher.id));
      const group = created.data!.requestBookingGroup.group;
      expect(created.data!.requestBookingGroup.errors).to.deep.equal([]);
      expect(group).to.include({ status: 'PENDING', partCount: 2 });
      expect(group.parts.map((p: { group: { id: string } }) => p.group.id)).to.deep.equal([group.id, group.id]);

      const asBooker = await server.gql(QUERY, { id: group.id }, await bearer(users.researcher.id));
      expect(asBooker.data!.bookingGroup.parts.map((p: { instrument: { name: string } }) => p.instrument.name)).to.deep.equal(['Vitrobot prep room', 'Titan Krios G4']);
      expect(asBooker.data!.bookingGroup.start).to.equal('2026-12-03T09:00:00+07:00');
      const asKunming = await server.gql(QUERY, { id: group.id }, await bearer(users.kunmingManager.id));
      expect(asKunming.data!.bookingGroup).to.deep.include({ status: 'PENDING', partCount: 2, user: { name: 'Nguyen Thi Lan' } });
      expect(asKunming.data!.bookingGroup.parts.map((p: { instrument: { name: string } }) => p.instrument.name)).to.deep.equal(['Titan Krios G4']);
      expect((await server.gql(QUERY, { id: group.id }, await bearer(users.stranger.id))).data!.bookingGroup).to.equal(null);

      const adminViewer = asViewer(users.admin);
      const { key } = await createApiKey(adminViewer, { institutionId: users.stranger.institutionId, name: 'Partner portal', scopes: ['availability:read'] });
      const partner = { authorization: `ApiKey ${key}` };
      const refused = await server.gql(QUERY, { id: group.id }, partner);
      expect(refused.errors?.[0]?.extensions?.code).to.equal('FORBIDDEN');
      expect(JSON.stringify(refused)).not.to.contain('PURPOSE-SECRET');
      const busy = await server.gql(`{ availability(instrumentIds: ["${prepRoom.id}", "${krios.id}"], from: "2026-12-03T00:00:00Z", to: "2026-12-04T00:00:00Z") {
        instrumentId busy { start end kind } } }`, undefined, partner);
      expect(busy.errors).to.equal(undefined);
      const spans = busy.data!.availability.map((a: { busy: { kind: string; start: string }[] }) => a.busy.filter((b) => b.kind === 'BOOKING').map((b) => b.start));
      expect(spans).to.deep.equal([['2026-12-03T02:00:00Z'], ['2026-12-03T03:00:00Z']]);
      expect(JSON.stringify(busy.data)).not.to.match(/PURPOSE-SECRET|Nguyen/);
    });

    it('answers rule breaks as UserErrors naming the item, in the viewer\'s zone', async () => {
      const REQUEST = 'mutation($input: RequestBookingGroupInput!) { requestBookingGroup(input: $input) { group { id } errors { code field message } } }';
      const items = [
        { instrumentId: String(orbitrap.id), start: '2026-12-03T09:00:00+08:00', end: '2026-12-03T10:00:00+08:00' },
        { instrumentId: String(glovebox.id), start: '2026-12-03T05:00:00+07:00', end: '2026-12-03T06:00:00+07:00' },
      ];
      const answer = await server.gql(REQUEST, { input: { items } }, { ...(await bearer(users.researcher.id)), 'x-time-zone': 'Asia/Yangon' });
      expect(answer.data!.requestBookingGroup.group).to.equal(null);
      expect(answer.data!.requestBookingGroup.errors).to.have.length(1);
      expect(answer.data!.requestBookingGroup.errors[0]).to.include({ code: 'OUTSIDE_OPENING_HOURS', field: 'items.1.start' });
      expect(answer.data!.requestBookingGroup.errors[0].message).to.contain('+06:30');
    });
  });
});
