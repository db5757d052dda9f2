// One of the viewer's bookings with what they may do to it: cancel with a reason, move it, check in and out.
import { DateTime } from 'luxon';
import { useState, type ReactNode } from 'react';
import { useClient, useMutation } from 'urql';
import { BookingSummary } from '../../components/booking-summary';
import { StatusBadge } from '../../components/status-badge';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { BookingItemFragment, UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n';
import { dateTimeOf, parse, toApi } from '../../time';
import { useViewer } from '../../viewer';

export const BookingItemFields = graphql(`
  fragment BookingItem on Booking {
    ...BookingSummary
    version
    checkedInAt
    checkedOutAt
    instrument {
      id
      requiresCheckIn
    }
    history {
      fromStatus
      toStatus
      note
      at
    }
  }
`);

const CancelMutation = graphql(`
  mutation CancelBooking($input: DecideBookingInput!) {
    cancelBooking(input: $input) {
      booking {
        ...BookingItem
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const RescheduleMutation = graphql(`
  mutation RescheduleBooking($input: RescheduleBookingInput!) {
    rescheduleBooking(input: $input) {
      booking {
        ...BookingItem
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const CheckInMutation = graphql(`
  mutation CheckIn($id: ID!) {
    checkIn(bookingId: $id) {
      booking {
        ...BookingItem
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const CheckOutMutation = graphql(`
  mutation CheckOut($id: ID!) {
    checkOut(bookingId: $id) {
      booking {
        ...BookingItem
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

// Asked for on demand: the file is only wanted when someone presses the button.
const CalendarFileQuery = graphql(`
  query BookingCalendarFile($id: ID!) {
    booking(id: $id) {
      id
      calendarFile
    }
  }
`);

/** Hands the browser a file to save, without a request of its own (the app talks to /graphql only). */
function saveFile(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

type Mode = 'idle' | 'cancel' | 'reschedule';

interface Props {
  booking: BookingItemFragment;
  onChanged(): void;
  /** A part of a group moves and is cancelled only with its group: its card offers that, not this item. */
  partOf?: 'group' | 'series';
  /** More actions on an active booking (a series' "this and following"). */
  extraActions?: ReactNode;
}

export function BookingItem({ booking, onChanged, partOf, extraActions }: Props) {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const zone = viewer.timeZone;
  const [mode, setMode] = useState<Mode>('idle');
  const [reason, setReason] = useState('');
  const start = parse(booking.start, zone);
  const end = parse(booking.end, zone);
  const [newStart, setNewStart] = useState(start.toFormat("yyyy-MM-dd'T'HH:mm"));
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const client = useClient();
  const [, cancel] = useMutation(CancelMutation);
  const [, reschedule] = useMutation(RescheduleMutation);
  const [, checkIn] = useMutation(CheckInMutation);
  const [, checkOut] = useMutation(CheckOutMutation);
  const active = booking.status === 'PENDING' || booking.status === 'CONFIRMED';
  const canCheck = booking.status === 'CONFIRMED' && booking.instrument.requiresCheckIn && !booking.checkedOutAt;
  const { of, rest } = byField(errors, ['start', 'end', 'note']);

  const downloadCalendarFile = async () => {
    const answer = await client.query(CalendarFileQuery, { id: booking.id }, { requestPolicy: 'network-only' }).toPromise();
    const file = answer.data?.booking?.calendarFile;
    if (!file) {
      setErrors([{ code: 'BAD_INPUT', field: null, message: answer.error?.message ?? '' }]);
      return;
    }
    saveFile(`labshare-booking-${booking.id}.ics`, 'text/calendar', file);
  };

  const settle = (payload: { errors: UserErrorFieldsFragment[]; booking?: unknown } | undefined, message?: string) => {
    if (!payload) {
      setErrors([{ code: 'BAD_INPUT', field: null, message: message ?? '' }]);
      return;
    }
    setErrors(payload.errors);
    if (payload.errors.length === 0) {
      setMode('idle');
      onChanged();
    }
  };

  return (
    <article className="card booking" aria-label={`${booking.instrument.name}, ${dateTimeOf(start, language)}`}>
      <BookingSummary booking={booking} />
      {booking.checkedInAt && <p className="muted">{t('bookings.checkedInAt', { time: dateTimeOf(parse(booking.checkedInAt, zone), language) })}</p>}
      {booking.checkedOutAt && <p className="muted">{t('bookings.checkedOutAt', { time: dateTimeOf(parse(booking.checkedOutAt, zone), language) })}</p>}
      <details>
        <summary>{t('bookings.history')}</summary>
        <ol className="history">
          {booking.history.map((h, i) => (
            <li key={i}>
              {dateTimeOf(parse(h.at, zone), language)} · <StatusBadge status={h.toStatus} />
              {h.note ? ` · ${h.note}` : ''}
            </li>
          ))}
        </ol>
      </details>
      <div className="actions">
        <button type="button" onClick={downloadCalendarFile}>
          {t('bookings.calendarFile')}
        </button>
      </div>
      {active && (
        <div className="actions">
          {canCheck && !booking.checkedInAt && (
            <button type="button" onClick={async () => settle((await checkIn({ id: booking.id })).data?.checkIn)}>
              {t('bookings.checkIn')}
            </button>
          )}
          {canCheck && booking.checkedInAt && (
            <button type="button" onClick={async () => settle((await checkOut({ id: booking.id })).data?.checkOut)}>
              {t('bookings.checkOut')}
            </button>
          )}
          {partOf !== 'group' && (
            <>
              <button type="button" onClick={() => setMode(mode === 'reschedule' ? 'idle' : 'reschedule')} aria-expanded={mode === 'reschedule'}>
                {t('bookings.reschedule')}
              </button>
              <button type="button" onClick={() => setMode(mode === 'cancel' ? 'idle' : 'cancel')} aria-expanded={mode === 'cancel'}>
                {t(partOf === 'series' ? 'bookings.cancelOccurrence' : 'bookings.cancel')}
              </button>
            </>
          )}
          {extraActions}
        </div>
      )}
      {mode === 'cancel' && (
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const answer = await cancel({ input: { id: booking.id, note: reason.trim() || null, version: booking.version } });
            settle(answer.data?.cancelBooking, answer.error?.message);
          }}
        >
          <div className="field">
            <label htmlFor={`reason-${booking.id}`}>{t('bookings.cancelReason')}</label>
            <input id={`reason-${booking.id}`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
            <FieldErrors errors={of('note')} />
          </div>
          <button type="submit" className="danger">
            {t('bookings.confirmCancel')}
          </button>
        </form>
      )}
      {mode === 'reschedule' && (
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const from = DateTime.fromISO(newStart, { zone });
            const to = from.plus(end.diff(start));
            const answer = await reschedule({ input: { id: booking.id, start: toApi(from), end: toApi(to), version: booking.version } });
            settle(answer.data?.rescheduleBooking, answer.error?.message);
          }}
        >
          <div className="field">
            <label htmlFor={`start-${booking.id}`}>{t('bookings.newStart', { offset: `UTC${start.toFormat('ZZ')}` })}</label>
            <input id={`start-${booking.id}`} type="datetime-local" value={newStart} onChange={(e) => setNewStart(e.target.value)} step={60} />
            <FieldErrors errors={[...of('start'), ...of('end')]} />
          </div>
          <button type="submit" className="primary">
            {t('bookings.confirmReschedule')}
          </button>
        </form>
      )}
      <div role="alert">
        <FieldErrors errors={rest} />
      </div>
    </article>
  );
}
