// findAllRows: a model's rows read through the project's pools (how catalogue listings and usage reports reach a
// replica) are the rows findAll({ raw: true }) gives, value for value. Without replicas the "replica" pool is the
// primary's, so both read the same data here; test/db/primary-replica.test.ts shows where they go with one.
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { Op } from 'sequelize';
import { Institution, Instrument, Lab, UsageLog } from '../../src/db/models';
import { findAllRows } from '../../src/db/raw';
import { resetTables } from '../helpers/db';
import { makeBooking, makeInstrument, makeLab, makeUser } from '../helpers/factories';

describe('findAllRows: model rows from the replica pools', () => {
  let labId: number;

  before(async () => {
    await resetTables(['usage_logs', 'booking_history', 'bookings', 'instruments', 'labs', 'users', 'institutions']);
    const lab = await makeLab({ countryCode: 'KH', timeZone: 'Asia/Phnom_Penh' });
    labId = lab.id;
    const instrument = await makeInstrument({ labId, name: "Bruker's NMR? 100% (a_b)", requiresApproval: true, accessPolicy: 'MEMBERS', description: 'line one\nline two' });
    await makeInstrument({ labId, name: 'Plain instrument' });
    const user = await makeUser();
    const start = DateTime.fromISO('2026-03-02T09:00:00.123+07:00');
    const booking = await makeBooking({ instrumentId: instrument.id, userId: user.id, status: 'COMPLETED', start, end: start.plus({ minutes: 90 }) });
    await UsageLog.create({
      bookingId: booking.id, instrumentId: instrument.id, labId, userId: user.id, institutionId: user.institutionId,
      outcome: 'COMPLETED', bookedMinutes: 90, usedMinutes: 75, startAt: booking.startAt, endAt: booking.endAt,
    });
  });

  it('gives the rows findAll gives: every attribute, its type, the filter, order and limit', async () => {
    const cases = [
      [Instrument, { where: { name: { [Op.like]: "%'s NMR? 100\\% (a\\_b)%" } }, order: [['id', 'ASC']] }],
      [Instrument, { where: { labId }, attributes: ['id', 'name', 'status'], order: [['id', 'DESC']], limit: 1 }],
      [Lab, { where: { countryCode: 'KH' } }],
      [Institution, { where: { id: { [Op.gt]: 0 } }, order: [['id', 'ASC']], limit: 2 }],
      [UsageLog, { where: { startAt: { [Op.gte]: new Date('2026-03-02T02:00:00Z') } }, order: [['startAt', 'ASC'], ['id', 'ASC']] }],
    ] as const;
    for (const [model, options] of cases) {
      const expected = await (model as typeof Instrument).findAll({ ...(options as object), raw: true });
      expect(expected, `${model.name} finds something`).to.have.length.greaterThan(0);
      const fromPools = await findAllRows(model as typeof Instrument, options as object, { replica: true });
      expect(fromPools, model.name).to.deep.equal(expected);
    }
    const [log] = await findAllRows(UsageLog, {}, { replica: true });
    expect(log.startAt).to.be.an.instanceOf(Date);
    expect(log.startAt.toISOString()).to.equal('2026-03-02T02:00:00.123Z');
  });
});
