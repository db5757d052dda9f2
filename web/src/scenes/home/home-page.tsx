// Home: the viewer's upcoming bookings, requests awaiting a manager, and a search box into the catalogue.
import { useMemo, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useQuery } from 'urql';
import { BookingSummary } from '../../components/booking-summary';
import { ErrorBox, Loading } from '../../components/error-box';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { useViewer } from '../../viewer';

const HomeQuery = graphql(`
  query Home($from: DateTime!) {
    upcoming: myBookings(filter: { from: $from, status: [CONFIRMED] }, first: 5) {
      nodes {
        ...BookingSummary
      }
    }
    pending: myBookings(filter: { from: $from, status: [PENDING] }, first: 5) {
      nodes {
        ...BookingSummary
      }
    }
  }
`);

export function HomePage() {
  const t = useT();
  const viewer = useViewer();
  const [, navigate] = useLocation();
  const [text, setText] = useState('');
  const from = useMemo(() => new Date().toISOString(), []);
  const [{ data, error, fetching }, refetch] = useQuery({ query: HomeQuery, variables: { from } });

  return (
    <section>
      <h1>{t('home.title', { name: viewer.name })}</h1>
      <form
        role="search"
        className="search-row"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/find?q=${encodeURIComponent(text.trim())}`);
        }}
      >
        <label htmlFor="home-search">{t('home.searchLabel')}</label>
        <input id="home-search" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('home.searchPlaceholder')} />
        <button type="submit">{t('home.search')}</button>
      </form>
      {error && <ErrorBox error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {!data && fetching && <Loading />}
      {data && (
        <div className="columns">
          <section aria-labelledby="upcoming-title" className="card">
            <h2 id="upcoming-title">{t('home.upcoming')}</h2>
            {data.upcoming.nodes.length === 0 ? (
              <p className="muted">
                {t('home.noUpcoming')} <Link href="/find">{t('home.findOne')}</Link>
              </p>
            ) : (
              <ul className="plain">
                {data.upcoming.nodes.map((b) => (
                  <li key={b.id}>
                    <BookingSummary booking={b} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="pending-title" className="card">
            <h2 id="pending-title">{t('home.pending')}</h2>
            {data.pending.nodes.length === 0 ? (
              <p className="muted">{t('home.noPending')}</p>
            ) : (
              <ul className="plain">
                {data.pending.nodes.map((b) => (
                  <li key={b.id}>
                    <BookingSummary booking={b} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
