// Admins add an institution and edit the chosen one's name, country and zone; its labs, sign-in, keys and hooks
// have their own cards.
import { useState } from 'react';
import { useMutation } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { UserErrorFieldsFragment } from '../../gql/graphql';
import { useT } from '../../i18n';

const CreateInstitution = graphql(`
  mutation CreateInstitution($input: CreateInstitutionInput!) {
    createInstitution(input: $input) {
      institution {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const UpdateInstitution = graphql(`
  mutation UpdateInstitution($input: UpdateInstitutionInput!) {
    updateInstitution(input: $input) {
      institution {
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

/** `chosen` is the institution on show (edited in place); `onSaved` gets the id of the one created or edited. */
export function InstitutionsSection({ chosen, onSaved }: { chosen: (Draft & { id: string }) | undefined; onSaved: (id: string) => void }) {
  const t = useT();
  const empty: Draft = { name: '', countryCode: '', timeZone: '' };
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(empty);
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, create] = useMutation(CreateInstitution);
  const [, update] = useMutation(UpdateInstitution);
  const { of, rest } = byField(errors, ['name', 'countryCode', 'timeZone']);
  const field = (key: keyof Draft, label: string) => (
    <div className="field">
      <label htmlFor={`institution-${key}`}>{label}</label>
      <input id={`institution-${key}`} value={draft[key]} onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} aria-describedby={`institution-${key}-errors`} />
      <FieldErrors errors={of(key)} id={`institution-${key}-errors`} />
    </div>
  );
  return (
    <div>
      {chosen && !editing && (
        <button
          type="button"
          className="link-button"
          aria-label={t('platform.instruments.editNamed', { name: chosen.name })}
          onClick={() => { setEditing(true); setDraft({ name: chosen.name, countryCode: chosen.countryCode, timeZone: chosen.timeZone }); setErrors([]); }}
        >
          {t('platform.instruments.edit')}
        </button>
      )}
      <form
        className="inline-form"
        aria-labelledby="institution-form-heading"
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = editing && chosen
            ? (await update({ input: { id: chosen.id, ...draft } })).data?.updateInstitution
            : (await create({ input: draft })).data?.createInstitution;
          setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          if (answer?.institution) {
            setEditing(false);
            setDraft(empty);
            onSaved(answer.institution.id);
          }
        }}
      >
        <h3 id="institution-form-heading">{editing ? t('platform.institutions.editTitle') : t('platform.institutions.addTitle')}</h3>
        {field('name', t('platform.institutions.name'))}
        {field('countryCode', t('platform.labs.countryCode'))}
        {field('timeZone', t('platform.labs.timeZone'))}
        <button type="submit" className="primary">
          {editing ? t('platform.instruments.save') : t('platform.institutions.add')}
        </button>
        {editing && (
          <button type="button" className="link-button" onClick={() => { setEditing(false); setDraft(empty); setErrors([]); }}>
            {t('platform.instruments.cancel')}
          </button>
        )}
      </form>
      <div role="alert">
        <FieldErrors errors={rest} />
      </div>
    </div>
  );
}
