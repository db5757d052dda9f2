// My bookings: upcoming (pending and confirmed, soonest first) and past, each with its history and actions. The
// bookings of one group (or one series) come together as one card, at the place of its first booking.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { ErrorBox, Loading } from '../../components/error-box';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import type { BookingGroupCardFragment, BookingItemFragment } from '../../gql/graphql';
import { BookingGroupCard } from './booking-group-card';
import { BookingItem } from './booking-item';

const MyBookingsQuery = graphql(`
  query MyBookings($upcoming: BookingFilter!, $past: BookingFilter!) {
    upcoming: myBookings(filter: $upcoming, first: 50) {
      nodes {
        ...BookingItem
        group {
          ...BookingGroupCard
        }
      }
    }
    past: myBookings(filter: $past, first: 50) {
      nodes {
        ...BookingItem
        group {
          ...BookingGroupCard
        }
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
  const entries = useMemo(() => (list ? cards(list) : undefined), [list]);

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
        {entries?.map((entry) =>
          entry.kind === 'group' ? (
            <BookingGroupCard key={`group-${entry.group.id}`} group={entry.group} parts={entry.bookings} onChanged={reload} />
          ) : (
            <BookingItem key={entry.booking.id} booking={entry.booking} onChanged={reload} />
          ),
        )}
      </div>
    </section>
  );
}

type Listed = BookingItemFragment & { group?: BookingGroupCardFragment | null };
type Card = { kind: 'booking'; booking: Listed } | { kind: 'group'; group: BookingGroupCardFragment; bookings: Listed[] };

/** One card per booking on its own, one per group (holding its bookings in list order). */
function cards(list: Listed[]): Card[] {
  const out: Card[] = [];
  const groups = new Map<string, Card & { kind: 'group' }>();
  for (const booking of list) {
    if (!booking.group) {
      out.push({ kind: 'booking', booking });
      continue;
    }
    const known = groups.get(booking.group.id);
    if (known) known.bookings.push(booking);
    else {
      const card = { kind: 'group' as const, group: booking.group, bookings: [booking] };
      groups.set(booking.group.id, card);
      out.push(card);
    }
  }
  return out;
}
