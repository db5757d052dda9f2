// Every statement has a time bound, and the failures that mean "the database cannot answer now" are told apart from
// the rest in one place (src/db/connection-errors.ts). The frozen and dead server cases are in test/faults.
import { expect } from 'chai';
import { ConnectionAcquireTimeoutError, ConnectionRefusedError, DatabaseError, QueryTypes, TimeoutError, UniqueConstraintError, type Sequelize } from 'sequelize';
import { config } from '../../src/config';
import { isDatabaseUnavailable } from '../../src/db/connection-errors';
import { createSequelize } from '../../src/db/database';
import { rawQuery } from '../../src/db/raw';
import { testDatabase } from '../helpers/db';

describe('database statement bounds', function () {
  this.timeout(20_000);
  const BOUND_MS = 800;
  let bounded: Sequelize;

  before(async () => {
    await testDatabase(); // creates and migrates the test database
    bounded = createSequelize({ ...config(), DATABASE_STATEMENT_TIMEOUT_MS: BOUND_MS });
  });

  after(async () => {
    await bounded?.close();
    await testDatabase(); // binds the models back
  });

  const failureOf = async (statement: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> => {
    const started = performance.now();
    try {
      await statement();
    } catch (error) {
      return { error, ms: performance.now() - started };
    }
    throw new Error('the statement was expected to fail');
  };

  it('ends a Sequelize statement and a plain one that outlive the bound, as unavailable, and the pool keeps serving', async () => {
    for (const slow of [
      () => bounded.query('SELECT SLEEP(5) AS slept', { type: QueryTypes.SELECT }),
      () => rawQuery(bounded, 'SELECT SLEEP(5) AS slept', []),
    ]) {
      const { error, ms } = await failureOf(slow);
      expect(isDatabaseUnavailable(error), String(error)).to.equal(true);
      expect(ms).to.be.within(BOUND_MS - 100, BOUND_MS + 1500);
      expect(await rawQuery(bounded, 'SELECT 1 AS one', [])).to.deep.equal([{ one: 1 }]);
    }
  });

  it('counts connection failures, lost connections and timeouts as unavailable, and nothing else', () => {
    const driver = (code: string, extra: object = {}) => Object.assign(new Error(code), { code, ...extra });
    const unavailable = [
      new ConnectionRefusedError(driver('ECONNREFUSED')),
      new ConnectionAcquireTimeoutError(new Error('pool')),
      new TimeoutError(driver('ER_LOCK_DEADLOCK') as never),
      new DatabaseError(driver('PROTOCOL_SEQUENCE_TIMEOUT') as never),
      driver('PROTOCOL_CONNECTION_LOST', { fatal: true }),
      driver('ECONNRESET'),
      Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }),
      Object.assign(new Error('Query execution was interrupted (max_statement_time exceeded)'), { errno: 1969, sqlState: '70100' }),
    ];
    const others = [
      new UniqueConstraintError({ message: 'duplicate' }),
      Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000' }),
      new DatabaseError(Object.assign(new Error('syntax'), { code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000' }) as never),
      new TypeError('x is undefined'),
      undefined,
    ];
    expect(unavailable.map(isDatabaseUnavailable)).to.deep.equal(unavailable.map(() => true));
    expect(others.map(isDatabaseUnavailable)).to.deep.equal(others.map(() => false));
  });
});
