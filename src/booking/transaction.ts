// Writers of one instrument are serialised by writing its row first (UPDATE ... booking_seq + 1): the row lock
// orders writers on one server, and because the row is written, Galera's certification aborts all but one of two
// concurrent writers on different nodes; runTransaction retries the loser, which then sees the winner's booking.
import type { Transaction } from 'sequelize';
import { rawQuery, type WriteResult } from '../db/raw';
import { runTransaction } from '../db/transaction';
import { Instrument } from '../db/models';

export class InstrumentNotFound extends Error {
  constructor(readonly instrumentId: number) {
    super(`Instrument ${instrumentId} not found`);
    this.name = 'InstrumentNotFound';
  }
}

/** Runs fn in a READ COMMITTED transaction that first takes the instrument's write lock; retried on deadlock. */
export async function withInstrumentLock<T>(instrumentId: number, fn: (transaction: Transaction) => Promise<T>): Promise<T> {
  const sequelize = Instrument.sequelize!;
  // READ COMMITTED: reads after the lock see every booking committed before it was granted.
  return runTransaction(sequelize, async (transaction) => {
    const locked = await rawQuery<WriteResult>(sequelize, 'UPDATE instruments SET booking_seq = booking_seq + 1 WHERE id = ?', [instrumentId], { transaction });
    if (locked.affectedRows === 0) throw new InstrumentNotFound(instrumentId);
    return fn(transaction);
  });
}
