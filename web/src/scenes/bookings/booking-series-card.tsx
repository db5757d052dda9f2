// A recurring series in My bookings: one card for its occurrences, expandable to each; cancel one occurrence
// (cancelBooking, as for any booking), this one and the following, or the whole series (cancelBookingSeries).
import { useState } from 'react';
import { useMutation } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { BookingItemFragment, BookingSeriesCardFragment, BookingSeriesScope, UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n';
import { dateTimeOf, parse } from '../../time';
import { useViewer } from '../../viewer';
import { BookingItem } from './booking-item';

export const BookingSeriesCardFields = graphql(`
  fragment BookingSeriesCard on BookingSeries {
    id
    purpose
    version
    instrument {
      id
      name
    }
  }
`);

const CancelSeriesMutation = graphql(`
  mutation CancelBookingSeries($input: CancelBookingSeriesInput!) {
    cancelBookingSeries(input: $input) {
      series {
        id
        version
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export function BookingSeriesCard({ series, bookings, onChanged }: { series: BookingSeriesCardFragment; bookings: BookingItemFragment[]; onChanged(): void }) {
  const t = useT();
  const { language } = useLanguage();
  const zone = useViewer().timeZone;
  const [asked, setAsked] = useState<{ scope: BookingSeriesScope; from?: string } | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, cancel] = useMutation(CancelSeriesMutation);
  const { of, rest } = byField(errors, ['note']);
  const active = (b: BookingItemFragment) => b.status === 'PENDING' || b.status === 'CONFIRMED';
  const titleId = `series-${series.id}-title`;
  const first = bookings[0];

  async function confirm() {
    if (!asked) return;
    const answer = await cancel({ input: { id: series.id, scope: asked.scope, fromBookingId: asked.from ?? null, note: reason.trim() || null, version: series.version } });
    const payload = answer.data?.cancelBookingSeries;
    if (!payload) {
      setErrors([{ code: 'BAD_INPUT', field: null, message: answer.error?.message ?? '' }]);
      return;
    }
    setErrors(payload.errors);
    if (payload.errors.length === 0) {
      setAsked(null);
      onChanged();
    }
  }

  const cancelForm = (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void confirm();
      }}
    >
      <div className="field">
        <label htmlFor={`series-reason-${series.id}`}>{t('bookings.cancelReason')}</label>
        <input id={`series-reason-${series.id}`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        <FieldErrors errors={of('note')} />
      </div>
      <button type="submit" className="danger">
        {t(asked?.scope === 'ALL' ? 'bookings.confirmCancelSeries' : 'bookings.confirmCancelFollowing')}
      </button>
    </form>
  );

  return (
    <article className="card booking booking-series" aria-labelledby={titleId} data-series-id={series.id}>
      <div className="strong" id={titleId}>
        {series.instrument.name} · {t('bookings.series', { n: bookings.length })}
      </div>
      {first && <div>{dateTimeOf(parse(first.start, zone), language)} …</div>}
      {series.purpose && <div className="purpose">{series.purpose}</div>}
      <details>
        <summary>{t('bookings.seriesParts', { n: bookings.length })}</summary>
        <div className="parts">
          {bookings.map((b) => (
            <div key={b.id}>
              <BookingItem
                booking={b}
                onChanged={onChanged}
                partOf="series"
                extraActions={
                  active(b) && b.id !== first?.id ? (
                    <button type="button" onClick={() => setAsked(asked?.from === b.id ? null : { scope: 'THIS_AND_FOLLOWING', from: b.id })} aria-expanded={asked?.from === b.id}>
                      {t('bookings.cancelFollowing')}
                    </button>
                  ) : undefined
                }
              />
              {asked?.from === b.id && cancelForm}
            </div>
          ))}
        </div>
      </details>
      {bookings.some(active) && (
        <div className="actions">
          <button type="button" onClick={() => setAsked(asked?.scope === 'ALL' ? null : { scope: 'ALL' })} aria-expanded={asked?.scope === 'ALL'}>
            {t('bookings.cancelSeries')}
          </button>
        </div>
      )}
      {asked?.scope === 'ALL' && cancelForm}
      <div role="alert">
        <FieldErrors errors={rest} />
      </div>
    </article>
  );
}
