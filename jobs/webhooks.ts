// webhooks: each event is POSTed as JSON to every active subscription of the partner institutions concerned
// (the booker's and the lab's). A fan-out job adds one delivery job per subscription, so each URL retries on
// its own with exponential backoff; after the last attempt the delivery row is FAILED and admins see it.
// What a subscription receives depends on whose booking it is (webhookPayloadFor; README "Webhooks").
import { createHmac } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import { WebhookSubscription } from '../src/db/models';
import { WEBHOOK_TEST_EVENT } from '../src/events/types';
import { rawQuery } from '../src/db/raw';
import { claimDelivery, markFailed, markSent } from '../src/notifications/delivery-log';
import { postWebhook, WebhookTargetRefused } from '../src/security/webhook-targets';
import { isFinalAttempt, type JobDeps } from './context';
import type { JobKind } from './kind';

export interface WebhookEventJob {
  eventId: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface WebhookDeliveryJob extends WebhookEventJob {
  subscriptionId: number;
}

export const SIGNATURE_HEADER = 'x-labshare-signature';
export const TIMESTAMP_HEADER = 'x-labshare-timestamp';
export const DELIVERY_HEADER = 'x-labshare-delivery';

/** Hex HMAC-SHA256 over `${timestamp}.${body}`; the header value is `v1=<hex>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The body partners receive; identical on every attempt. */
export function webhookBody(job: WebhookEventJob): string {
  return JSON.stringify({ id: job.eventId, type: job.type, createdAt: job.occurredAt, data: job.data });
}

/** What every institution concerned learns of a booking event: the instrument, the span and the status change. */
const SPAN_AND_STATUS_FIELDS = ['instrumentId', 'status', 'previousStatus', 'start', 'end', 'previousStart', 'previousEnd'] as const;

/**
 * The `data` one institution's subscription receives. Person-level details (the booking id, the booker's and the
 * actor's user ids, the note) go only to the booker's own institution; any other institution concerned (the lab's)
 * gets the instrument, the span and the status change. An allow-list, so a field added to booking events later
 * reaches only the booker's institution until someone decides otherwise. Pure: the fan-out knows both institutions.
 */
export function webhookPayloadFor(
  event: WebhookEventJob,
  institutions: { subscriber: number; booker: number | null },
): Record<string, unknown> {
  if (event.type === WEBHOOK_TEST_EVENT) return event.data; // only the subscription's id, which its owner knows
  if (institutions.booker !== null && institutions.subscriber === institutions.booker) return event.data;
  const data: Record<string, unknown> = {};
  for (const field of SPAN_AND_STATUS_FIELDS) if (event.data[field] !== undefined) data[field] = event.data[field];
  return data;
}

interface SubscriptionConcerned {
  id: number;
  institutionId: number;
  bookerInstitutionId: number | null;
}

/**
 * Active subscriptions of the institutions concerned (the booker's and the lab's) that want this event type, with
 * the booker's institution: one statement, as every booking event runs it (event_types is JSON text, null for every type).
 */
async function subscriptionsConcerned(data: Record<string, unknown>, type: string): Promise<SubscriptionConcerned[]> {
  const instrumentId = Number(data.instrumentId);
  const userId = Number(data.userId);
  if (!instrumentId || !userId) return [];
  const rows = await rawQuery<{ id: number; institution_id: number; booker_institution_id: number | null; event_types: string | string[] | null }[]>(
    WebhookSubscription.sequelize!,
    `SELECT s.id, s.institution_id, booker.institution_id AS booker_institution_id, s.event_types
       FROM webhook_subscriptions s LEFT JOIN users booker ON booker.id = ?
      WHERE s.active = 1 AND s.institution_id IN (
        SELECT l.institution_id FROM instruments i JOIN labs l ON l.id = i.lab_id WHERE i.id = ?
        UNION SELECT institution_id FROM users WHERE id = ?)
      ORDER BY s.id`,
    [userId, instrumentId, userId],
  );
  return rows
    .map((r) => ({
      id: r.id, institutionId: r.institution_id, bookerInstitutionId: r.booker_institution_id,
      eventTypes: typeof r.event_types === 'string' ? (JSON.parse(r.event_types) as string[] | null) : r.event_types,
    }))
    .filter((s) => s.eventTypes == null || s.eventTypes.includes(type));
}

/** An admin's test event targets the one subscription it names, whatever event types it asked for. */
async function testedSubscription(data: Record<string, unknown>): Promise<SubscriptionConcerned[]> {
  const subscription = await WebhookSubscription.findByPk(Number(data.subscriptionId), { attributes: ['id', 'institutionId', 'active'], raw: true });
  return subscription?.active ? [{ id: subscription.id, institutionId: subscription.institutionId, bookerInstitutionId: null }] : [];
}

async function fanOut(job: Job<WebhookEventJob>, deps: JobDeps): Promise<string> {
  const subscriptions = job.data.type === WEBHOOK_TEST_EVENT
    ? await testedSubscription(job.data.data)
    : await subscriptionsConcerned(job.data.data, job.data.type);
  if (!subscriptions.length) return '0 deliveries';
  // jobIds from (event, subscription): a fan-out that runs twice adds nothing new. Each delivery job holds only what
  // its institution may read, so person-level details never sit in another institution's job either.
  await deps.queues.webhooks.addBulk(
    subscriptions.map((s) => ({
      name: 'deliver',
      data: {
        ...job.data, data: webhookPayloadFor(job.data, { subscriber: s.institutionId, booker: s.bookerInstitutionId }), subscriptionId: s.id,
      } satisfies WebhookDeliveryJob,
      opts: {
        jobId: `${job.data.eventId}.${s.id}`,
        attempts: deps.settings.webhookAttempts,
        backoff: { type: 'exponential', delay: deps.settings.webhookBackoffMs },
      },
    })),
  );
  return `${subscriptions.length} deliveries`;
}

async function deliver(job: Job<WebhookDeliveryJob>, deps: JobDeps): Promise<string> {
  const subscription = await WebhookSubscription.findByPk(job.data.subscriptionId, { raw: true });
  if (!subscription || !subscription.active) return 'subscription removed or inactive';
  const claim = await claimDelivery({
    eventKey: job.data.eventId, channel: 'WEBHOOK', recipient: subscription.url, recipientIdentity: `subscription:${subscription.id}`,
  });
  if (!claim) return 'already delivered';
  const body = webhookBody(job.data);
  const timestamp = Math.floor(deps.clock.now().toSeconds());
  try {
    const status = await postWebhook(subscription.url, {
      timeoutMs: deps.settings.webhookTimeoutMs,
      allowPrivateTargets: deps.settings.webhookAllowPrivateTargets,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'LabShare-Webhooks/1',
        'x-labshare-event': job.data.type,
        // Stable across attempts: a receiver that saw this delivery id already can drop the duplicate.
        [DELIVERY_HEADER]: `${job.data.eventId}.${subscription.id}`,
        'idempotency-key': `${job.data.eventId}.${subscription.id}`,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(subscription.secret, timestamp, body),
      },
      body,
    });
    if (status < 200 || status >= 300) throw new Error(`${subscription.url} answered HTTP ${status}`);
  } catch (error) {
    // A refused address is not retried: no attempt would be allowed to connect either.
    const refused = error instanceof WebhookTargetRefused;
    const final = refused || isFinalAttempt(job);
    await markFailed(claim.id, (error as Error).message, final);
    if (final) deps.logger.warn({ url: subscription.url, eventId: job.data.eventId, attempts: claim.attempts, refused }, 'webhook delivery failed for good');
    throw refused ? new UnrecoverableError((error as Error).message) : error;
  }
  await markSent(claim.id);
  return 'delivered';
}

export async function processWebhook(job: Job<WebhookEventJob | WebhookDeliveryJob>, deps: JobDeps): Promise<string> {
  return job.name === 'deliver' ? deliver(job as Job<WebhookDeliveryJob>, deps) : fanOut(job as Job<WebhookEventJob>, deps);
}

/** Every event fans out to the webhook subscriptions that want it. */
export const webhooks: JobKind = {
  queue: 'webhooks',
  applicableEvents: '*',
  plan: (event) => {
    const data: WebhookEventJob = { eventId: event.eventId, type: event.type, occurredAt: event.createdAt.toISOString(), data: event.payload };
    return [{ queue: 'webhooks', name: 'fan-out', data, opts: { jobId: event.eventId } }];
  },
  process: processWebhook,
};
