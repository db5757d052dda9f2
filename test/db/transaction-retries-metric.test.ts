import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { Institution } from '../../src/db/models';
import { runTransaction } from '../../src/db/transaction';
import { resetTables } from '../helpers/db';
import { makeInstitution } from '../helpers/factories';
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
    const a = await makeInstitution({ name: 'A' });
    const b = await makeInstitution({ name: 'B' });
    const before = await retries('deadlock');
    let attempts = 0;
    // Opposite lock order: InnoDB (or Galera certification) kills one writer with 1213, which is retried.
    const writer = (first: number, second: number, label: string) =>
      runTransaction(sequelize, { kind: 'models' }, async (transaction) => {
        attempts += 1;
        await Institution.update({ timeZone: `${label}-1` }, { where: { id: first }, transaction });
        await sleep(150);
        await Institution.update({ timeZone: `${label}-2` }, { where: { id: second }, transaction });
      });
    await Promise.all([writer(a.id, b.id, 'x'), writer(b.id, a.id, 'y')]);
    expect(attempts).to.be.greaterThan(2);
    expect((await retries('deadlock')) - before).to.equal(attempts - 2);
  });
});
