// Confirms a selected span: shown in the viewer's zone and the lab's, with a purpose; sends requestBooking with an
// idempotency key (a retried submit of the same request cannot book twice) and shows CONFIRMED or PENDING. Rule
// violations come back as codes beside the field they name; CONFLICT refreshes the calendar and says so. With other
// instruments added it sends requestBookingGroup instead: all parts or none, each part's problems beside it. With
// "repeat" it sends requestBookingSeries, after listing each occurrence to be checked, and shows the API's answer for each.
import { DateTime } from 'luxon';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useMutation } from 'urql';
import { duration } from '../../components/duration';
import { randomKey } from '../../components/random-key';
import { StatusBadge } from '../../components/status-badge';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { BookingSeriesMode, BookingStatus, UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n';
import { parse, spanIn, toApi } from '../../time';
import { errorsOfItem, GroupItems, itemSpan, type GroupItem } from './group-items';
import { weekdayOf, weeklyRule, type WeeklyRepeat } from './recurrence';
import { outcomeText, RepeatSection, type OccurrenceAnswer } from './repeat-section';

const RequestBookingMutation = graphql(`
  mutation RequestBooking($input: RequestBookingInput!) {
    requestBooking(input: $input) {
      booking {
        id
        status
        start
        end
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const RequestBookingGroupMutation = graphql(`
  mutation RequestBookingGroup($input: RequestBookingGroupInput!) {
    requestBookingGroup(input: $input) {
      group {
        id
        status
        parts {
          id
          status
          start
          end
          instrument {
            id
            name
          }
        }
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const RequestBookingSeriesMutation = graphql(`
  mutation RequestBookingSeries($input: RequestBookingSeriesInput!) {
    requestBookingSeries(input: $input) {
      series {
        id
      }
      occurrences {
        start
        end
        outcome
        problems {
          ...UserErrorFields
        }
        booking {
          id
          status
        }
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

interface BookedPart {
  id: string;
  status: BookingStatus;
  start: string;
  end: string;
  instrument: { id: string; name: string };
}

interface Props {
  instrument: { id: string; name: string; requiresApproval: boolean; rules: { slotMinutes: number; minMinutes: number; maxMinutes: number } };
  labZone: string;
  viewerZone: string;
  span: { start: DateTime; end: DateTime };
  onClose(): void;
  /** Someone else took (part of) the span: the page reloads availability. */
  onConflict(): void;
  onBooked(): void;
}

export function BookingDialog({ instrument, labZone, viewerZone, span, onClose, onConflict, onBooked }: Props) {
  const t = useT();
  const { language } = useLanguage();
  const dialog = useRef<HTMLDialogElement>(null);
  const [minutes, setMinutes] = useState(Math.round(span.end.diff(span.start, 'minutes').minutes));
  const [purpose, setPurpose] = useState('');
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [result, setResult] = useState<BookingStatus | null>(null);
  const [groupItems, setGroupItems] = useState<GroupItem[]>([]);
  const [parts, setParts] = useState<BookedPart[]>([]);
  const [{ fetching }, request] = useMutation(RequestBookingMutation);
  const [{ fetching: fetchingGroup }, requestGroup] = useMutation(RequestBookingGroupMutation);
  const [repeat, setRepeat] = useState<WeeklyRepeat | null>(null);
  const [mode, setMode] = useState<BookingSeriesMode>('ALL_OR_NOTHING');
  const [answers, setAnswers] = useState<OccurrenceAnswer[] | null>(null);
  const [{ fetching: fetchingSeries }, requestSeries] = useMutation(RequestBookingSeriesMutation);
  const end = span.start.plus({ minutes });
  const groupKey = JSON.stringify(groupItems);
  const seriesKey = JSON.stringify([repeat, mode]);
  // One key per distinct request: the same span, length, parts or repeat resent (a retry after a timeout) reuses it.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key depends on what is requested, not on what it reads
  const key = useMemo(() => randomKey(), [span.start.toMillis(), minutes, groupKey, seriesKey]);
  // An answer holds only for the repeat it was given for: any change lists the occurrences "to be checked" again.
  useEffect(() => setAnswers(null), [seriesKey, minutes]);

  useEffect(() => {
    const d = dialog.current!;
    if (!d.open) d.showModal();
    // showModal focuses the first control; the purpose is what the person types first.
    d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => d.close();
  }, []);

  const lengths = useMemo(() => {
    const { slotMinutes, minMinutes, maxMinutes } = instrument.rules;
    const first = Math.ceil(minMinutes / slotMinutes) * slotMinutes;
    const out: number[] = [];
    for (let m = first; m <= maxMinutes && out.length < 48; m += slotMinutes) out.push(m);
    if (!out.includes(minutes)) out.push(minutes);
    return out.sort((a, b) => a - b);
  }, [instrument.rules, minutes]);

  // In a group, this instrument is part 0: its problems (items.0.start) show where a single booking's would.
  const ownErrors = groupItems.length ? errors.filter((e) => !e.field?.startsWith('items.') || e.field.startsWith('items.0.')).map((e) => ({ ...e, field: e.field?.replace(/^items\.0\./, '') ?? null })) : errors;
  const { of, rest } = byField(ownErrors, ['start', 'end', 'purpose', 'items', 'instrumentId']);
  const conflict = ownErrors.some((e) => e.code === 'CONFLICT');
  const groupRefused = groupItems.length > 0 && errors.length > 0;
  const refusedNames = [instrument.name, ...groupItems.map((i) => i.name)].filter((_, n) => errorsOfItem(errors, n).length > 0);

  async function submitGroup() {
    const own = { start: span.start, end };
    const items = [{ instrumentId: instrument.id, ...own }, ...groupItems.map((item) => ({ instrumentId: item.instrumentId, ...itemSpan(item, own, viewerZone) }))];
    const answer = await requestGroup({
      input: {
        items: items.map((i) => ({ instrumentId: i.instrumentId, start: toApi(i.start.setZone(viewerZone)), end: toApi(i.end.setZone(viewerZone)) })),
        purpose: purpose.trim() || null,
        idempotencyKey: key,
      },
    });
    const payload = answer.data?.requestBookingGroup;
    if (!payload) {
      setErrors([{ code: 'BAD_INPUT', field: null, message: answer.error?.message ?? '' }]);
      return;
    }
    setErrors(payload.errors);
    if (payload.errors.some((e) => e.code === 'CONFLICT' && e.field?.startsWith('items.0.'))) onConflict();
    if (payload.group) {
      setParts(payload.group.parts);
      setResult(payload.group.status === 'CONFIRMED' ? 'CONFIRMED' : 'PENDING');
      onBooked();
    }
  }

  async function submitSeries(rule: WeeklyRepeat) {
    const answer = await requestSeries({
      input: {
        instrumentId: instrument.id,
        start: toApi(span.start.setZone(viewerZone)),
        end: toApi(end.setZone(viewerZone)),
        recurrence: weeklyRule(rule, span.start, labZone),
        purpose: purpose.trim() || null,
        mode,
        idempotencyKey: key,
      },
    });
    const payload = answer.data?.requestBookingSeries;
    if (!payload) {
      setErrors([{ code: 'BAD_INPUT', field: null, message: answer.error?.message ?? '' }]);
      return;
    }
    setErrors(payload.errors);
    setAnswers(payload.occurrences);
    if (payload.series) {
      const booked = payload.occurrences.flatMap((o) => (o.booking ? [o.booking.status] : []));
      setResult(booked.includes('PENDING') ? 'PENDING' : 'CONFIRMED');
      onBooked();
    }
  }

  async function submit() {
    if (groupItems.length) return submitGroup();
    if (repeat) return submitSeries(repeat);
    const answer = await request({ input: { instrumentId: instrument.id, start: toApi(span.start.setZone(viewerZone)), end: toApi(end.setZone(viewerZone)), purpose: purpose.trim() || null, idempotencyKey: key } });
    const payload = answer.data?.requestBooking;
    if (!payload) {
      setErrors([{ code: 'BAD_INPUT', field: null, message: answer.error?.message ?? '' }]);
      return;
    }
    setErrors(payload.errors);
    if (payload.errors.some((e) => e.code === 'CONFLICT')) onConflict();
    if (payload.booking) {
      setResult(payload.booking.status);
      onBooked();
    }
  }

  return (
    <dialog ref={dialog} className="booking-dialog" aria-labelledby="booking-title" onCancel={onClose} data-start={toApi(span.start)} data-end={toApi(end)}>
      <h2 id="booking-title">{t('booking.title', { name: instrument.name })}</h2>
      {result ? (
        <div role="status" className="booking-result">
          <p>
            <StatusBadge status={result} />
          </p>
          <p>{t(result === 'PENDING' ? 'booking.pendingNext' : 'booking.confirmedNext')}</p>
          {answers && repeat ? (
            <>
              <p>{t('series.booked', { n: answers.filter((a) => a.outcome === 'BOOKED').length, count: answers.length })}</p>
              <RepeatResult answers={answers} viewerZone={viewerZone} />
            </>
          ) : parts.length > 0 ? (
            <ul className="group-parts">
              {parts.map((p) => (
                <li key={p.id}>
                  <span className="strong">{p.instrument.name}</span> <StatusBadge status={p.status} /> {spanIn(parse(p.start, viewerZone), parse(p.end, viewerZone), viewerZone, language)}
                </li>
              ))}
            </ul>
          ) : (
            <p>{spanIn(span.start, end, viewerZone, language)}</p>
          )}
          <div className="actions">
            <Link href="/bookings">{t('booking.seeMine')}</Link>
            <button type="button" className="primary" onClick={onClose} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <dl className="span-zones">
            <dt>{t('booking.yourTime')}</dt>
            <dd id="span-viewer">{spanIn(span.start, end, viewerZone, language)}</dd>
            {labZone !== viewerZone && (
              <>
                <dt>{t('booking.labTime', { zone: labZone })}</dt>
                <dd id="span-lab">{spanIn(span.start, end, labZone, language)}</dd>
              </>
            )}
          </dl>
          <FieldErrors errors={of('start')} id="start-errors" />
          <div className="field">
            <label htmlFor="booking-length">{t('booking.length')}</label>
            <select id="booking-length" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} aria-describedby={of('end').length ? 'end-errors' : undefined}>
              {lengths.map((m) => (
                <option key={m} value={m}>
                  {duration(m, t)}
                </option>
              ))}
            </select>
            <FieldErrors errors={of('end')} id="end-errors" />
          </div>
          {/* Before the purpose: from the purpose, Tab goes on to Cancel and Book as in a single booking. */}
          {repeat ? (
            <RepeatSection
              repeat={repeat}
              onChange={(next) => {
                setRepeat(next);
                setErrors([]);
              }}
              mode={mode}
              onModeChange={setMode}
              span={{ start: span.start, end }}
              labZone={labZone}
              viewerZone={viewerZone}
              answers={answers}
            />
          ) : (
            groupItems.length === 0 && (
              <div className="actions">
                <button type="button" id="repeat-toggle" onClick={() => setRepeat({ days: [weekdayOf(span.start, labZone)], end: { count: 4 } })} aria-expanded={false}>
                  {t('series.add')}
                </button>
              </div>
            )
          )}
          {repeat && (
            <div className="actions">
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setRepeat(null);
                  // The section goes away: keyboard focus returns to the button that opened it.
                  requestAnimationFrame(() => document.getElementById('repeat-toggle')?.focus());
                }}
              >
                {t('series.remove')}
              </button>
            </div>
          )}
          {!repeat && (
            <GroupItems
              items={groupItems}
              onChange={(next) => {
                setGroupItems(next);
                setErrors([]);
              }}
              span={{ start: span.start, end }}
              viewerZone={viewerZone}
              taken={[instrument.id, ...groupItems.map((i) => i.instrumentId)]}
              errors={errors}
            />
          )}
          <div className="field">
            <label htmlFor="booking-purpose">{t('booking.purpose')}</label>
            <textarea id="booking-purpose" rows={3} maxLength={500} value={purpose} onChange={(e) => setPurpose(e.target.value)} aria-describedby={of('purpose').length ? 'purpose-errors' : undefined} data-autofocus />
            <FieldErrors errors={of('purpose')} id="purpose-errors" />
          </div>
          {instrument.requiresApproval && <p className="muted">{t('booking.needsApproval')}</p>}
          <div role="alert">
            {groupRefused && <p className="conflict">{t('group.refused', { names: refusedNames.join(', ') || instrument.name })}</p>}
            {conflict && <p className="conflict">{t('booking.conflict')}</p>}
            <FieldErrors errors={rest.filter((e) => e.code !== 'CONFLICT')} />
          </div>
          <div className="actions">
            <button type="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={fetching || fetchingGroup || fetchingSeries || (conflict && groupItems.length === 0 && !repeat)}>
              {groupItems.length
                ? t('group.submit', { n: groupItems.length + 1 })
                : repeat
                  ? t('series.submit')
                  : t(instrument.requiresApproval ? 'booking.submitRequest' : 'booking.submit')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

/** What the API made of each occurrence of a series it booked. */
function RepeatResult({ answers, viewerZone }: { answers: OccurrenceAnswer[]; viewerZone: string }) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <ol className="occurrences" aria-label={t('series.answers')} tabIndex={0}>
      {answers.map((o, i) => (
        <li key={i} data-outcome={o.outcome}>
          <span>{spanIn(parse(o.start, viewerZone), parse(o.end, viewerZone), viewerZone, language)}</span>
          <span className={o.outcome === 'BOOKED' ? 'badge status-confirmed' : 'badge status-cancelled'}>{outcomeText(o.outcome, t)}</span>
        </li>
      ))}
    </ol>
  );
}
