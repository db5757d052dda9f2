// Writes an outbox event inside the caller's transaction, so the state change and its event commit together.
// After commit, local listeners (the relay) are handed the committed events to enqueue at once; the sweeper catches
// anything missed.
import { randomUUID } from 'node:crypto';
import { OutboxEvent } from '../db/models';
import { rawQuery, type PlainTransaction } from '../db/raw';
import { sqlInstant } from '../db/sql-instant';
import type { CommittedEvent, OutboxEventInput } from './types';

type CommitListener = (events: CommittedEvent[]) => void;
const listeners = new Set<CommitListener>();

/** A wake-up signal only: losing it delays delivery until the sweeper runs, it never loses an event. */
export function onEventsCommitted(listener: CommitListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const pendingByTransaction = new WeakMap<PlainTransaction, CommittedEvent[]>();

export async function recordEvent(event: OutboxEventInput, transaction: PlainTransaction): Promise<string> {
  return (await recordEvents([event], transaction))[0];
}

/** Several events of one command in one statement (a series' bookings), in the caller's transaction. */
export async function recordEvents(events: OutboxEventInput[], transaction: PlainTransaction): Promise<string[]> {
  if (events.length === 0) return [];
  const createdAt = new Date();
  const written = events.map((event) => ({ eventId: randomUUID(), event }));
  // A plain INSERT: this runs inside booking transactions that hold the instrument lock, where model building and
  // validation would only lengthen the time other writers wait.
  await rawQuery(
    OutboxEvent.sequelize!,
    `INSERT INTO outbox_events (event_id, type, aggregate_type, aggregate_id, payload, created_at) VALUES ${written.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
    written.flatMap(({ eventId, event }) => [eventId, event.type, event.aggregateType, String(event.aggregateId), JSON.stringify(event.payload), sqlInstant(createdAt)]),
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
  for (const { eventId, event } of written) {
    pending.push({ eventId, type: event.type, aggregateType: event.aggregateType, payload: event.payload as Record<string, unknown>, createdAt });
  }
  return written.map((w) => w.eventId);
}
