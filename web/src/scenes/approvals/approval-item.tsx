// One request in the approvals queue: who asks (institution, country), for what, when in the manager's zone and the
// lab's, how long it has waited and whether it would soon expire undecided; its own note and decision buttons.
import { DateTime } from 'luxon';
import { duration } from '../../components/duration';
import { StatusBadge } from '../../components/status-badge';
import { graphql } from '../../gql';
import type { ApprovalItemFragment, BookingStatus } from '../../gql/graphql';
import { useLanguage, useT, type MessageId } from '../../i18n';
import { parse, spanIn } from '../../time';
import { useViewer } from '../../viewer';
import { countryName } from '../find/countries';

export const ApprovalItemFields = graphql(`
  fragment ApprovalItem on Booking {
    id
    reference
    version
    status
    start
    end
    purpose
    createdAt
    user {
      id
      name
      institution {
        id
        name
        countryCode
      }
    }
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

/** A request undecided this close to its start expires (housekeeping), so the queue flags it. */
export const EXPIRES_SOON_HOURS = 48;

/** What became of a decision the manager sent: done, taken by someone else meanwhile, or refused with codes. */
export type Outcome =
  | { kind: 'APPROVED' | 'REJECTED' }
  | { kind: 'TAKEN'; status: BookingStatus | null }
  | { kind: 'ERROR'; codes: string[] };

interface Props {
  booking: ApprovalItemFragment;
  /** The request a link from an e-mail named: highlighted and focused. */
  focused?: boolean;
  now: DateTime;
  selected: boolean;
  onSelect(selected: boolean): void;
  note: string;
  onNote(note: string): void;
  outcome?: Outcome;
  busy: boolean;
  onDecide(action: 'APPROVE' | 'REJECT'): void;
}

export function ApprovalItem({ booking, focused = false, now, selected, onSelect, note, onNote, outcome, busy, onDecide }: Props) {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const labZone = booking.instrument.lab.timeZone;
  const start = parse(booking.start, viewer.timeZone);
  const end = parse(booking.end, viewer.timeZone);
  const waited = Math.max(0, Math.floor(now.diff(DateTime.fromISO(booking.createdAt), 'minutes').minutes));
  const untilStart = Math.floor(start.diff(now, 'minutes').minutes);
  const soon = untilStart < EXPIRES_SOON_HOURS * 60;
  const open = !outcome || outcome.kind === 'ERROR';
  const { user } = booking;
  const headingId = `approval-${booking.id}`;

  return (
    <article
      className={focused ? 'card approval focused' : 'card approval'}
      aria-labelledby={headingId}
      aria-current={focused ? 'true' : undefined}
      aria-describedby={focused ? `${headingId}-linked` : undefined}
      tabIndex={focused ? -1 : undefined}
      data-booking-id={booking.id}
    >
      <div className="approval-head">
        {open && (
          <input
            type="checkbox"
            id={`select-${booking.id}`}
            checked={selected}
            onChange={(e) => onSelect(e.target.checked)}
            aria-label={t('approvals.select', { name: user.name, instrument: booking.instrument.name })}
          />
        )}
        <h2 id={headingId} className="h3">
          {user.name}
        </h2>
        {focused && (
          <span className="badge focus" id={`${headingId}-linked`}>
            {t('approvals.focused')}
          </span>
        )}
        {soon && open && <span className="badge warn">{t('approvals.expiresSoon', { d: duration(Math.max(0, untilStart), t) })}</span>}
      </div>
      <dl className="facts">
        <dt>{t('approvals.reference')}</dt>
        <dd>{booking.reference}</dd>
        <dt>{t('approvals.institution')}</dt>
        <dd>
          {user.institution.name} · {countryName(user.institution.countryCode, language)}
        </dd>
        <dt>{t('approvals.instrument')}</dt>
        <dd>
          {booking.instrument.name} · <span className="muted">{booking.instrument.lab.name}</span>
        </dd>
        <dt>{t('approvals.yourTime')}</dt>
        <dd>{spanIn(start, end, viewer.timeZone, language)}</dd>
        <dt>{t('approvals.labTime')}</dt>
        <dd>{spanIn(start, end, labZone, language)}</dd>
        <dt>{t('approvals.purpose')}</dt>
        <dd className="purpose">{booking.purpose || t('approvals.noPurpose')}</dd>
        <dt>{t('approvals.waiting')}</dt>
        <dd>{duration(waited, t)}</dd>
      </dl>
      {open ? (
        <div className="inline-form">
          <div className="field">
            <label htmlFor={`note-${booking.id}`}>{t('approvals.note')}</label>
            <input id={`note-${booking.id}`} value={note} onChange={(e) => onNote(e.target.value)} maxLength={500} />
          </div>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => onDecide('APPROVE')}>
              {t('approvals.approve')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => onDecide('REJECT')}>
              {t('approvals.reject')}
            </button>
          </div>
        </div>
      ) : null}
      <div role="status" className="outcome">
        {outcome?.kind === 'APPROVED' && <StatusBadge status="CONFIRMED" />}
        {outcome?.kind === 'REJECTED' && <StatusBadge status="REJECTED" />}
        {outcome?.kind === 'TAKEN' && (
          <p className="notice">
            {t('approvals.taken')} {outcome.status && <StatusBadge status={outcome.status} />}
          </p>
        )}
      </div>
      {outcome?.kind === 'ERROR' && (
        <ul className="field-errors" role="alert">
          {outcome.codes.map((code) => (
            <li key={code}>{t(`error.code.${code}` as MessageId)}</li>
          ))}
        </ul>
      )}
    </article>
  );
}
