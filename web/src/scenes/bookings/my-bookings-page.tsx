// My bookings: upcoming (pending and confirmed, soonest first) and past, each with its history and actions.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { ErrorBox, Loading } from '../../components/error-box';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { BookingItem } from './booking-item';

const MyBookingsQuery = graphql(`
  query MyBookings($upcoming: BookingFilter!, $past: BookingFilter!) {
    upcoming: myBookings(filter: $upcoming, first: 50) {
      nodes {
        ...BookingItem
      }
    }
    past: myBookings(filter: $past, first: 50) {
      nodes {
        ...BookingItem
      }
    }
  }
`);

export default function MyBookingsPage() {
  const t = useT();
  const [tab, setTab] = useState<'upcoming' | 'past'>('upcoming');
  const variables = useMemo(() => {
    const now = new Date().toISOString();
    return { upcoming: { from: now, status: ['PENDING' as const, 'CONFIRMED' as const] }, past: { to: now } };
  }, []);
  const [{ data, error, fetching }, refetch] = useQuery({ query: MyBookingsQuery, variables });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const list = tab === 'upcoming' ? data?.upcoming.nodes : data?.past.nodes.slice().reverse();

  return (
    <section>
      <h1>{t('bookings.title')}</h1>
      <div role="tablist" aria-label={t('bookings.title')} className="tabs">
        {(['upcoming', 'past'] as const).map((name) => (
          <button key={name} type="button" role="tab" id={`tab-${name}`} aria-selected={tab === name} aria-controls="bookings-panel" onClick={() => setTab(name)}>
            {t(name === 'upcoming' ? 'bookings.upcoming' : 'bookings.past')}
          </button>
        ))}
      </div>
      <div id="bookings-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {error && <ErrorBox error={error} retry={reload} />}
        {!data && fetching && <Loading />}
        {list && list.length === 0 && <p className="muted">{t('bookings.none')}</p>}
        {list?.map((b) => (
          <BookingItem key={b.id} booking={b} onChanged={reload} />
        ))}
      </div>
    </section>
  );
}
