import { expect } from 'chai';
import { resetTables } from '../helpers/db';
import { opposingWriters } from '../helpers/deadlock';
import { startTestServer, type TestServer } from '../helpers/server';

describe('transaction retries in /metrics', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  const retries = async (reason: string) => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(new RegExp(`^labshare_transaction_retries_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  it('counts a deadlock victim\'s retry as labshare_transaction_retries_total{reason="deadlock"}', async () => {
    const sequelize = await resetTables(['institutions']);
    const before = await retries('deadlock');
    // Opposite lock order: InnoDB (or Galera certification) kills one writer with 1213, which is retried.
    const { attempts } = await opposingWriters(sequelize);
    expect(attempts).to.be.greaterThan(2);
    expect((await retries('deadlock')) - before).to.equal(attempts - 2);
  });
});
