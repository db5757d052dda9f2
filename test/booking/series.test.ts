import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { Sequelize } from 'sequelize';
import type { UserViewer } from '../../src/access/viewer';
import {
  approveBookingSeries, cancelBookingSeries, rejectBookingSeries, requestBooking, requestBookingSeries, rescheduleBooking, type RequestBookingSeriesInput,
} from '../../src/booking';
import { fixedClock } from '../../src/clock';
import { insertBooking, withInstrumentLock } from '../../src/booking/store';
import { Booking, BookingGroup, BookingHistory, LabClosure, OutboxEvent } from '../../src/db/models';
import type { InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { messageOf } from '../../src/i18n/render';
import { countQueries, resetTables } from '../helpers/db';
import { addMember, EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';

const clock = fixedClock('2027-03-01T00:00:00Z');
const BERLIN = 'Europe/Berlin';
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: BERLIN });
const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });

describe('booking series (domain, no HTTP)', () => {
  let sequelize: Sequelize;
  let lab: LabRow;
  let instrument: InstrumentRow;
  let approvalInstrument: InstrumentRow;
  let researcher: UserViewer;
  let manager: UserViewer;

  beforeEach(async () => {
    sequelize = await resetTables();
    lab = await makeLab({ timeZone: BERLIN, countryCode: 'DE' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '07:00', to: '20:00' }]);
    instrument = await makeInstrument({ labId: lab.id, name: 'Bruker D8 Venture' });
    approvalInstrument = await makeInstrument({ labId: lab.id, name: 'Titan Krios', requiresApproval: true });
    researcher = asViewer(await makeUser({ name: 'Anna Schmidt', timeZone: BERLIN }));
    const managerRow = await makeUser({ timeZone: BERLIN });
    await addMember(managerRow.id, lab.id, 'MANAGER');
    manager = asViewer(managerRow);
  });

  const series = (viewer: UserViewer, recurrence: string, extra: Partial<RequestBookingSeriesInput> = {}) =>
    requestBookingSeries(viewer, {
      instrumentId: instrument.id, start: berlin('2027-03-16T09:00'), end: berlin('2027-03-16T11:00'), recurrence, mode: 'ALL_OR_NOTHING', ...extra,
    }, { clock });
  const seriesBookings = (seriesId?: number) =>
    Booking.findAll({ where: seriesId ? { seriesId } : {}, order: [['startAt', 'ASC']], raw: true }).then((rows) => rows.filter((b) => b.seriesId !== null));
  const utc = (d: Date | DateTime) => (d instanceof Date ? d.toISOString() : d.toUTC().toISO());

  describe('expansion in the lab zone', () => {
    it('keeps 09:00 Berlin wall-clock time across the end of March (CET → CEST)', async () => {
      const { series: s, occurrences, errors } = await series(researcher, 'FREQ=WEEKLY;BYDAY=TU;COUNT=4');
      expect(errors).to.deep.equal([]);
      expect(occurrences.map((o) => o.outcome)).to.deep.equal(['BOOKED', 'BOOKED', 'BOOKED', 'BOOKED']);
      const bookings = await seriesBookings(s!.id);
      expect(bookings.map((b) => utc(b.startAt))).to.deep.equal([
        '2027-03-16T08:00:00.000Z', '2027-03-23T08:00:00.000Z', '2027-03-30T07:00:00.000Z', '2027-04-06T07:00:00.000Z',
      ]);
      expect(bookings.map((b) => DateTime.fromJSDate(b.startAt).setZone(BERLIN).toFormat('HH:mm')).every((t) => t === '09:00')).to.equal(true);
      expect(bookings.map((b) => DateTime.fromJSDate(b.endAt).setZone(BERLIN).toFormat('HH:mm')).every((t) => t === '11:00')).to.equal(true);
    });

    it('keeps 09:00 Berlin wall-clock time across the end of October (CEST → CET)', async () => {
      const { series: s, errors } = await series(researcher, 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20271102', { start: berlin('2027-10-19T09:00'), end: berlin('2027-10-19T10:30') });
      expect(errors).to.deep.equal([]);
      const bookings = await seriesBookings(s!.id);
      expect(bookings.map((b) => [utc(b.startAt), utc(b.endAt)])).to.deep.equal([
        ['2027-10-19T07:00:00.000Z', '2027-10-19T08:30:00.000Z'],
        ['2027-10-26T07:00:00.000Z', '2027-10-26T08:30:00.000Z'],
        ['2027-11-02T08:00:00.000Z', '2027-11-02T09:30:00.000Z'],
      ]);
    });
  });

  describe('limits', () => {
    it('refuses more than 100 occurrences, naming the limit', async () => {
      const { series: s, errors } = await series(researcher, 'FREQ=DAILY;COUNT=101');
      expect(s).to.equal(null);
      expect(errors.map((e) => [e.code, e.field])).to.deep.equal([['BAD_INPUT', 'recurrence']]);
      expect(messageOf('en', errors[0])).to.equal('A series has at most 100 occurrences.');
      // UNTIL far away: the same limit, found without expanding the rule to year 9999.
      expect(messageOf('en', (await series(researcher, 'FREQ=DAILY;UNTIL=99991231')).errors[0])).to.equal('A series has at most 100 occurrences.');
      expect(await seriesBookings()).to.have.length(0);
    });

    it("refuses a series that runs past the instrument's max advance, naming it", async () => {
      const near = await makeInstrument({ labId: lab.id, maxAdvanceDays: 30 });
      const { errors } = await series(researcher, 'FREQ=WEEKLY;COUNT=10', { instrumentId: near.id });
      expect(messageOf('en', errors[0])).to.equal("Every occurrence of a series must end within the instrument's booking horizon of 30 days.");
      const until = await series(researcher, 'FREQ=WEEKLY;UNTIL=20280101', { instrumentId: near.id });
      expect(until.errors.map((e) => e.params?.reason)).to.deep.equal(['SERIES_BEYOND_MAX_ADVANCE']);
    });

    it('names an unsupported or malformed RRULE part', async () => {
      expect(messageOf('en', (await series(researcher, 'FREQ=WEEKLY;BYSETPOS=1;COUNT=3')).errors[0]))
        .to.equal('The recurrence rule part "BYSETPOS" is not supported; use only FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL.');
      expect(messageOf('en', (await series(researcher, 'FREQ=YEARLY;COUNT=3')).errors[0])).to.contain('"FREQ=YEARLY" is not supported');
      expect(messageOf('en', (await series(researcher, 'FREQ=WEEKLY')).errors[0])).to.equal('A recurrence rule needs COUNT or UNTIL.');
      for (const bad of ['FREQ=WEEKLY;BYDAY=XX;COUNT=2', 'FREQ=WEEKLY;COUNT=2;UNTIL=20270401', 'FREQ=WEEKLY;INTERVAL=0;COUNT=2', 'garbage', 'FREQ=DAILY;COUNT=1;'.repeat(40)]) {
        expect((await series(researcher, bad)).errors.map((e) => e.code), bad).to.deep.equal(['BAD_INPUT']);
      }
    });
  });

  describe('modes', () => {
    it('ALL_OR_NOTHING books nothing when one occurrence conflicts, and lists every occurrence with its problem', async () => {
      await requestBooking(researcher, { instrumentId: instrument.id, start: berlin('2027-03-30T10:00'), end: berlin('2027-03-30T12:00') }, { clock });
      const { series: s, occurrences, errors } = await series(researcher, 'FREQ=WEEKLY;BYDAY=TU;COUNT=4');
      expect(s).to.equal(null);
      expect(errors.map((e) => e.code)).to.deep.equal(['SERIES_NOT_BOOKED']);
      expect(messageOf('en', errors[0])).to.equal("Nothing was booked: 1 of 4 occurrences cannot be booked (see each occurrence's problems).");
      expect(occurrences.map((o) => o.outcome)).to.deep.equal(['WOULD_BOOK', 'WOULD_BOOK', 'CONFLICT', 'WOULD_BOOK']);
      expect(occurrences[2].problems.map((p) => p.code)).to.deep.equal(['CONFLICT']);
      const [[counts]] = (await sequelize.query(
        'SELECT (SELECT COUNT(*) FROM bookings WHERE series_id IS NOT NULL) AS bookings, (SELECT COUNT(*) FROM booking_series) AS series',
      )) as [{ bookings: number; series: number }[], unknown];
      expect([Number(counts.bookings), Number(counts.series)]).to.deep.equal([0, 0]);
    });

    it('SKIP_CONFLICTS books what fits and says why each other occurrence was skipped', async () => {
      await requestBooking(researcher, { instrumentId: instrument.id, start: berlin('2027-03-23T10:00'), end: berlin('2027-03-23T12:00') }, { clock });
      await LabClosure.create({ labId: lab.id, day: '2027-04-06', reason: 'Easter week' });
      const { series: s, occurrences, errors } = await series(researcher, 'FREQ=WEEKLY;BYDAY=TU;COUNT=5', { mode: 'SKIP_CONFLICTS' });
      expect(errors).to.deep.equal([]);
      expect(occurrences.map((o) => o.outcome)).to.deep.equal(['BOOKED', 'CONFLICT', 'BOOKED', 'HOLIDAY', 'BOOKED']);
      expect(messageOf('en', occurrences[3].problems[0])).to.contain('2027-04-06 (Easter week)');
      const bookings = await seriesBookings(s!.id);
      expect(bookings.map((b) => b.id)).to.deep.equal(occurrences.filter((o) => o.booking).map((o) => o.booking!.id));
      expect(bookings.every((b) => b.status === 'CONFIRMED')).to.equal(true);
      // One event per booking, marked as told by the series, plus one series event naming the skipped dates.
      const events = await OutboxEvent.findAll({ order: [['id', 'ASC']], raw: true });
      const seriesEvents = events.filter((e) => e.aggregateType === 'booking_series');
      expect(seriesEvents.map((e) => e.type)).to.deep.equal(['booking_series.confirmed']);
      const payload = typeof seriesEvents[0].payload === 'string' ? JSON.parse(seriesEvents[0].payload) : seriesEvents[0].payload;
      expect(payload).to.include({ seriesId: s!.id, status: 'CONFIRMED' });
      expect(payload.skipped).to.deep.equal(['2027-03-23T08:00:00.000Z', '2027-04-06T07:00:00.000Z']);
      const perBooking = events.filter((e) => e.aggregateType === 'booking' && bookings.some((b) => String(b.id) === e.aggregateId));
      expect(perBooking.map((e) => e.type)).to.deep.equal(['booking.confirmed', 'booking.confirmed', 'booking.confirmed']);
    });

    it('SKIP_CONFLICTS with nothing that fits books nothing', async () => {
      const { series: s, occurrences, errors } = await series(researcher, 'FREQ=DAILY;COUNT=3', { start: berlin('2027-03-16T05:00'), end: berlin('2027-03-16T06:00'), mode: 'SKIP_CONFLICTS' });
      expect(s).to.equal(null);
      expect(errors.map((e) => e.code)).to.deep.equal(['SERIES_NOT_BOOKED']);
      expect(occurrences.map((o) => o.outcome)).to.deep.equal(['OUTSIDE_OPENING_HOURS', 'OUTSIDE_OPENING_HOURS', 'OUTSIDE_OPENING_HOURS']);
    });

    it('takes the instrument lock once for the whole series and writes it in one transaction, in a few statements', async () => {
      const { result, queries } = await countQueries(sequelize, () => series(researcher, 'FREQ=WEEKLY;BYDAY=TU,TH;COUNT=12'));
      expect(result.errors).to.deep.equal([]);
      expect(queries.filter((q) => q.includes('booking_seq = booking_seq + 1'))).to.have.length(1);
      expect(queries.filter((q) => /^START TRANSACTION/.test(q.replace(/^Executing \([^)]*\): /, '')))).to.have.length(1);
      expect(await seriesBookings(result.series!.id)).to.have.length(12);
      // Bookings, history lines and booking events of all occurrences in one statement each (then the series' event).
      const inserts = (table: string) => queries.filter((q) => q.includes(`INSERT INTO ${table} `)).length;
      expect([inserts('bookings'), inserts('booking_history'), inserts('outbox_events')]).to.deep.equal([1, 1, 2]);
      expect(await BookingHistory.count({ where: { bookingId: (await seriesBookings(result.series!.id)).map((b) => b.id) } })).to.equal(12);
    });
  });

  describe('idempotency', () => {
    it('creates the series once when the same request is sent twice, and refuses the key for another request', async () => {
      const first = await series(researcher, 'FREQ=WEEKLY;COUNT=3', { idempotencyKey: 'semester-1' });
      const again = await series(researcher, 'RRULE:FREQ=WEEKLY;COUNT=3', { idempotencyKey: 'semester-1' });
      expect(again.errors).to.deep.equal([]);
      expect(again.series!.id).to.equal(first.series!.id);
      expect(again.occurrences.map((o) => o.booking?.id)).to.deep.equal(first.occurrences.map((o) => o.booking?.id));
      expect(await seriesBookings()).to.have.length(3);
      const other = await series(researcher, 'FREQ=WEEKLY;COUNT=4', { idempotencyKey: 'semester-1' });
      expect(other.errors.map((e) => e.code)).to.deep.equal(['IDEMPOTENCY_KEY_REUSED']);
      expect(await seriesBookings()).to.have.length(3);
    });
  });

  describe('cancel and reschedule', () => {
    it('cancels this one, this and the following, then all, bumping the series version', async () => {
      const { series: s } = await series(researcher, 'FREQ=WEEKLY;COUNT=6');
      const ids = (await seriesBookings(s!.id)).map((b) => b.id);
      const statuses = async () => (await seriesBookings(s!.id)).map((b) => b.status);

      const one = await cancelBookingSeries(researcher, { seriesId: s!.id, scope: 'THIS_ONE', fromBookingId: ids[1] }, clock);
      expect(one.errors).to.deep.equal([]);
      expect(await statuses()).to.deep.equal(['CONFIRMED', 'CANCELLED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED']);

      const following = await cancelBookingSeries(researcher, { seriesId: s!.id, scope: 'THIS_AND_FOLLOWING', fromBookingId: ids[3], expectedVersion: 1 }, clock);
      expect(following.errors).to.deep.equal([]);
      expect(following.series!.version).to.equal(2);
      expect(await statuses()).to.deep.equal(['CONFIRMED', 'CANCELLED', 'CONFIRMED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);

      const stale = await cancelBookingSeries(researcher, { seriesId: s!.id, scope: 'ALL', expectedVersion: 1 }, clock);
      expect(stale.errors.map((e) => e.code)).to.deep.equal(['STALE_VERSION']);
      const all = await cancelBookingSeries(researcher, { seriesId: s!.id, scope: 'ALL', expectedVersion: 2 }, clock);
      expect(all.errors).to.deep.equal([]);
      expect(await statuses()).to.deep.equal(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
      expect((await cancelBookingSeries(researcher, { seriesId: s!.id, scope: 'ALL' }, clock)).errors.map((e) => e.params?.reason)).to.deep.equal(['NOTHING_TO_CANCEL']);
      const needsFrom = await cancelBookingSeries(researcher, { seriesId: s!.id, scope: 'THIS_AND_FOLLOWING' }, clock);
      expect(needsFrom.errors.map((e) => e.field)).to.deep.equal(['fromBookingId']);
    });

    it('hides a series from someone who may not change it', async () => {
      const { series: s } = await series(researcher, 'FREQ=WEEKLY;COUNT=2');
      const stranger = asViewer(await makeUser());
      expect((await cancelBookingSeries(stranger, { seriesId: s!.id, scope: 'ALL' }, clock)).errors.map((e) => e.code)).to.deep.equal(['NOT_FOUND']);
      expect(await seriesBookings(s!.id).then((b) => b.map((x) => x.status))).to.deep.equal(['CONFIRMED', 'CONFIRMED']);
    });

    it('keeps a booking in at most one of a series and a booking group: the store refuses one naming both', async () => {
      const { series: s } = await series(researcher, 'FREQ=DAILY;COUNT=1');
      const group = await BookingGroup.create({ userId: researcher.userId, purpose: 'both' });
      const both = {
        instrumentId: instrument.id, userId: researcher.userId, startAt: new Date('2027-03-20T08:00:00Z'), endAt: new Date('2027-03-20T09:00:00Z'),
        status: 'CONFIRMED' as const, purpose: '', idempotencyKey: null, requestFingerprint: null, seriesId: s!.id, groupId: group.id,
      };
      const refused = await withInstrumentLock(instrument.id, (t) => insertBooking(both, { actorUserId: null }, t)).then(() => null, (e: Error) => e);
      expect(refused?.message).to.equal('A booking belongs to a series or to a booking group, not to both');
      expect(await Booking.count({ where: { groupId: group.id } })).to.equal(0);
    });

    it('moves one occurrence out of the pattern but keeps it in the series', async () => {
      const { series: s, occurrences } = await series(researcher, 'FREQ=WEEKLY;COUNT=3');
      const second = occurrences[1].booking!;
      const moved = await rescheduleBooking(researcher, { bookingId: second.id, start: berlin('2027-03-24T14:00'), end: berlin('2027-03-24T16:00') }, { clock });
      expect(moved.errors).to.deep.equal([]);
      expect(moved.booking!.seriesId).to.equal(s!.id);
      const [[row]] = (await sequelize.query('SELECT occurrence_start, booking_id FROM booking_series_occurrences WHERE booking_id = ?', { replacements: [second.id] })) as [
        { occurrence_start: Date; booking_id: number }[], unknown,
      ];
      expect(utc(row.occurrence_start)).to.equal('2027-03-23T08:00:00.000Z');
      expect(utc((await Booking.findByPk(second.id, { raw: true }))!.startAt)).to.equal('2027-03-24T13:00:00.000Z');
    });
  });

  describe('approval', () => {
    it('a manager approves the whole pending series in one decision, with version checks', async () => {
      const { series: s, errors } = await series(researcher, 'FREQ=WEEKLY;COUNT=3', { instrumentId: approvalInstrument.id });
      expect(errors).to.deep.equal([]);
      expect((await seriesBookings(s!.id)).map((b) => b.status)).to.deep.equal(['PENDING', 'PENDING', 'PENDING']);
      let refused: unknown;
      await approveBookingSeries(researcher, { seriesId: s!.id }, clock).catch((e) => { refused = e; });
      expect((refused as { code?: string })?.code).to.equal('FORBIDDEN');
      expect((await approveBookingSeries(manager, { seriesId: s!.id, expectedVersion: 7 }, clock)).errors.map((e) => e.code)).to.deep.equal(['STALE_VERSION']);

      const approved = await approveBookingSeries(manager, { seriesId: s!.id, expectedVersion: 1, note: 'Enjoy the semester' }, clock);
      expect(approved.errors).to.deep.equal([]);
      expect(approved.series!.version).to.equal(2);
      const bookings = await seriesBookings(s!.id);
      expect(bookings.map((b) => [b.status, b.decidedBy, b.version, b.decisionNote])).to.deep.equal(
        [1, 2, 3].map(() => ['CONFIRMED', manager.userId, 2, 'Enjoy the semester']),
      );
      const history = await BookingHistory.findAll({ where: { bookingId: bookings.map((b) => b.id), toStatus: 'CONFIRMED' }, raw: true });
      expect(history.map((h) => [h.fromStatus, h.actorUserId, h.note])).to.deep.equal([1, 2, 3].map(() => ['PENDING', manager.userId, 'Enjoy the semester']));
      const types = (await OutboxEvent.findAll({ order: [['id', 'ASC']], raw: true })).map((e) => e.type);
      expect(types.filter((t) => t.startsWith('booking_series.'))).to.deep.equal(['booking_series.requested', 'booking_series.confirmed']);
      expect(types.filter((t) => t === 'booking.confirmed')).to.have.length(3);
      expect((await approveBookingSeries(manager, { seriesId: s!.id }, clock)).errors.map((e) => e.params?.reason)).to.deep.equal(['NOTHING_TO_DECIDE']);
    });

    it('a manager rejects the whole pending series', async () => {
      const { series: s } = await series(researcher, 'FREQ=WEEKLY;COUNT=2', { instrumentId: approvalInstrument.id });
      const rejected = await rejectBookingSeries(manager, { seriesId: s!.id, note: 'Instrument reserved for maintenance' });
      expect(rejected.errors).to.deep.equal([]);
      expect((await seriesBookings(s!.id)).map((b) => b.status)).to.deep.equal(['REJECTED', 'REJECTED']);
    });
  });
});
