// Partner API keys of an institution: create (the key is shown this once; only its hash is stored), the list with
// each key's last use, and revoke.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n';
import { dateTimeOf, parse } from '../../time';
import { useViewer } from '../../viewer';

const ApiKeysQuery = graphql(`
  query ApiKeys($institutionId: ID) {
    apiKeys(institutionId: $institutionId, first: 100) {
      nodes {
        id
        name
        keyPrefix
        scopes
        createdAt
        lastUsedAt
        revokedAt
        institution {
          id
          name
        }
      }
    }
  }
`);

const CreateApiKey = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
      apiKey {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const RevokeApiKey = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      apiKey {
        id
        revokedAt
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export function ApiKeysSection({ institutionId }: { institutionId: string }) {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const [{ data }, refetch] = useQuery({ query: ApiKeysQuery, variables: { institutionId }, requestPolicy: 'network-only' });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, create] = useMutation(CreateApiKey);
  const [, revoke] = useMutation(RevokeApiKey);
  const when = (iso: string | null | undefined) => (iso ? dateTimeOf(parse(iso, viewer.timeZone), language) : t('platform.never'));
  const reload = () => refetch({ requestPolicy: 'network-only' });

  return (
    <div>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = (await create({ input: { institutionId, name: name.trim(), scopes: ['availability:read'] } })).data?.createApiKey;
          setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          if (answer?.key) {
            setCreated(answer.key);
            setName('');
            reload();
          }
        }}
      >
        <div className="field">
          <label htmlFor="key-name">{t('platform.keys.name')}</label>
          <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </div>
        <button type="submit" className="primary">
          {t('platform.keys.create')}
        </button>
      </form>
      <div role="status">
        {created && (
          <div className="once">
            <p className="strong">{t('platform.keys.once')}</p>
            <code id="new-key">{created}</code>
          </div>
        )}
      </div>
      <div role="alert">
        <FieldErrors errors={errors} />
      </div>
      <div className="table-scroll">
        <table className="figures" id="keys-table">
          <thead>
            <tr>
              <th scope="col">{t('platform.keys.name')}</th>
              <th scope="col">{t('platform.keys.prefix')}</th>
              <th scope="col">{t('platform.keys.scopes')}</th>
              <th scope="col">{t('platform.keys.created')}</th>
              <th scope="col">{t('platform.keys.lastUsed')}</th>
              <th scope="col">{t('platform.keys.state')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.apiKeys.nodes.map((k) => (
              <tr key={k.id} data-key-id={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.keyPrefix}…</code>
                </td>
                <td>{k.scopes.join(', ')}</td>
                <td>{when(k.createdAt)}</td>
                <td className="last-used">{when(k.lastUsedAt)}</td>
                <td>
                  {k.revokedAt ? (
                    t('platform.keys.revokedAt', { time: when(k.revokedAt) })
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      onClick={async () => {
                        const answer = (await revoke({ id: k.id })).data?.revokeApiKey;
                        setErrors(answer?.errors ?? []);
                        reload();
                      }}
                    >
                      {t('platform.keys.revoke', { name: k.name })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
