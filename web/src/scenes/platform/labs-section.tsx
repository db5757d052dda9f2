// An institution's labs: admins add one and edit its name, country and zone, and choose its managers by e-mail.
// Hours, holidays and closures are the managers' own settings (lab-settings page).
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { UserErrorFieldsFragment } from '../../gql/graphql';
import { useT } from '../../i18n';

const InstitutionLabs = graphql(`
  query PlatformInstitutionLabs {
    labs(first: 100) {
      nodes {
        id
        name
        countryCode
        timeZone
        institution {
          id
        }
      }
    }
  }
`);

const LabManagers = graphql(`
  query PlatformLabManagers($id: ID!) {
    lab(id: $id) {
      id
      managers {
        id
        name
        email
      }
    }
  }
`);

const CreateLab = graphql(`
  mutation CreateLab($input: CreateLabInput!) {
    createLab(input: $input) {
      lab {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const UpdateLab = graphql(`
  mutation UpdateLab($input: UpdateLabInput!) {
    updateLab(input: $input) {
      lab {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const AddLabManager = graphql(`
  mutation AddLabManager($labId: ID!, $email: String!) {
    addLabManager(labId: $labId, email: $email) {
      user {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const RemoveLabManager = graphql(`
  mutation RemoveLabManager($labId: ID!, $userId: ID!) {
    removeLabManager(labId: $labId, userId: $userId) {
      user {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

interface Draft {
  name: string;
  countryCode: string;
  timeZone: string;
}

function Managers({ labId, labName }: { labId: string; labName: string }) {
  const t = useT();
  const [{ data }, refetch] = useQuery({ query: LabManagers, variables: { id: labId }, requestPolicy: 'network-only' });
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, add] = useMutation(AddLabManager);
  const [, remove] = useMutation(RemoveLabManager);
  const { of, rest } = byField(errors, ['email']);
  return (
    <div>
      <h3 id="managers-heading">{t('platform.labs.managersOf', { name: labName })}</h3>
      <ul className="plain-list" id="managers-list" aria-labelledby="managers-heading">
        {data?.lab?.managers?.length === 0 && <li className="muted">{t('platform.labs.noManagers')}</li>}
        {data?.lab?.managers?.map((m) => (
          <li key={m.id}>
            {m.name} · {m.email}{' '}
            <button
              type="button"
              className="link-button"
              aria-label={t('platform.labs.removeNamed', { name: m.name })}
              onClick={async () => {
                const answer = (await remove({ labId, userId: m.id })).data?.removeLabManager;
                setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
                refetch({ requestPolicy: 'network-only' });
              }}
            >
              {t('platform.labs.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        aria-label={t('platform.labs.addManager')}
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = (await add({ labId, email })).data?.addLabManager;
          setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          if (answer?.user) {
            setEmail('');
            refetch({ requestPolicy: 'network-only' });
          }
        }}
      >
        <div className="field">
          <label htmlFor="manager-email">{t('platform.labs.managerEmail')}</label>
          <input id="manager-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby="manager-email-errors" />
          {/* NOT_FOUND's general wording ("no longer exists") would mislead here: nobody has this e-mail. */}
          {of('email').some((e) => e.code === 'NOT_FOUND') ? (
            <ul className="field-errors" id="manager-email-errors">
              <li>{t('platform.labs.noSuchUser')}</li>
            </ul>
          ) : (
            <FieldErrors errors={of('email')} id="manager-email-errors" />
          )}
        </div>
        <button type="submit" className="primary">
          {t('platform.labs.addManager')}
        </button>
      </form>
      <div role="alert">
        <FieldErrors errors={rest} />
      </div>
    </div>
  );
}

export function LabsSection({ institutionId }: { institutionId: string }) {
  const t = useT();
  const [{ data }, refetch] = useQuery({ query: InstitutionLabs, requestPolicy: 'network-only' });
  const labs = (data?.labs.nodes ?? []).filter((l) => l.institution.id === institutionId);
  const [chosen, setChosen] = useState('');
  const lab = labs.find((l) => l.id === chosen) ?? labs[0];
  const [editing, setEditing] = useState<string | null>(null);
  const empty: Draft = { name: '', countryCode: '', timeZone: '' };
  const [draft, setDraft] = useState<Draft>(empty);
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, create] = useMutation(CreateLab);
  const [, update] = useMutation(UpdateLab);
  const { of, rest } = byField(errors, ['name', 'countryCode', 'timeZone', 'institutionId']);
  const set = (key: keyof Draft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const field = (key: keyof Draft, label: string) => (
    <div className="field">
      <label htmlFor={`lab-${key}`}>{label}</label>
      <input id={`lab-${key}`} value={draft[key]} onChange={(e) => set(key, e.target.value)} aria-describedby={`lab-${key}-errors`} />
      <FieldErrors errors={of(key)} id={`lab-${key}-errors`} />
    </div>
  );

  return (
    <div>
      {labs.length === 0 ? (
        <p className="muted">{t('platform.instruments.noLabs')}</p>
      ) : (
        <ul className="plain-list" id="labs-list">
          {labs.map((l) => (
            <li key={l.id}>
              {l.name} · {l.countryCode} · {l.timeZone}{' '}
              <button
                type="button"
                className="link-button"
                aria-label={t('platform.instruments.editNamed', { name: l.name })}
                onClick={() => {
                  setEditing(l.id);
                  setDraft({ name: l.name, countryCode: l.countryCode, timeZone: l.timeZone });
                  setErrors([]);
                }}
              >
                {t('platform.instruments.edit')}
              </button>{' '}
              <button type="button" className="link-button" aria-label={t('platform.labs.managersOf', { name: l.name })} onClick={() => setChosen(l.id)}>
                {t('platform.labs.managers')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        aria-labelledby="lab-form-heading"
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = editing
            ? (await update({ input: { id: editing, ...draft } })).data?.updateLab
            : (await create({ input: { institutionId, ...draft } })).data?.createLab;
          setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          if (answer?.lab) {
            setEditing(null);
            setDraft(empty);
            if (!editing) setChosen(answer.lab.id);
            refetch({ requestPolicy: 'network-only' });
          }
        }}
      >
        <h3 id="lab-form-heading">{editing ? t('platform.labs.editTitle') : t('platform.labs.addTitle')}</h3>
        {field('name', t('platform.labs.name'))}
        {field('countryCode', t('platform.labs.countryCode'))}
        {field('timeZone', t('platform.labs.timeZone'))}
        <button type="submit" className="primary">
          {editing ? t('platform.instruments.save') : t('platform.labs.add')}
        </button>
        {editing && (
          <button type="button" className="link-button" onClick={() => { setEditing(null); setDraft(empty); setErrors([]); }}>
            {t('platform.instruments.cancel')}
          </button>
        )}
      </form>
      <div role="alert">
        <FieldErrors errors={rest} />
      </div>
      {lab && <Managers labId={lab.id} labName={lab.name} key={lab.id} />}
    </div>
  );
}
