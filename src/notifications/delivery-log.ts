// The delivery log: one row per (event, channel, recipient). A processor claims its row before sending and marks
// it SENT after; a retried or duplicated job finds SENT and does nothing.
//
// "Exactly once in effect": a crash after the send but before markSent leaves the row PENDING, and the retry sends
// again. No system can close that gap against an external receiver, so every message carries an identifier that
// is the same on every attempt (email Message-ID, webhook X-LabShare-Delivery / Idempotency-Key) and a receiver
// can discard the second copy. Outside that crash window (and a worker that loses its BullMQ lock while still
// running, e.g. an event loop blocked longer than lockDuration) the log guarantees at most one send per key.
// Every job runs these, so they are plain statements through the pool (src/db/raw.ts), not model calls.
import { createHash } from 'node:crypto';
import { NotificationDelivery } from '../db/models';
import type { DeliveryChannel } from '../db/models/notification-delivery';
import { coalescingLoader } from '../db/coalescing-loader';
import { rawQuery, type WriteResult } from '../db/raw';
import { sqlInstant } from '../db/sql-instant';

export interface DeliveryKey {
  /** The outbox event id, or a key of its own for scheduled messages (reminder.<booking>.<offset>.<start>). */
  eventKey: string;
  channel: DeliveryChannel;
  /** What an admin reads: the email address or the webhook URL. */
  recipient: string;
  /** What makes the recipient unique: the email address, or subscription:<id>. */
  recipientIdentity: string;
}

export interface DeliveryClaim {
  id: number;
  /** Attempts including this one. */
  attempts: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const recipientHash = (channel: DeliveryChannel, identity: string) => sha256(`${channel}\n${identity.trim().toLowerCase()}`);

/** A Message-ID that is the same on every attempt for this event and recipient. */
export function stableMessageId(eventKey: string, email: string, domain: string): string {
  return `<${sha256(`${eventKey}\n${email.trim().toLowerCase()}`).slice(0, 40)}@${domain}>`;
}

/**
 * Insert-or-find the delivery row and count the attempt; null when it was already SENT (nothing to do). One statement
 * on a first attempt, which is nearly every one: the row's id comes back as LAST_INSERT_ID(id) whether it was inserted
 * or found, and the changed-rows count says which (the pools count changed rows, not matched ones: 1 inserted,
 * 2 a retry counted, 0 unchanged because it was SENT). Only a retry reads its attempt count back.
 */
export async function claimDelivery(key: DeliveryKey): Promise<DeliveryClaim | null> {
  const sequelize = NotificationDelivery.sequelize!;
  const claimed = await rawQuery<WriteResult>(
    sequelize,
    `INSERT INTO notification_deliveries (event_key, channel, recipient, recipient_hash, status, attempts)
     VALUES (?, ?, ?, ?, 'PENDING', 1)
     ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), attempts = IF(status = 'SENT', attempts, attempts + 1), status = IF(status = 'SENT', 'SENT', 'PENDING')`,
    [key.eventKey, key.channel, key.recipient.slice(0, 2000), recipientHash(key.channel, key.recipientIdentity)],
  );
  if (claimed.affectedRows === 0) return null;
  const id = Number(claimed.insertId);
  if (claimed.affectedRows === 1) return { id, attempts: 1 };
  const [row] = await rawQuery<{ attempts: number }[]>(sequelize, 'SELECT attempts FROM notification_deliveries WHERE id = ?', [id]);
  return { id, attempts: row.attempts };
}

// Deliveries marked sent while another mark is in flight share the next statement (src/db/coalescing-loader.ts).
const sentMarks = coalescingLoader<number, true>(async (ids) => {
  const now = sqlInstant(new Date());
  await rawQuery(
    NotificationDelivery.sequelize!,
    "UPDATE notification_deliveries SET status = 'SENT', sent_at = ?, last_error = NULL, updated_at = ? WHERE id IN (?)",
    [now, now, ids],
  );
  return ids.map(() => true as const);
});

/** Marks the claimed delivery SENT; resolves once that is committed. */
export async function markSent(id: number): Promise<void> {
  await sentMarks.load(id);
}

/** Records the error; `final` (no attempts left) makes the row FAILED, which admins see in webhookDeliveries. */
export async function markFailed(id: number, error: string, final: boolean): Promise<void> {
  await rawQuery(
    NotificationDelivery.sequelize!,
    'UPDATE notification_deliveries SET status = ?, last_error = ?, updated_at = ? WHERE id = ?',
    [final ? 'FAILED' : 'PENDING', error.slice(0, 2000), sqlInstant(new Date()), id],
  );
}
