// Migrations that arrive out of number order: main's databases ran 005 and 007 (booking groups) before 006 (booking
// series) was merged. umzug runs whatever is missing, so 006 must apply on top of 007, and both must come down again.
import { expect } from 'chai';
import mysql from 'mysql2/promise';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize, ensureDatabase, migrate, migrator } from '../../src/db/database';
import { migrations } from '../../src/db/migrations';
import { testDatabase } from '../helpers/db';

// A database of this run's own (beside the test database), so parallel runs of other branches do not meet it.
const NAME = `${new URL(process.env.DATABASE_URL!).pathname.slice(1)}_late_series`.slice(0, 64);
const URL_OF_DB = `mysql://root@127.0.0.1:3306/${NAME}`;

describe('database migrations applied out of number order (007 before 006)', () => {
  let db: Sequelize | undefined;

  before(async () => {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await connection.query(`DROP DATABASE IF EXISTS \`${NAME}\``);
    await connection.end();
    await ensureDatabase(URL_OF_DB);
    db = createSequelize({ DATABASE_URL: URL_OF_DB, DATABASE_REPLICA_URLS: '', DATABASE_POOL_MAX: 2 });
  });

  after(async () => {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await connection.query(`DROP DATABASE IF EXISTS \`${NAME}\``);
    await connection.end();
    await db?.close();
    await testDatabase(); // binds the models back to the shared test database
  });

  const bookingColumns = async () =>
    (await db!.query<{ COLUMN_NAME: string }>(
      `SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${NAME}' AND TABLE_NAME = 'bookings' AND COLUMN_NAME IN ('series_id', 'group_id') ORDER BY COLUMN_NAME`,
      { type: QueryTypes.SELECT },
    )).map((c) => c.COLUMN_NAME);

  it('applies 006 alone on a database that already ran 005 and 007, keeping both columns and their foreign keys', async () => {
    const withoutSeries = migrations.map((m) => m.name).filter((name) => name !== '006-booking-series');
    await migrator(db!).up({ migrations: withoutSeries });
    expect(await bookingColumns()).to.deep.equal(['group_id']);

    expect(await migrate(db!)).to.deep.equal(['006-booking-series']);
    expect(await bookingColumns()).to.deep.equal(['group_id', 'series_id']);
    const foreignKeys = (await db!.query<{ CONSTRAINT_NAME: string }>(
      `SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '${NAME}' AND TABLE_NAME = 'bookings' ORDER BY CONSTRAINT_NAME`,
      { type: QueryTypes.SELECT },
    )).map((r) => r.CONSTRAINT_NAME);
    expect(foreignKeys).to.include.members(['bookings_group_fk', 'bookings_series_fk']);
    expect(await migrate(db!)).to.deep.equal([]);
  });

  it('migrates all the way down from that order and up again in number order', async () => {
    await migrator(db!).down({ to: 0 });
    const left = (await db!.query('SHOW TABLES', { type: QueryTypes.SELECT })).map((r) => Object.values(r as object)[0]);
    expect(left).to.deep.equal(['schema_migrations']);
    expect(await migrate(db!)).to.deep.equal(migrations.map((m) => m.name));
    expect(await bookingColumns()).to.deep.equal(['group_id', 'series_id']);
  });
});
