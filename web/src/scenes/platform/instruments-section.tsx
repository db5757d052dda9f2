// The instruments of an institution's labs: admins add one to a lab and edit what describes it (name, category,
// description, approval, access policy). Rules, hours and status are the lab managers' settings (lab-settings page).
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { AccessPolicy, UserErrorFieldsFragment } from '../../gql/graphql';
import { useT } from '../../i18n';

// Two queries, not labs with their instruments nested: a page of each nested in the other exceeds the query cost limit.
const PlatformLabs = graphql(`
  query PlatformLabs {
    labs(first: 100) {
      nodes {
        id
        name
        institution {
          id
        }
      }
    }
  }
`);

const LabInstruments = graphql(`
  query PlatformLabInstruments($labId: ID!) {
    instruments(filter: { labId: $labId }, first: 100) {
      nodes {
        id
        name
        category
        description
        requiresApproval
        accessPolicy
      }
    }
  }
`);

const CreateInstrument = graphql(`
  mutation CreateInstrument($input: CreateInstrumentInput!) {
    createInstrument(input: $input) {
      instrument {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const UpdateInstrument = graphql(`
  mutation UpdateInstrument($input: UpdateInstrumentInput!) {
    updateInstrument(input: $input) {
      instrument {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const POLICIES: AccessPolicy[] = ['OPEN' as AccessPolicy, 'MEMBERS' as AccessPolicy, 'QUALIFIED' as AccessPolicy];
const FIELDS = ['name', 'category', 'description', 'labId'];

interface Draft {
  name: string;
  category: string;
  description: string;
  requiresApproval: boolean;
  accessPolicy: AccessPolicy;
}
const EMPTY: Draft = { name: '', category: '', description: '', requiresApproval: false, accessPolicy: 'OPEN' as AccessPolicy };

export function InstrumentsSection({ institutionId }: { institutionId: string }) {
  const t = useT();
  const [{ data }] = useQuery({ query: PlatformLabs, requestPolicy: 'network-only' });
  const labs = (data?.labs.nodes ?? []).filter((l) => l.institution.id === institutionId);
  const [chosenLab, setChosenLab] = useState('');
  const labId = chosenLab || labs[0]?.id || '';
  const [{ data: listed }, refetch] = useQuery({ query: LabInstruments, variables: { labId }, pause: !labId, requestPolicy: 'network-only' });
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [saved, setSaved] = useState(false);
  const [, create] = useMutation(CreateInstrument);
  const [, update] = useMutation(UpdateInstrument);
  const { of, rest } = byField(errors, FIELDS);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  if (labs.length === 0) return <p className="muted">{t('platform.instruments.noLabs')}</p>;
  return (
    <div>
      <div className="field">
        <label htmlFor="instrument-lab">{t('platform.instruments.lab')}</label>
        <select id="instrument-lab" value={labId} onChange={(e) => { setChosenLab(e.target.value); setEditing(null); setDraft(EMPTY); setErrors([]); }}>
          {labs.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      <ul className="plain-list" id="instruments-list">
        {listed?.instruments.nodes.map((i) => (
          <li key={i.id}>
            {i.name} · {i.category} · {t(`platform.instruments.policy.${i.accessPolicy}`)}
            {i.requiresApproval ? ` · ${t('platform.instruments.approval')}` : ''}{' '}
            <button
              type="button"
              className="link-button"
              aria-label={t('platform.instruments.editNamed', { name: i.name })}
              onClick={() => {
                setEditing(i.id);
                setDraft({ name: i.name, category: i.category, description: i.description ?? '', requiresApproval: i.requiresApproval, accessPolicy: i.accessPolicy });
                setErrors([]);
                setSaved(false);
              }}
            >
              {t('platform.instruments.edit')}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        aria-labelledby="instrument-form-heading"
        onSubmit={async (e) => {
          e.preventDefault();
          const fields = { name: draft.name, category: draft.category, description: draft.description, requiresApproval: draft.requiresApproval, accessPolicy: draft.accessPolicy };
          const answer = editing
            ? (await update({ input: { id: editing, ...fields } })).data?.updateInstrument
            : (await create({ input: { labId, ...fields } })).data?.createInstrument;
          setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          if (answer?.instrument) {
            setSaved(true);
            setEditing(null);
            setDraft(EMPTY);
            refetch({ requestPolicy: 'network-only' });
          }
        }}
      >
        <h3 id="instrument-form-heading">{editing ? t('platform.instruments.editTitle') : t('platform.instruments.addTitle')}</h3>
        <div className="field">
          <label htmlFor="instrument-name">{t('platform.instruments.name')}</label>
          <input id="instrument-name" value={draft.name} onChange={(e) => set('name', e.target.value)} aria-describedby="instrument-name-errors" />
          <FieldErrors errors={of('name')} id="instrument-name-errors" />
        </div>
        <div className="field">
          <label htmlFor="instrument-category">{t('platform.instruments.category')}</label>
          <input id="instrument-category" value={draft.category} onChange={(e) => set('category', e.target.value)} aria-describedby="instrument-category-errors" />
          <FieldErrors errors={of('category')} id="instrument-category-errors" />
        </div>
        <div className="field">
          <label htmlFor="instrument-description">{t('platform.instruments.description')}</label>
          <textarea id="instrument-description" value={draft.description} onChange={(e) => set('description', e.target.value)} aria-describedby="instrument-description-errors" />
          <FieldErrors errors={of('description')} id="instrument-description-errors" />
        </div>
        <div className="field">
          <label htmlFor="instrument-policy">{t('platform.instruments.accessPolicy')}</label>
          <select id="instrument-policy" value={draft.accessPolicy} onChange={(e) => set('accessPolicy', e.target.value as AccessPolicy)}>
            {POLICIES.map((p) => (
              <option key={p} value={p}>
                {t(`platform.instruments.policy.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label>
            <input type="checkbox" checked={draft.requiresApproval} onChange={(e) => set('requiresApproval', e.target.checked)} /> {t('platform.instruments.approval')}
          </label>
        </div>
        <button type="submit" className="primary">
          {editing ? t('platform.instruments.save') : t('platform.instruments.add')}
        </button>
        {editing && (
          <button type="button" className="link-button" onClick={() => { setEditing(null); setDraft(EMPTY); setErrors([]); }}>
            {t('platform.instruments.cancel')}
          </button>
        )}
      </form>
      <div role="status">{saved && errors.length === 0 && <p>{t('platform.instruments.saved')}</p>}</div>
      <div role="alert">
        <FieldErrors errors={[...rest, ...of('labId')]} />
      </div>
    </div>
  );
}
