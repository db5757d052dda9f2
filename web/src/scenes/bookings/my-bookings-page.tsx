// My bookings: upcoming (pending and confirmed, soonest first) and past, each with its history and actions. The
// bookings of one group (or one series) come together as one card, at the place of its first booking.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { ErrorBox, Loading } from '../../components/error-box';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import type { BookingGroupCardFragment, BookingItemFragment, BookingSeriesCardFragment } from '../../gql/graphql';
import { BookingGroupCard } from './booking-group-card';
import { BookingSeriesCard } from './booking-series-card';
import { BookingItem } from './booking-item';

const MyBookingsQuery = graphql(`
  query MyBookings($upcoming: BookingFilter!, $past: BookingFilter!) {
    upcoming: myBookings(filter: $upcoming, first: 50) {
      nodes {
        ...BookingItem
        group {
          ...BookingGroupCard
        }
        series {
          ...BookingSeriesCard
        }
      }
    }
    past: myBookings(filter: $past, first: 50) {
      nodes {
        ...BookingItem
        group {
          ...BookingGroupCard
        }
        series {
          ...BookingSeriesCard
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
          ) : entry.kind === 'series' ? (
            <BookingSeriesCard key={`series-${entry.series.id}`} series={entry.series} bookings={entry.bookings} onChanged={reload} />
          ) : (
            <BookingItem key={entry.booking.id} booking={entry.booking} onChanged={reload} />
          ),
        )}
      </div>
    </section>
  );
}

type Listed = BookingItemFragment & { group?: BookingGroupCardFragment | null; series?: BookingSeriesCardFragment | null };
type Card =
  | { kind: 'booking'; booking: Listed }
  | { kind: 'group'; group: BookingGroupCardFragment; bookings: Listed[] }
  | { kind: 'series'; series: BookingSeriesCardFragment; bookings: Listed[] };

/** One card per booking on its own, one per group and one per series (holding its bookings in list order). */
function cards(list: Listed[]): Card[] {
  const out: Card[] = [];
  const together = new Map<string, Card & { bookings: Listed[] }>();
  for (const booking of list) {
    const key = booking.group ? `group-${booking.group.id}` : booking.series ? `series-${booking.series.id}` : null;
    if (!key) {
      out.push({ kind: 'booking', booking });
      continue;
    }
    const known = together.get(key);
    if (known) {
      known.bookings.push(booking);
      continue;
    }
    const card: Card & { bookings: Listed[] } = booking.group
      ? { kind: 'group', group: booking.group, bookings: [booking] }
      : { kind: 'series', series: booking.series!, bookings: [booking] };
    together.set(key, card);
    out.push(card);
  }
  return out;
}
