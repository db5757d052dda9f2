// One booking in a list: instrument, lab, the span in the viewer's zone and the lab's, and its status.
import { Link } from 'wouter';
import { graphql } from '../gql';
import type { BookingSummaryFragment } from '../gql/graphql';
import { useLanguage, useT } from '../i18n';
import { parse, spanIn } from '../time';
import { useViewer } from '../viewer';
import { StatusBadge } from './status-badge';

export const BookingSummaryFields = graphql(`
  fragment BookingSummary on Booking {
    id
    reference
    start
    end
    status
    purpose
    instrument {
      id
      name
      lab {
        id
        name
        timeZone
      }
    }
  }
`);

export function BookingSummary({ booking }: { booking: BookingSummaryFragment }) {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const labZone = booking.instrument.lab.timeZone;
  const start = parse(booking.start, viewer.timeZone);
  const end = parse(booking.end, viewer.timeZone);
  return (
    <div className="booking-summary">
      <div>
        <Link href={`/instruments/${booking.instrument.id}`} className="strong">
          {booking.instrument.name}
        </Link>{' '}
        <StatusBadge status={booking.status} /> <span className="muted reference">{booking.reference}</span>
      </div>
      <div>{spanIn(start, end, viewer.timeZone, language)}</div>
      {start.setZone(labZone).offset !== start.offset && (
        <div className="muted">{t('time.labLocal', { span: spanIn(start, end, labZone, language) })}</div>
      )}
      <div className="muted">{booking.instrument.lab.name}</div>
      {booking.purpose && <div className="purpose">{booking.purpose}</div>}
    </div>
  );
}
