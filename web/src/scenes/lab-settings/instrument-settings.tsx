// One instrument's settings: booking rules with approval and who may book, status (showing first the bookings a closing status leaves in place),
// and its own weekly hours instead of the lab's.
import { DateTime } from 'luxon';
import { useState } from 'react';
import { useMutation } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { AccessPolicy, InstrumentSettingsFragment, InstrumentStatus, UserErrorFieldsFragment } from '../../gql/graphql';
import { useT, type MessageId } from '../../i18n';
import { AffectedBookings } from './affected-bookings';
import { OpeningHoursForm } from './opening-hours-form';
import { Qualifications } from './qualifications';

export const InstrumentSettingsFields = graphql(`
  fragment InstrumentSettings on Instrument {
    id
    name
    status
    requiresApproval
    accessPolicy
    hasOwnOpeningHours
    openingHours {
      weekday
      start
      end
    }
    rules {
      slotMinutes
      minMinutes
      maxMinutes
      minNoticeMinutes
      maxAdvanceDays
      bufferAfterMinutes
    }
  }
`);

const SetRules = graphql(`
  mutation SetBookingRules($input: SetBookingRulesInput!) {
    setBookingRules(input: $input) {
      instrument {
        ...InstrumentSettings
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const SetStatus = graphql(`
  mutation SetInstrumentStatus($input: SetInstrumentStatusInput!) {
    setInstrumentStatus(input: $input) {
      instrument {
        ...InstrumentSettings
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const RULES = ['slotMinutes', 'minMinutes', 'maxMinutes', 'minNoticeMinutes', 'maxAdvanceDays', 'bufferAfterMinutes'] as const;
type RuleName = (typeof RULES)[number];
const STATUSES: InstrumentStatus[] = ['AVAILABLE', 'MAINTENANCE', 'RETIRED'];
const POLICIES: AccessPolicy[] = ['OPEN', 'MEMBERS', 'QUALIFIED'] as AccessPolicy[];

export function InstrumentSettings({ instrument }: { instrument: InstrumentSettingsFragment }) {
  const t = useT();
  const [rules, setRules] = useState<Record<RuleName, string>>(() => Object.fromEntries(RULES.map((r) => [r, String(instrument.rules[r])])) as Record<RuleName, string>);
  const [requiresApproval, setRequiresApproval] = useState(instrument.requiresApproval);
  const [accessPolicy, setAccessPolicy] = useState<AccessPolicy>(instrument.accessPolicy);
  const [ruleErrors, setRuleErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [rulesSaved, setRulesSaved] = useState(false);
  const [status, setStatus] = useState<InstrumentStatus>(instrument.status);
  const [statusErrors, setStatusErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [statusSaved, setStatusSaved] = useState(false);
  const [, saveRules] = useMutation(SetRules);
  const [, saveStatus] = useMutation(SetStatus);
  const ruleFields = byField(ruleErrors, [...RULES, 'accessPolicy']);
  const id = (name: string) => `i${instrument.id}-${name}`;
  const [now] = useState(() => DateTime.now().toISO()!);
  // Qualifications are read when the instrument is opened, not for every instrument of the lab at once.
  const [open, setOpen] = useState(false);

  return (
    <details className="card instrument-settings" data-instrument-id={instrument.id} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h3 className="inline">{instrument.name}</h3> <span className="badge">{t(`instrumentStatus.${instrument.status}` as MessageId)}</span>
      </summary>
      <form
        className="rules-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const input = Object.fromEntries(RULES.map((r) => [r, Number(rules[r])]));
          const answer = (await saveRules({ input: { instrumentId: instrument.id, ...input, requiresApproval, accessPolicy } })).data?.setBookingRules;
          setRuleErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          setRulesSaved(Boolean(answer && answer.errors.length === 0));
        }}
      >
        <h4>{t('settings.rules.title')}</h4>
        <div className="rules-grid">
          {RULES.map((r) => (
            <div className="field" key={r}>
              <label htmlFor={id(r)}>{t(`settings.rules.${r}` as MessageId)}</label>
              <input id={id(r)} type="number" min={0} value={rules[r]} onChange={(e) => (setRulesSaved(false), setRules({ ...rules, [r]: e.target.value }))} />
              <FieldErrors errors={ruleFields.of(r)} />
            </div>
          ))}
        </div>
        <div className="field">
          <label>
            <input type="checkbox" checked={requiresApproval} onChange={(e) => (setRulesSaved(false), setRequiresApproval(e.target.checked))} />{' '}
            {t('settings.rules.requiresApproval')}
          </label>
        </div>
        <div className="field">
          <label htmlFor={id('accessPolicy')}>{t('settings.rules.accessPolicy')}</label>
          <select id={id('accessPolicy')} value={accessPolicy} onChange={(e) => (setRulesSaved(false), setAccessPolicy(e.target.value as AccessPolicy))}>
            {POLICIES.map((p) => (
              <option key={p} value={p}>
                {t(`platform.instruments.policy.${p}`)}
              </option>
            ))}
          </select>
          <FieldErrors errors={ruleFields.of('accessPolicy')} />
        </div>
        <button type="submit">{t('settings.rules.save')}</button>
        <div role="status">{rulesSaved && <p>{t('settings.saved')}</p>}</div>
        <div role="alert">
          <FieldErrors errors={ruleFields.rest} />
        </div>
      </form>
      <form
        className="stack-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = (await saveStatus({ input: { instrumentId: instrument.id, status } })).data?.setInstrumentStatus;
          setStatusErrors(answer?.errors ?? []);
          setStatusSaved(Boolean(answer && answer.errors.length === 0));
        }}
      >
        <h4>{t('settings.status.title')}</h4>
        <div className="field">
          <label htmlFor={id('status')}>{t('settings.status.label')}</label>
          <select id={id('status')} value={status} onChange={(e) => (setStatusSaved(false), setStatus(e.target.value as InstrumentStatus))}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`instrumentStatus.${s}` as MessageId)}
              </option>
            ))}
          </select>
        </div>
        {status !== 'AVAILABLE' && status !== instrument.status && (
          <>
            <p className="muted">{t('settings.status.keeps')}</p>
            <AffectedBookings span={{ instrumentId: instrument.id, from: now }} />
          </>
        )}
        <button type="submit">{t('settings.status.save')}</button>
        <div role="status">{statusSaved && <p>{t('settings.saved')}</p>}</div>
        <div role="alert">
          <FieldErrors errors={statusErrors} />
        </div>
      </form>
      <h4>{t('settings.qualified.title')}</h4>
      {open && <Qualifications instrumentId={instrument.id} />}
      <h4>{t('settings.ownHours.title')}</h4>
      <p className="muted">{instrument.hasOwnOpeningHours ? t('settings.ownHours.own') : t('settings.ownHours.lab')}</p>
      <OpeningHoursForm target={{ instrumentId: instrument.id, own: instrument.hasOwnOpeningHours }} windows={instrument.openingHours} idPrefix={id('hours')} />
    </details>
  );
}
