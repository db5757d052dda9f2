// The bookings a change would touch, shown before the manager commits it: PENDING and CONFIRMED bookings of the lab
// or one instrument overlapping a span, read through the bookings the API lets a manager see.
import { useQuery } from 'urql';
import { StatusBadge } from '../../components/status-badge';
import { graphql } from '../../gql';
import { useLanguage, useT } from '../../i18n';
import { parse, spanIn } from '../../time';
import { useViewer } from '../../viewer';

const AffectedQuery = graphql(`
  query AffectedBookings($filter: BookingFilter!) {
    bookings(filter: $filter, first: 100) {
      nodes {
        id
        start
        end
        status
        purpose
        user {
          id
          name
        }
        instrument {
          id
          name
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

export interface Span {
  labId?: string;
  instrumentId?: string;
  from: string;
  to?: string;
}

export function AffectedBookings({ span }: { span: Span }) {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const filter = { labId: span.labId ?? null, instrumentId: span.instrumentId ?? null, from: span.from, to: span.to ?? null, status: ['PENDING' as const, 'CONFIRMED' as const] };
  const [{ data }] = useQuery({ query: AffectedQuery, variables: { filter }, requestPolicy: 'network-only' });
  if (!data) return null;
  const nodes = data.bookings.nodes;
  return (
    <div className="affected" role="status">
      <p className="strong">{t('settings.affected.count', { count: nodes.length })}</p>
      {nodes.length > 0 && (
        <ul>
          {nodes.map((b) => (
            <li key={b.id} data-booking-id={b.id}>
              {b.instrument.name} · {b.user.name} · {spanIn(parse(b.start, viewer.timeZone), parse(b.end, viewer.timeZone), viewer.timeZone, language)} <StatusBadge status={b.status} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
