import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { rawQuery, type PlainTransaction, type RawOptions } from '../../src/db/raw';
import { runTransaction, type TransactionOptions } from '../../src/db/transaction';
import { Institution } from '../../src/db/models';
import { Transaction, type Sequelize } from 'sequelize';
import { countQueries, resetTables } from '../helpers/db';
import { opposingWriters } from '../helpers/deadlock';
import { makeInstitution } from '../helpers/factories';

describe('runTransaction', () => {
  describe("kind: 'models' (Sequelize model calls)", () => {
    it('retries a transaction the database chose as a deadlock victim, so both writers succeed', async () => {
      const sequelize = await resetTables(['institutions']);
      // Two writers lock the same rows in opposite order: InnoDB kills one (errno 1213) and it must be retried.
      const { results, attempts } = await opposingWriters(sequelize);
      expect(results).to.deep.equal(['x', 'y']);
      expect(attempts).to.be.greaterThan(2);
    });

    it('does not retry an error that is not about locking', async () => {
      const sequelize = await resetTables(['institutions']);
      let attempts = 0;
      let caught: unknown;
      try {
        await runTransaction(sequelize, { kind: 'models' }, async (transaction) => {
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
      const readTwice = (sequelize: Sequelize, id: number, options: TransactionOptions = {}) =>
        runTransaction(
          sequelize,
          { kind: 'models', ...options },
          async (transaction) => {
            const before = await Institution.findByPk(id, { transaction });
            await Institution.update({ name: 'Changed meanwhile' }, { where: { id } }); // autocommit, another connection
            const after = await Institution.findByPk(id, { transaction });
            return [before!.name, after!.name];
          },
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

  describe('plain statements (the default kind, no Sequelize wrapper)', () => {
    const names = async (sequelize: Sequelize) =>
      (await rawQuery<{ name: string }[]>(sequelize, 'SELECT name FROM institutions ORDER BY name', [])).map((r) => r.name);
    const insert = (sequelize: Sequelize, name: string, options: RawOptions) =>
      rawQuery(sequelize, "INSERT INTO institutions (name, country_code, time_zone, created_at, updated_at) VALUES (?, 'VN', 'Asia/Ho_Chi_Minh', NOW(), NOW())", [name], options);

    it('commits, and runs afterCommit callbacks only once COMMIT succeeded', async () => {
      const sequelize = await resetTables(['institutions']);
      const seen: string[][] = [];
      const result = await runTransaction(sequelize, async (transaction) => {
        await insert(sequelize, 'Committed', { transaction });
        transaction.afterCommit(() => void names(sequelize).then((n) => seen.push(n)));
        expect(await names(sequelize)).to.deep.equal([]); // not visible to another connection yet
        return 'done';
      });
      expect(result).to.equal('done');
      expect(await names(sequelize)).to.deep.equal(['Committed']);
      await sleep(50);
      expect(seen).to.deep.equal([['Committed']]);
    });

    it('rolls back on an error, rethrows it, skips afterCommit and hands every connection back usable', async () => {
      const sequelize = await resetTables(['institutions']);
      let afterCommitRan = false;
      // More failures than the pool has connections: a connection kept, or returned inside a transaction, would show.
      for (let i = 0; i < 12; i += 1) {
        const outcome = await runTransaction(sequelize, async (transaction) => {
          await insert(sequelize, `Rolled back ${i}`, { transaction });
          transaction.afterCommit(() => {
            afterCommitRan = true;
          });
          throw new Error(`refused ${i}`);
        }).catch((error: Error) => error.message);
        expect(outcome).to.equal(`refused ${i}`);
      }
      expect(afterCommitRan).to.equal(false);
      expect(await names(sequelize)).to.deep.equal([]);
      await runTransaction(sequelize, (transaction) => insert(sequelize, 'After the failures', { transaction }));
      const inTransaction = await rawQuery<{ n: number }[]>(sequelize, 'SELECT @@in_transaction AS n', []);
      expect(Number(inTransaction[0].n)).to.equal(0);
      expect(await names(sequelize)).to.deep.equal(['After the failures']);
    });

    it('retries a deadlock victim whole, so both writers succeed', async () => {
      const sequelize = await resetTables(['institutions']);
      const a = await makeInstitution({ name: 'A' });
      const b = await makeInstitution({ name: 'B' });
      let attempts = 0;
      const writer = (first: number, second: number, label: string) =>
        runTransaction(sequelize, async (transaction) => {
          attempts += 1;
          await rawQuery(sequelize, 'UPDATE institutions SET time_zone = ? WHERE id = ?', [`${label}-1`, first], { transaction });
          await sleep(150);
          await rawQuery(sequelize, 'UPDATE institutions SET time_zone = ? WHERE id = ?', [`${label}-2`, second], { transaction });
          return label;
        });
      expect(await Promise.all([writer(a.id, b.id, 'x'), writer(b.id, a.id, 'y')])).to.deep.equal(['x', 'y']);
      expect(attempts).to.be.greaterThan(2);
    });

    it('reads READ COMMITTED: a change committed meanwhile is seen', async () => {
      const sequelize = await resetTables(['institutions']);
      const institution = await makeInstitution({ name: 'Original' });
      const read = (transaction: PlainTransaction) =>
        rawQuery<{ name: string }[]>(sequelize, 'SELECT name FROM institutions WHERE id = ?', [institution.id], { transaction }).then((r) => r[0].name);
      const seen = await runTransaction(sequelize, async (transaction) => {
        const before = await read(transaction);
        await Institution.update({ name: 'Changed meanwhile' }, { where: { id: institution.id } });
        return [before, await read(transaction)];
      });
      expect(seen).to.deep.equal(['Original', 'Changed meanwhile']);
    });
  });
});
