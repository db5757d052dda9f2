import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { runTransaction } from '../../src/db/transaction';
import { Institution } from '../../src/db/models';
import { Transaction, type Sequelize } from 'sequelize';
import { countQueries, resetTables } from '../helpers/db';
import { makeInstitution } from '../helpers/factories';

describe('runTransaction', () => {
  it('retries a transaction the database chose as a deadlock victim, so both writers succeed', async () => {
    const sequelize = await resetTables(['institutions']);
    const a = await makeInstitution({ name: 'A' });
    const b = await makeInstitution({ name: 'B' });
    let attempts = 0;
    // Two writers lock the same rows in opposite order: InnoDB kills one (errno 1213) and it must be retried.
    const writer = (first: number, second: number, label: string) =>
      runTransaction(sequelize, async (transaction) => {
        attempts += 1;
        await Institution.update({ timeZone: `${label}-1` }, { where: { id: first }, transaction });
        await sleep(150);
        await Institution.update({ timeZone: `${label}-2` }, { where: { id: second }, transaction });
        return label;
      });
    const results = await Promise.all([writer(a.id, b.id, 'x'), writer(b.id, a.id, 'y')]);
    expect(results).to.deep.equal(['x', 'y']);
    expect(attempts).to.be.greaterThan(2);
  });

  it('does not retry an error that is not about locking', async () => {
    const sequelize = await resetTables(['institutions']);
    let attempts = 0;
    let caught: unknown;
    try {
      await runTransaction(sequelize, async (transaction) => {
        attempts += 1;
        await sequelize.query('SELECT * FROM no_such_table', { transaction });
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(Error);
    expect(attempts).to.equal(1);
  });

  describe('isolation', () => {
    // Reads a row twice in one transaction while another connection commits a change in between.
    const readTwice = (sequelize: Sequelize, id: number, options?: Parameters<typeof runTransaction>[2]) =>
      runTransaction(
        sequelize,
        async (transaction) => {
          const before = await Institution.findByPk(id, { transaction });
          await Institution.update({ name: 'Changed meanwhile' }, { where: { id } }); // autocommit, another connection
          const after = await Institution.findByPk(id, { transaction });
          return [before!.name, after!.name];
        },
        options,
      );

    it('runs READ COMMITTED by default, with no SET TRANSACTION statement: a change committed meanwhile is seen', async () => {
      const sequelize = await resetTables(['institutions']);
      const institution = await makeInstitution({ name: 'Original' });
      const { result, queries } = await countQueries(sequelize, () => readTwice(sequelize, institution.id));
      expect(result).to.deep.equal(['Original', 'Changed meanwhile']);
      expect(queries.filter((sql) => /SET TRANSACTION|ISOLATION LEVEL/i.test(sql))).to.deep.equal([]);
    });

    it('still honours another level when asked: REPEATABLE READ keeps the first snapshot', async () => {
      const sequelize = await resetTables(['institutions']);
      const institution = await makeInstitution({ name: 'Original' });
      const result = await readTwice(sequelize, institution.id, { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ });
      expect(result).to.deep.equal(['Original', 'Original']);
      // SET TRANSACTION touched that one transaction only: the session default is still READ COMMITTED
      const [[row]] = (await sequelize.query('SELECT @@SESSION.tx_isolation AS level')) as [{ level: string }[], unknown];
      expect(row.level).to.equal('READ-COMMITTED');
    });
  });
});
