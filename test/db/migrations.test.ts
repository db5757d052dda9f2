import { expect } from 'chai';
import mysql from 'mysql2/promise';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize, ensureDatabase, migrate, migrator } from '../../src/db/database';
import { migrations } from '../../src/db/migrations';
import { testDatabase } from '../helpers/db';

const EMPTY_DB_URL = 'mysql://root@127.0.0.1:3306/labshare_migration_test';

describe('database migrations', () => {
  let fresh: Sequelize | undefined;

  before(async () => {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await connection.query('DROP DATABASE IF EXISTS labshare_migration_test');
    await connection.end();
  });

  after(async () => {
    await fresh?.close();
    await testDatabase(); // binds the models back to the shared test database
  });

  it('creates the database when it is missing and migrates up from empty', async () => {
    await ensureDatabase(EMPTY_DB_URL);
    fresh = createSequelize({ DATABASE_URL: EMPTY_DB_URL, DATABASE_REPLICA_URLS: '', DATABASE_POOL_MAX: 2 });
    const applied = await migrate(fresh);
    expect(applied).to.deep.equal(migrations.map((m) => m.name));
    const tables = (await fresh.query('SHOW TABLES', { type: QueryTypes.SELECT })).map((r) => Object.values(r as object)[0]);
    expect(tables).to.include.members(['institutions', 'users', 'labs', 'lab_memberships', 'instruments', 'opening_hours',
      'blackouts', 'lab_closures', 'bookings', 'booking_history', 'usage_logs', 'outbox_events', 'app_secrets', 'schema_migrations']);
  });

  it('is a no-op when run again', async () => {
    expect(await migrate(fresh!)).to.deep.equal([]);
  });

  it('stores instants as UTC DATETIME(3) and indexes bookings by (instrument, start, end)', async () => {
    const columns = await fresh!.query<{ COLUMN_NAME: string; COLUMN_TYPE: string }>(
      "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'labshare_migration_test' AND TABLE_NAME = 'bookings' AND COLUMN_NAME IN ('start_at','end_at')",
      { type: QueryTypes.SELECT },
    );
    expect(columns.map((c) => c.COLUMN_TYPE)).to.deep.equal(['datetime(3)', 'datetime(3)']);
    const index = await fresh!.query<{ COLUMN_NAME: string }>(
      "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'labshare_migration_test' AND TABLE_NAME = 'bookings' AND INDEX_NAME = 'bookings_instrument_range' ORDER BY SEQ_IN_INDEX",
      { type: QueryTypes.SELECT },
    );
    expect(index.map((c) => c.COLUMN_NAME)).to.deep.equal(['instrument_id', 'start_at', 'end_at']);
  });

  it('migrates all the way down and up again', async () => {
    await migrator(fresh!).down({ to: 0 });
    const left = (await fresh!.query('SHOW TABLES', { type: QueryTypes.SELECT })).map((r) => Object.values(r as object)[0]);
    expect(left).to.deep.equal(['schema_migrations']);
    expect(await migrate(fresh!)).to.have.length(migrations.length);
  });
});
