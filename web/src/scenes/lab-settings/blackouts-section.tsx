// Blackouts of the lab and its instruments: the coming ones with a remove button, and a form that first shows the
// bookings the new blackout would overlap, then adds it. Times are typed in the lab's zone.
import { DateTime } from 'luxon';
import { useState } from 'react';
import { useMutation } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { BlackoutKind, LabBlackoutsFragment, UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT, type MessageId } from '../../i18n';
import { offsetName, parse, spanIn, toApi } from '../../time';
import { AffectedBookings, type Span } from './affected-bookings';

export const LabBlackoutsFields = graphql(`
  fragment LabBlackouts on Lab {
    id
    timeZone
    blackouts(from: $now, first: 50) {
      nodes {
        id
        kind
        reason
        start
        end
        instrument {
          id
          name
        }
      }
    }
    instruments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`);

const AddBlackout = graphql(`
  mutation AddBlackout($input: AddBlackoutInput!) {
    addBlackout(input: $input) {
      blackout {
        id
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const RemoveBlackout = graphql(`
  mutation RemoveBlackout($id: ID!) {
    removeBlackout(id: $id) {
      removedId
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const KINDS: BlackoutKind[] = ['MAINTENANCE', 'TRAINING', 'OTHER'];

export function BlackoutsSection({ lab, onChanged }: { lab: LabBlackoutsFragment; onChanged(): void }) {
  const t = useT();
  const { language } = useLanguage();
  const zone = lab.timeZone;
  const [target, setTarget] = useState('');
  const [kind, setKind] = useState<BlackoutKind>('MAINTENANCE');
  const [reason, setReason] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [checked, setChecked] = useState<Span | null>(null);
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, add] = useMutation(AddBlackout);
  const [, remove] = useMutation(RemoveBlackout);
  const { of, rest } = byField(errors, ['start', 'end', 'reason']);
  const offset = offsetName(DateTime.now().setZone(zone));

  const span = (): Span | null => {
    const start = DateTime.fromISO(from, { zone });
    const end = DateTime.fromISO(to, { zone });
    if (!start.isValid || !end.isValid) return null;
    return { ...(target ? { instrumentId: target } : { labId: lab.id }), from: toApi(start), to: toApi(end) };
  };
  const edited = () => setChecked(null);

  return (
    <div>
      {lab.blackouts.nodes.length === 0 ? (
        <p className="muted">{t('settings.blackouts.none')}</p>
      ) : (
        <ul className="plain-list">
          {lab.blackouts.nodes.map((b) => (
            <li key={b.id}>
              <span className="badge">{t(`blackout.${b.kind}` as MessageId)}</span> {b.instrument?.name ?? t('settings.blackouts.wholeLab')} ·{' '}
              {spanIn(parse(b.start, zone), parse(b.end, zone), zone, language)} · {b.reason}{' '}
              <button
                type="button"
                className="link-button"
                onClick={async () => {
                  const answer = (await remove({ id: b.id })).data?.removeBlackout;
                  setErrors(answer?.errors ?? []);
                  onChanged();
                }}
              >
                {t('settings.blackouts.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="stack-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const s = span();
          if (!s) {
            setErrors([{ code: 'INVALID_TIME_RANGE', field: 'end', message: '' }]);
            return;
          }
          // First press: show what the blackout overlaps; second press (nothing edited since): add it.
          if (!checked) {
            setErrors([]);
            setChecked(s);
            return;
          }
          const answer = (await add({ input: { labId: lab.id, instrumentId: target || null, kind, reason: reason.trim() || null, start: s.from, end: s.to! } })).data?.addBlackout;
          setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
          if (answer && answer.errors.length === 0) {
            setChecked(null);
            setReason('');
            onChanged();
          }
        }}
      >
        <h3>{t('settings.blackouts.add')}</h3>
        <div className="field">
          <label htmlFor="blackout-target">{t('settings.blackouts.target')}</label>
          <select id="blackout-target" value={target} onChange={(e) => (setTarget(e.target.value), edited())}>
            <option value="">{t('settings.blackouts.wholeLab')}</option>
            {lab.instruments.nodes.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="blackout-kind">{t('settings.blackouts.kind')}</label>
          <select id="blackout-kind" value={kind} onChange={(e) => setKind(e.target.value as BlackoutKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`blackout.${k}` as MessageId)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="blackout-start">{t('settings.blackouts.start', { offset })}</label>
          <input id="blackout-start" type="datetime-local" value={from} onChange={(e) => (setFrom(e.target.value), edited())} required />
          <FieldErrors errors={of('start')} />
        </div>
        <div className="field">
          <label htmlFor="blackout-end">{t('settings.blackouts.end', { offset })}</label>
          <input id="blackout-end" type="datetime-local" value={to} onChange={(e) => (setTo(e.target.value), edited())} required />
          <FieldErrors errors={of('end')} />
        </div>
        <div className="field">
          <label htmlFor="blackout-reason">{t('settings.blackouts.reason')}</label>
          <input id="blackout-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          <FieldErrors errors={of('reason')} />
        </div>
        {checked && <AffectedBookings span={checked} />}
        <button type="submit" className="primary">
          {checked ? t('settings.blackouts.confirm') : t('settings.blackouts.check')}
        </button>
        <div role="alert">
          <FieldErrors errors={rest} />
        </div>
      </form>
    </div>
  );
}
