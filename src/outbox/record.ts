// Writes an outbox event inside the caller's transaction, so the state change and its event commit together.
// After commit, local listeners (the relay) are handed the committed events to enqueue at once; the sweeper catches
// anything missed.
import { randomUUID } from 'node:crypto';
import { OutboxEvent } from '../db/models';
import { rawQuery, type AnyTransaction } from '../db/raw';
import { sqlInstant } from '../db/sql-instant';

export interface OutboxEventInput {
  type: string;
  aggregateType: string;
  aggregateId: string | number;
  payload: Record<string, unknown>;
}

/** An event as it was written: what the relay needs to enqueue its jobs without reading the row back. */
export interface CommittedEvent {
  eventId: string;
  type: string;
  aggregateType: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

type CommitListener = (events: CommittedEvent[]) => void;
const listeners = new Set<CommitListener>();

/** A wake-up signal only: losing it delays delivery until the sweeper runs, it never loses an event. */
export function onEventsCommitted(listener: CommitListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const pendingByTransaction = new WeakMap<AnyTransaction, CommittedEvent[]>();

export async function recordEvent(event: OutboxEventInput, transaction: AnyTransaction): Promise<string> {
  const eventId = randomUUID();
  const createdAt = new Date();
  // A plain INSERT: this runs inside booking transactions that hold the instrument lock, where model building and
  // validation would only lengthen the time other writers wait.
  await rawQuery(
    OutboxEvent.sequelize!,
    'INSERT INTO outbox_events (event_id, type, aggregate_type, aggregate_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    [eventId, event.type, event.aggregateType, String(event.aggregateId), JSON.stringify(event.payload), sqlInstant(createdAt)],
    { transaction },
  );
  let pending = pendingByTransaction.get(transaction);
  if (!pending) {
    pending = [];
    pendingByTransaction.set(transaction, pending);
    const committed = pending;
    transaction.afterCommit(() => {
      for (const listener of listeners) listener([...committed]);
    });
  }
  pending.push({ eventId, type: event.type, aggregateType: event.aggregateType, payload: event.payload, createdAt });
  return eventId;
}
