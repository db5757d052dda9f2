// Who is qualified on an instrument, grant by e-mail and revoke. The API finds a person only if the access policy
// lets this manager see them (people linked to the lab); anyone else answers NOT_FOUND, said here in words.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n';
import { dateTimeOf, parse } from '../../time';
import { useViewer } from '../../viewer';

const QualificationsQuery = graphql(`
  query Qualifications($id: ID!) {
    instrumentQualifications(instrumentId: $id, first: 100) {
      nodes {
        grantedAt
        user {
          id
          name
          email
          institution {
            id
            name
          }
        }
        grantedBy {
          id
          name
        }
      }
    }
  }
`);

const Grant = graphql(`
  mutation GrantQualification($input: QualificationInput!) {
    grantQualification(input: $input) {
      qualification {
        grantedAt
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const Revoke = graphql(`
  mutation RevokeQualification($input: QualificationInput!) {
    revokeQualification(input: $input) {
      revoked
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export function Qualifications({ instrumentId }: { instrumentId: string }) {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const [{ data }, refetch] = useQuery({ query: QualificationsQuery, variables: { id: instrumentId } });
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, grant] = useMutation(Grant);
  const [, revoke] = useMutation(Revoke);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const unknownPerson = errors.some((e) => e.code === 'NOT_FOUND' && e.field === 'email');
  const id = `q${instrumentId}`;

  return (
    <div className="qualifications">
      {data && data.instrumentQualifications.nodes.length === 0 && <p className="muted">{t('settings.qualified.none')}</p>}
      <ul className="plain-list">
        {data?.instrumentQualifications.nodes.map((q) => (
          <li key={q.user.id}>
            {q.user.name} ({q.user.email}, {q.user.institution.name}) ·{' '}
            <span className="muted">{t('settings.qualified.since', { time: dateTimeOf(parse(q.grantedAt, viewer.timeZone), language), name: q.grantedBy?.name ?? '—' })}</span>{' '}
            <button
              type="button"
              className="link-button"
              onClick={async () => {
                const answer = (await revoke({ input: { instrumentId, userId: q.user.id } })).data?.revokeQualification;
                setErrors(answer?.errors ?? []);
                reload();
              }}
            >
              {t('settings.qualified.revoke', { name: q.user.name })}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = (await grant({ input: { instrumentId, email: email.trim() } })).data?.grantQualification;
          setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          if (answer && answer.errors.length === 0) {
            setEmail('');
            reload();
          }
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-email`}>{t('settings.qualified.email')}</label>
          <input id={`${id}-email`} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        <button type="submit">{t('settings.qualified.grant')}</button>
      </form>
      <div role="alert">
        {unknownPerson ? <p className="field-errors">{t('settings.qualified.unknown')}</p> : <FieldErrors errors={errors} />}
      </div>
    </div>
  );
}
