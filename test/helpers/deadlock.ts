// A deadlock on demand: two model transactions write two institutions in opposite order, so InnoDB (or Galera
// certification) kills one with errno 1213 and the transaction runner must retry it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sequelize } from 'sequelize';
import { Institution } from '../../src/db/models';
import { runTransaction } from '../../src/db/transaction';
import { makeInstitution } from './factories';

/** Runs both writers to the end; the labels they returned and the attempts they took (more than 2: one was retried). */
export async function opposingWriters(sequelize: Sequelize): Promise<{ results: string[]; attempts: number }> {
  const a = await makeInstitution({ name: 'A' });
  const b = await makeInstitution({ name: 'B' });
  let attempts = 0;
  const writer = (first: number, second: number, label: string) =>
    runTransaction(sequelize, { kind: 'models' }, async (transaction) => {
      attempts += 1;
      await Institution.update({ timeZone: `${label}-1` }, { where: { id: first }, transaction });
      await sleep(150);
      await Institution.update({ timeZone: `${label}-2` }, { where: { id: second }, transaction });
      return label;
    });
  const results = await Promise.all([writer(a.id, b.id, 'x'), writer(b.id, a.id, 'y')]);
  return { results, attempts };
}
