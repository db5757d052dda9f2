// Dispatched outbox rows are kept for a while (auditing, re-driving by hand) and then deleted in small batches.
import type { Sequelize } from 'sequelize';
import { rawQuery, type WriteResult } from '../db/raw';
import { sqlInstant } from '../db/sql-instant';

/** Deletes events dispatched before `before`; undispatched events are never pruned. Returns the count. */
export async function pruneDispatchedEvents(sequelize: Sequelize, before: Date, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    // Small batches keep each DELETE's locks short next to booking transactions that insert events.
    const result = await rawQuery<WriteResult>(sequelize, 'DELETE FROM outbox_events WHERE dispatched_at < ? ORDER BY dispatched_at LIMIT ?', [
      sqlInstant(before), batchSize,
    ]);
    const count = result.affectedRows;
    total += count;
    if (count < batchSize) return total;
  }
}
