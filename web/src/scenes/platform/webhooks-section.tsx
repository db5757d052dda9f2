// Webhook subscriptions of an institution (create: the signing secret is shown once; pause, resume, delete) and
// the delivery log of every subscription with attempts, failures and retries still due. "Send test event" delivers one
// signed webhook.test event to that subscription only; the log is polled until its delivery is SENT or FAILED.
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT, type MessageId } from '../../i18n';
import { dateTimeOf, parse } from '../../time';
import { useViewer } from '../../viewer';

const WebhooksQuery = graphql(`
  query Webhooks($institutionId: ID!) {
    webhookSubscriptions(institutionId: $institutionId, first: 100) {
      nodes {
        id
        url
        eventTypes
        active
        createdAt
      }
    }
    webhookDeliveries(first: 50) {
      nodes {
        id
        eventKey
        url
        status
        attempts
        lastError
        createdAt
        sentAt
      }
    }
  }
`);

const CreateWebhook = graphql(`
  mutation CreateWebhook($input: CreateWebhookSubscriptionInput!) {
    createWebhookSubscription(input: $input) {
      secret
      subscription {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const UpdateWebhook = graphql(`
  mutation UpdateWebhook($input: UpdateWebhookSubscriptionInput!) {
    updateWebhookSubscription(input: $input) {
      subscription {
        id
        active
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const DeleteWebhook = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhookSubscription(id: $id) {
      deleted
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const SendTestEvent = graphql(`
  mutation SendWebhookTestEvent($subscriptionId: ID!) {
    sendWebhookTestEvent(subscriptionId: $subscriptionId) {
      eventId
      errors {
        ...UserErrorFields
      }
    }
  }
`);

/** How often and how long the log is re-read after a test event: long enough for the first retries. */
const TEST_POLL_MS = 1000;
const TEST_POLL_LIMIT = 60;

export function WebhooksSection({ institutionId }: { institutionId: string }) {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const [{ data }, refetch] = useQuery({ query: WebhooksQuery, variables: { institutionId }, requestPolicy: 'network-only' });
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, create] = useMutation(CreateWebhook);
  const [, update] = useMutation(UpdateWebhook);
  const [, remove] = useMutation(DeleteWebhook);
  const [, sendTest] = useMutation(SendTestEvent);
  const [testEventId, setTestEventId] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const testDelivery = testEventId ? data?.webhookDeliveries.nodes.find((d) => d.eventKey === testEventId) : undefined;
  const testSettled = testDelivery?.status === 'SENT' || testDelivery?.status === 'FAILED';
  useEffect(() => {
    if (!testEventId || testSettled) return;
    let polls = 0;
    const timer = setInterval(() => {
      if (++polls > TEST_POLL_LIMIT) clearInterval(timer);
      else refetch({ requestPolicy: 'network-only' });
    }, TEST_POLL_MS);
    return () => clearInterval(timer);
  }, [testEventId, testSettled, refetch]);
  const urlRefused = errors.some((e) => e.field === 'url');
  const when = (iso: string | null | undefined) => (iso ? dateTimeOf(parse(iso, viewer.timeZone), language) : '—');

  return (
    <div>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const eventTypes = types.split(',').map((s) => s.trim()).filter(Boolean);
          const answer = (await create({ input: { institutionId, url: url.trim(), eventTypes: eventTypes.length ? eventTypes : null } })).data?.createWebhookSubscription;
          setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          if (answer?.secret) {
            setSecret(answer.secret);
            setUrl('');
            reload();
          }
        }}
      >
        <div className="field">
          <label htmlFor="hook-url">{t('platform.hooks.url')}</label>
          <input id="hook-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} required aria-describedby="hook-url-errors" />
          {urlRefused && (
            <p className="field-errors" id="hook-url-errors">
              {t('platform.hooks.urlRefused')}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="hook-types">{t('platform.hooks.types')}</label>
          <input id="hook-types" value={types} onChange={(e) => setTypes(e.target.value)} placeholder="booking.confirmed, booking.cancelled" />
        </div>
        <button type="submit" className="primary">
          {t('platform.hooks.create')}
        </button>
      </form>
      <div role="status">
        {secret && (
          <div className="once">
            <p className="strong">{t('platform.hooks.once')}</p>
            <code id="new-secret">{secret}</code>
          </div>
        )}
      </div>
      <div role="status" id="test-event-result">
        {testEventId && (
          <p>
            {t('platform.hooks.testSent', { id: testEventId })}{' '}
            {t(testDelivery ? (`delivery.${testDelivery.status}` as MessageId) : 'delivery.PENDING')}
          </p>
        )}
      </div>
      <div role="alert">
        <FieldErrors errors={errors.filter((e) => e.field !== 'url')} />
      </div>
      <ul className="plain-list" id="hooks-list">
        {data?.webhookSubscriptions.nodes.map((s) => (
          <li key={s.id}>
            <code>{s.url}</code> · {s.eventTypes?.join(', ') ?? t('platform.hooks.allTypes')} · {s.active ? t('platform.hooks.active') : t('platform.hooks.paused')}{' '}
            <button
              type="button"
              className="link-button"
              onClick={async () => {
                const answer = (await update({ input: { id: s.id, active: !s.active } })).data?.updateWebhookSubscription;
                setErrors(answer?.errors ?? []);
                reload();
              }}
            >
              {s.active ? t('platform.hooks.pause') : t('platform.hooks.resume')}
            </button>{' '}
            {s.active && (
              <>
                <button
                  type="button"
                  className="link-button"
                  onClick={async () => {
                    const answer = (await sendTest({ subscriptionId: s.id })).data?.sendWebhookTestEvent;
                    setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
                    setTestEventId(answer?.eventId ?? null);
                    reload();
                  }}
                >
                  {t('platform.hooks.test')}
                </button>{' '}
              </>
            )}
            <button
              type="button"
              className="link-button"
              onClick={async () => {
                const answer = (await remove({ id: s.id })).data?.deleteWebhookSubscription;
                setErrors(answer?.errors ?? []);
                reload();
              }}
            >
              {t('platform.hooks.delete')}
            </button>
          </li>
        ))}
      </ul>
      <h3>{t('platform.hooks.log')}</h3>
      <div className="table-scroll">
        <table className="figures" id="deliveries-table">
          <thead>
            <tr>
              <th scope="col">{t('platform.hooks.event')}</th>
              <th scope="col">{t('platform.hooks.url')}</th>
              <th scope="col">{t('platform.hooks.status')}</th>
              <th scope="col">{t('platform.hooks.attempts')}</th>
              <th scope="col">{t('platform.hooks.lastError')}</th>
              <th scope="col">{t('platform.hooks.sentAt')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.webhookDeliveries.nodes.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.eventKey}</code>
                  <div className="muted">{when(d.createdAt)}</div>
                </td>
                <td>{d.url}</td>
                <td>{t(`delivery.${d.status}` as MessageId)}</td>
                <td>{d.attempts}</td>
                <td>{d.lastError ?? ''}</td>
                <td>{when(d.sentAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
