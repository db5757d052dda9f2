// An institution's identity providers (OpenID Connect sign-in): list, add, enable or disable, replace the client
// secret, delete. The secret is write-only: the API never returns it, so this page only ever sends one.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { UserErrorFieldsFragment } from '../../gql/graphql';
import { useT } from '../../i18n';

const ProvidersQuery = graphql(`
  query IdentityProviders($institutionId: ID) {
    identityProviders(institutionId: $institutionId) {
      id
      issuer
      clientId
      emailDomains
      enabled
    }
  }
`);

const CreateProvider = graphql(`
  mutation CreateIdentityProvider($input: CreateIdentityProviderInput!) {
    createIdentityProvider(input: $input) {
      identityProvider {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const UpdateProvider = graphql(`
  mutation UpdateIdentityProvider($input: UpdateIdentityProviderInput!) {
    updateIdentityProvider(input: $input) {
      identityProvider {
        id
        enabled
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const DeleteProvider = graphql(`
  mutation DeleteIdentityProvider($id: ID!) {
    deleteIdentityProvider(id: $id) {
      deleted
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const domainsOf = (text: string) => text.split(',').map((d) => d.trim()).filter(Boolean);

export function IdentityProvidersSection({ institutionId }: { institutionId: string }) {
  const t = useT();
  const [{ data }, refetch] = useQuery({ query: ProvidersQuery, variables: { institutionId }, requestPolicy: 'network-only' });
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [domains, setDomains] = useState('');
  const [newSecrets, setNewSecrets] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [saved, setSaved] = useState(false);
  const [, create] = useMutation(CreateProvider);
  const [, update] = useMutation(UpdateProvider);
  const [, remove] = useMutation(DeleteProvider);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const { of, rest } = byField(errors, ['issuer', 'clientId', 'clientSecret', 'emailDomains']);
  const settle = (answer: { errors: UserErrorFieldsFragment[] } | undefined) => {
    setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
    const ok = Boolean(answer && answer.errors.length === 0);
    setSaved(ok);
    if (ok) reload();
    return ok;
  };

  return (
    <div>
      <ul className="plain-list" id="providers-list">
        {data?.identityProviders.map((p) => (
          <li key={p.id} data-provider-id={p.id}>
            <code>{p.issuer}</code> · {t('platform.idp.client', { id: p.clientId })} · {p.emailDomains.join(', ')} ·{' '}
            {p.enabled ? t('platform.hooks.active') : t('platform.hooks.paused')} · <span className="muted">{t('platform.idp.secretHidden')}</span>
            <div className="inline-form">
              <div className="field">
                <label htmlFor={`secret-${p.id}`}>{t('platform.idp.newSecret')}</label>
                <input
                  id={`secret-${p.id}`}
                  type="password"
                  autoComplete="new-password"
                  value={newSecrets[p.id] ?? ''}
                  onChange={(e) => setNewSecrets({ ...newSecrets, [p.id]: e.target.value })}
                />
              </div>
              <button
                type="button"
                disabled={!newSecrets[p.id]}
                onClick={async () => {
                  setSaved(false);
                  if (settle((await update({ input: { id: p.id, clientSecret: newSecrets[p.id] } })).data?.updateIdentityProvider)) setNewSecrets({ ...newSecrets, [p.id]: '' });
                }}
              >
                {t('platform.idp.replaceSecret')}
              </button>
              <button type="button" onClick={async () => settle((await update({ input: { id: p.id, enabled: !p.enabled } })).data?.updateIdentityProvider)}>
                {p.enabled ? t('platform.idp.disable') : t('platform.idp.enable')}
              </button>
              <button type="button" className="danger" onClick={async () => settle((await remove({ id: p.id })).data?.deleteIdentityProvider)}>
                {t('platform.hooks.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <form
        className="stack-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = (await create({ input: { institutionId, issuer: issuer.trim(), clientId: clientId.trim(), clientSecret: secret, emailDomains: domainsOf(domains) } })).data
            ?.createIdentityProvider;
          if (settle(answer)) {
            setIssuer('');
            setClientId('');
            setSecret('');
            setDomains('');
          }
        }}
      >
        <h3>{t('platform.idp.add')}</h3>
        <div className="field">
          <label htmlFor="idp-issuer">{t('platform.idp.issuer')}</label>
          <input id="idp-issuer" type="url" value={issuer} onChange={(e) => setIssuer(e.target.value)} required />
          <FieldErrors errors={of('issuer')} />
        </div>
        <div className="field">
          <label htmlFor="idp-client">{t('platform.idp.clientId')}</label>
          <input id="idp-client" value={clientId} onChange={(e) => setClientId(e.target.value)} required />
          <FieldErrors errors={of('clientId')} />
        </div>
        <div className="field">
          <label htmlFor="idp-secret">{t('platform.idp.secret')}</label>
          <input id="idp-secret" type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} required />
          <FieldErrors errors={of('clientSecret')} />
        </div>
        <div className="field">
          <label htmlFor="idp-domains">{t('platform.idp.domains')}</label>
          <input id="idp-domains" value={domains} onChange={(e) => setDomains(e.target.value)} required />
          <FieldErrors errors={of('emailDomains')} />
        </div>
        <button type="submit" className="primary">
          {t('platform.idp.create')}
        </button>
      </form>
      <div role="status">{saved && <p>{t('settings.saved')}</p>}</div>
      <div role="alert">
        <FieldErrors errors={rest} />
      </div>
    </div>
  );
}
