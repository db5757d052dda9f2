// Writers of one instrument are serialised by writing its row first (UPDATE ... booking_seq + 1): the row lock
// orders writers on one server, and because the row is written, Galera's certification aborts all but one of two
// concurrent writers on different nodes; runTransaction retries the loser, which then sees the winner's booking.
import type { Transaction } from 'sequelize';
import { rawQuery, type AnyTransaction, type PlainTransaction, type WriteResult } from '../db/raw';
import { runPlainTransaction, runTransaction } from '../db/transaction';
import { Instrument } from '../db/models';

export class InstrumentNotFound extends Error {
  constructor(readonly instrumentId: number) {
    super(`Instrument ${instrumentId} not found`);
    this.name = 'InstrumentNotFound';
  }
}

async function lockInstrument(instrumentId: number, transaction: AnyTransaction): Promise<void> {
  const locked = await rawQuery<WriteResult>(Instrument.sequelize!, 'UPDATE instruments SET booking_seq = booking_seq + 1 WHERE id = ?', [instrumentId], { transaction });
  if (locked.affectedRows === 0) throw new InstrumentNotFound(instrumentId);
}

/**
 * Runs fn in a READ COMMITTED transaction that first takes the instrument's write lock; retried on deadlock.
 * READ COMMITTED: reads after the lock see every booking committed before it was granted.
 */
export async function withInstrumentLock<T>(instrumentId: number, fn: (transaction: Transaction) => Promise<T>): Promise<T> {
  return runTransaction(Instrument.sequelize!, async (transaction) => {
    await lockInstrument(instrumentId, transaction);
    return fn(transaction);
  });
}

/** The same for a command whose statements are all plain (rawQuery): no Sequelize transaction around them. */
export async function withInstrumentLockPlain<T>(instrumentId: number, fn: (transaction: PlainTransaction) => Promise<T>): Promise<T> {
  return runPlainTransaction(Instrument.sequelize!, async (transaction) => {
    await lockInstrument(instrumentId, transaction);
    return fn(transaction);
  });
}
