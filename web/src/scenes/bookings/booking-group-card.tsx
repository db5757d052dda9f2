// A booking group in My bookings: one card for its instruments booked together, its derived status and span,
// expandable to each part; the group is cancelled as a whole (cancelBookingGroup), never part by part.
import { useState } from 'react';
import { useMutation } from 'urql';
import { StatusBadge } from '../../components/status-badge';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { BookingGroupCardFragment, BookingItemFragment, UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n';
import { parse, spanIn } from '../../time';
import { useViewer } from '../../viewer';
import { BookingItem } from './booking-item';

export const BookingGroupCardFields = graphql(`
  fragment BookingGroupCard on BookingGroup {
    id
    status
    purpose
    partCount
    start
    end
  }
`);

const CancelGroupMutation = graphql(`
  mutation CancelBookingGroup($input: CancelBookingGroupInput!) {
    cancelBookingGroup(input: $input) {
      group {
        ...BookingGroupCard
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export function BookingGroupCard({ group, parts, onChanged }: { group: BookingGroupCardFragment; parts: BookingItemFragment[]; onChanged(): void }) {
  const t = useT();
  const { language } = useLanguage();
  const zone = useViewer().timeZone;
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, cancel] = useMutation(CancelGroupMutation);
  const active = group.status === 'PENDING' || group.status === 'CONFIRMED';
  const { of, rest } = byField(errors, ['note']);
  const titleId = `group-${group.id}-title`;

  return (
    <article className="card booking booking-group" aria-labelledby={titleId} data-group-id={group.id}>
      <div className="strong" id={titleId}>
        {t('bookings.group', { n: group.partCount })} <StatusBadge status={group.status} />
      </div>
      <div>{spanIn(parse(group.start, zone), parse(group.end, zone), zone, language)}</div>
      <div className="muted">{parts.map((p) => p.instrument.name).join(' · ')}</div>
      {group.purpose && <div className="purpose">{group.purpose}</div>}
      <details>
        <summary>{t('bookings.groupParts', { n: parts.length })}</summary>
        <div className="parts">
          {parts.map((b) => (
            <BookingItem key={b.id} booking={b} onChanged={onChanged} partOf="group" />
          ))}
        </div>
      </details>
      {active && (
        <div className="actions">
          <button type="button" onClick={() => setCancelling(!cancelling)} aria-expanded={cancelling}>
            {t('bookings.cancelGroup')}
          </button>
        </div>
      )}
      {cancelling && (
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const answer = await cancel({ input: { id: group.id, note: reason.trim() || null } });
            const payload = answer.data?.cancelBookingGroup;
            if (!payload) {
              setErrors([{ code: 'BAD_INPUT', field: null, message: answer.error?.message ?? '' }]);
              return;
            }
            setErrors(payload.errors);
            if (payload.errors.length === 0) {
              setCancelling(false);
              onChanged();
            }
          }}
        >
          <div className="field">
            <label htmlFor={`group-reason-${group.id}`}>{t('bookings.cancelReason')}</label>
            <input id={`group-reason-${group.id}`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
            <FieldErrors errors={of('note')} />
          </div>
          <button type="submit" className="danger">
            {t('bookings.confirmCancelGroup', { n: group.partCount })}
          </button>
        </form>
      )}
      <div role="alert">
        <FieldErrors errors={rest} />
      </div>
    </article>
  );
}
