import { expect } from 'chai';
import { claimDelivery, markFailed, markSent } from '../../src/notifications/delivery-log';
import { countQueries, resetTables } from '../helpers/db';

describe('delivery log (claim before sending, mark after)', () => {
  const key = { eventKey: 'evt-1', channel: 'EMAIL' as const, recipient: 'lan@vnu.test', recipientIdentity: 'lan@vnu.test' };

  it('claims a first attempt in one statement, counts each retry on the same row, and refuses once SENT', async () => {
    const sequelize = await resetTables(['notification_deliveries']);
    const { result: first, queries } = await countQueries(sequelize, () => claimDelivery(key));
    expect(first).to.include({ attempts: 1 });
    expect(queries).to.have.length(1);

    // The job failed after its claim (row PENDING), then again for good but retried by hand: same row, counted.
    const second = await claimDelivery(key);
    expect(second).to.deep.equal({ id: first!.id, attempts: 2 });
    await markFailed(second!.id, 'SMTP said no', true);
    const third = await claimDelivery({ ...key, recipientIdentity: ' LAN@vnu.test ' });
    expect(third).to.deep.equal({ id: first!.id, attempts: 3 });

    // Another recipient of the same event is its own row.
    const other = await claimDelivery({ ...key, recipient: 'minh@vnu.test', recipientIdentity: 'minh@vnu.test' });
    expect(other!.id).not.to.equal(first!.id);

    await markSent(third!.id);
    expect(await claimDelivery(key)).to.equal(null);
    const [[row]] = (await sequelize.query('SELECT status, attempts FROM notification_deliveries WHERE id = ?', { replacements: [first!.id] })) as [
      { status: string; attempts: number }[], unknown];
    expect(row).to.deep.equal({ status: 'SENT', attempts: 3 });
  });

  it('marks many deliveries sent at once in fewer statements than deliveries, each one SENT', async () => {
    const sequelize = await resetTables(['notification_deliveries']);
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => claimDelivery({ ...key, eventKey: `evt-${i}` })));
    const { queries } = await countQueries(sequelize, () => Promise.all(claims.map((c) => markSent(c!.id))));
    expect(queries.length).to.be.within(1, 2);
    const [[row]] = (await sequelize.query("SELECT COUNT(*) AS n FROM notification_deliveries WHERE status = 'SENT' AND sent_at IS NOT NULL")) as [
      { n: number }[], unknown];
    expect(Number(row.n)).to.equal(12);
  });
});
