import { expect } from 'chai';
import { DateTime } from 'luxon';
import { QueryTypes } from 'sequelize';
import { sqlInstant } from '../../src/db/sql-instant';
import { OutboxEvent } from '../../src/db/models';
import { recordEvent } from '../../src/events/outbox';
import { runTransaction } from '../../src/db/transaction';
import { resetTables } from '../helpers/db';

describe('instants in raw SQL', () => {
  it('keeps milliseconds that Date replacements would drop', async () => {
    const sequelize = await resetTables(['outbox_events']);
    const instant = new Date('2026-12-03T01:02:03.456Z');
    const [row] = await sequelize.query<{ d: Date }>('SELECT CAST(? AS DATETIME(3)) AS d', { replacements: [sqlInstant(instant)], type: QueryTypes.SELECT });
    expect(row.d.toISOString()).to.equal('2026-12-03T01:02:03.456Z');
    expect(sqlInstant(DateTime.fromISO('2026-12-03T08:02:03.456+07:00'))).to.equal('2026-12-03 01:02:03.456');
    expect(sqlInstant(Date.UTC(2026, 11, 3, 1, 2, 3, 4))).to.equal('2026-12-03 01:02:03.004'); // epoch ms
    expect(sqlInstant(new Date('2026-01-09T00:00:00Z'))).to.equal('2026-01-09 00:00:00.000');
  });

  it('records outbox events with a millisecond creation time', async () => {
    const sequelize = await resetTables(['outbox_events']);
    const before = Date.now();
    await runTransaction(sequelize, (transaction) => recordEvent({ type: 't', aggregateType: 'a', aggregateId: 1, payload: { x: 1 } }, transaction));
    const [event] = await OutboxEvent.findAll({ raw: true });
    expect(event.createdAt.getTime()).to.be.within(before - 5, Date.now() + 5);
    expect(event.payload).to.deep.equal({ x: 1 });
  });
});
