// Webhook subscriptions: per institution, managed by platform admins. The signing secret is generated here and
// shown once; deliveries (jobs/webhooks.ts) sign each body with it.
import { badInput, notFound } from '../errors';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { Op } from 'sequelize';
import { recordEvent } from '../events/outbox';
import { BOOKING_EVENT_TYPES, WEBHOOK_TEST_EVENT } from '../events/types';
import { config } from '../config';
import { rawQuery } from '../db/raw';
import { runTransaction } from '../db/transaction';
import { addressesRefusal, bareHost, hostTextRefusal, resolveAll, type ResolveAll } from '../security/webhook-targets';
import { Institution, WebhookSubscription } from '../db/models';
import type { WebhookSubscriptionRow } from '../db/rows';
import { requireAdmin } from './policies';
import { jsonStringArray, type AccessUserError, type IdPage } from './user-errors';
import type { Viewer } from './viewer';

export interface WebhookUrlPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS (tests, local receivers): http, and loopback or private addresses, are allowed. */
  allowPrivateTargets: boolean;
  /** Name resolution; tests give a fixed table. */
  resolve?: ResolveAll;
}

// Secure whatever NODE_ENV says: only the explicit setting lifts the address filter.
const defaultPolicy = (): WebhookUrlPolicy => ({ allowPrivateTargets: config().WEBHOOK_ALLOW_PRIVATE_TARGETS });

/** Registration only tells an admin early; the delivery checks the address again when it connects (src/security/webhook-targets.ts). */
const REGISTRATION_LOOKUP_MS = 3000;

async function resolvedAddressRefusal(hostname: string, resolve: ResolveAll): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((done) => (timer = setTimeout(() => done(null), REGISTRATION_LOOKUP_MS)));
  try {
    // A name that does not resolve (yet) is accepted: deliveries check what it resolves to then.
    const addresses = await Promise.race([resolve(bareHost(hostname)).catch(() => null), timeout]);
    return addresses ? addressesRefusal(hostname, addresses) : null;
  } finally {
    clearTimeout(timer);
  }
}

export async function webhookUrlError(url: string, policy: WebhookUrlPolicy): Promise<AccessUserError | null> {
  const bad = (reason: string, params = {}): AccessUserError => badInput('url', reason, params);
  if (url.length > 2000) return bad('URL_TOO_LONG', { max: 2000 });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return bad('URL_NOT_ABSOLUTE');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && policy.allowPrivateTargets)) return bad('URL_NOT_HTTPS');
  if (parsed.username || parsed.password) return bad('URL_CREDENTIALS');
  if (policy.allowPrivateTargets) return null;
  const refusal = hostTextRefusal(parsed.hostname) ?? (isIP(bareHost(parsed.hostname)) ? null : await resolvedAddressRefusal(parsed.hostname, policy.resolve ?? resolveAll));
  return refusal ? bad('URL_PRIVATE', { refusal }) : null;
}

function eventTypesError(eventTypes: string[]): AccessUserError | null {
  if (eventTypes.length === 0) return badInput('eventTypes', 'NO_EVENT_TYPES');
  const unknown = eventTypes.find((t) => !(BOOKING_EVENT_TYPES as readonly string[]).includes(t));
  return unknown === undefined
    ? null
    : badInput('eventTypes', 'UNKNOWN_EVENT_TYPE', { value: unknown, known: BOOKING_EVENT_TYPES });
}

export function subscriptionRow(row: WebhookSubscriptionRow): WebhookSubscriptionRow {
  return { ...row, eventTypes: jsonStringArray(row.eventTypes), active: Boolean(row.active) };
}

export interface SubscriptionResult {
  subscription: WebhookSubscriptionRow | null;
  /** Only on creation. */
  secret?: string | null;
  errors: AccessUserError[];
}

export async function createWebhookSubscription(
  viewer: Viewer,
  input: { institutionId: number; url: string; eventTypes?: string[] },
  policy: WebhookUrlPolicy = defaultPolicy(),
): Promise<SubscriptionResult> {
  requireAdmin(viewer);
  const url = input.url.trim();
  const errors = [await webhookUrlError(url, policy), input.eventTypes ? eventTypesError(input.eventTypes) : null].filter((e) => e !== null);
  if (errors.length) return { subscription: null, secret: null, errors };
  return runTransaction(WebhookSubscription.sequelize!, { kind: 'models' }, async (transaction) => {
    if (!(await Institution.findByPk(input.institutionId, { attributes: ['id'], raw: true, transaction }))) {
      return { subscription: null, secret: null, errors: [notFound('institutionId', 'institution')] };
    }
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const created = await WebhookSubscription.create(
      { institutionId: input.institutionId, url, secret, eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : null, active: true },
      { transaction },
    );
    return { subscription: subscriptionRow(created.get({ plain: true })), secret, errors: [] };
  });
}

export async function updateWebhookSubscription(
  viewer: Viewer,
  input: { id: number; url?: string; eventTypes?: string[]; allEventTypes?: boolean; active?: boolean },
  policy: WebhookUrlPolicy = defaultPolicy(),
): Promise<SubscriptionResult> {
  requireAdmin(viewer);
  const changes: Partial<WebhookSubscriptionRow> = {};
  const errors: AccessUserError[] = [];
  if (input.url !== undefined) {
    const problem = await webhookUrlError(input.url.trim(), policy);
    if (problem) errors.push(problem);
    else changes.url = input.url.trim();
  }
  if (input.eventTypes !== undefined && input.allEventTypes) {
    errors.push(badInput('allEventTypes', 'EVENT_TYPES_AND_ALL'));
  } else if (input.eventTypes !== undefined) {
    const problem = eventTypesError(input.eventTypes);
    if (problem) errors.push(problem);
    else changes.eventTypes = [...new Set(input.eventTypes)];
  } else if (input.allEventTypes) {
    changes.eventTypes = null;
  }
  if (input.active !== undefined) changes.active = input.active;
  if (errors.length) return { subscription: null, errors };
  return runTransaction(WebhookSubscription.sequelize!, { kind: 'models' }, async (transaction) => {
    const existing = await WebhookSubscription.findByPk(input.id, { raw: true, transaction, lock: transaction.LOCK.UPDATE });
    if (!existing) return { subscription: null, errors: [notFound('id', 'webhookSubscription')] };
    if (Object.keys(changes).length) await WebhookSubscription.update(changes, { where: { id: input.id }, transaction });
    return { subscription: subscriptionRow({ ...existing, ...changes }), errors: [] };
  });
}

export async function deleteWebhookSubscription(viewer: Viewer, id: number): Promise<{ deleted: boolean; errors: AccessUserError[] }> {
  requireAdmin(viewer);
  const deleted = await WebhookSubscription.destroy({ where: { id } });
  return deleted ? { deleted: true, errors: [] } : { deleted: false, errors: [notFound('id', 'webhookSubscription')] };
}

/**
 * Sends one `webhook.test` event to this subscription only. It goes through the outbox like every event, so the
 * delivery is planned, signed, address-checked, retried and logged exactly as a real one (jobs/webhooks.ts).
 */
export async function sendWebhookTestEvent(viewer: Viewer, subscriptionId: number): Promise<{ eventId: string | null; errors: AccessUserError[] }> {
  requireAdmin(viewer);
  return runTransaction(WebhookSubscription.sequelize!, async (transaction) => {
    const [subscription] = await rawQuery<{ id: number; active: number }[]>(
      WebhookSubscription.sequelize!, 'SELECT id, active FROM webhook_subscriptions WHERE id = ?', [subscriptionId], { transaction },
    );
    if (!subscription) return { eventId: null, errors: [notFound('subscriptionId', 'webhookSubscription')] };
    // Deliveries skip inactive subscriptions; say so now rather than log an event nobody receives.
    if (!subscription.active) return { eventId: null, errors: [badInput('subscriptionId', 'SUBSCRIPTION_INACTIVE')] };
    const eventId = await recordEvent(
      { type: WEBHOOK_TEST_EVENT, aggregateType: 'webhook_subscription', aggregateId: subscriptionId, payload: { subscriptionId } },
      transaction,
    );
    return { eventId, errors: [] };
  });
}

export async function listWebhookSubscriptions(viewer: Viewer, institutionId: number, page: IdPage): Promise<WebhookSubscriptionRow[]> {
  requireAdmin(viewer);
  const rows = await WebhookSubscription.findAll({
    where: { institutionId, ...(page.afterId ? { id: { [Op.gt]: page.afterId } } : {}) },
    order: [['id', 'ASC']],
    limit: page.size + 1,
    raw: true,
  });
  return rows.map(subscriptionRow);
}
