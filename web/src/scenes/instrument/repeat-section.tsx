// "Repeat": weekly on these days, for a number of times or until a date, all or nothing or skipping what does not
// fit. Before sending, each occurrence is listed "to be checked" (computed here for display only); once the API
// has answered, each shows what the API said of it: booked, would fit, or the rule it broke.
import { DateTime } from 'luxon';
import { useMemo } from 'react';
import type { BookingSeriesMode, SeriesOccurrenceOutcome, UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT, type MessageId } from '../../i18n';
import { spanIn } from '../../time';
import { MAX_OCCURRENCES, WEEKDAYS, weekdayOf, weeklyOccurrences, type WeeklyRepeat } from './recurrence';

export interface OccurrenceAnswer {
  start: string;
  end: string;
  outcome: SeriesOccurrenceOutcome;
  problems: UserErrorFieldsFragment[];
}

interface Props {
  repeat: WeeklyRepeat;
  onChange(repeat: WeeklyRepeat): void;
  mode: BookingSeriesMode;
  onModeChange(mode: BookingSeriesMode): void;
  span: { start: DateTime; end: DateTime };
  labZone: string;
  viewerZone: string;
  /** The API's answer for each occurrence, once it has answered for exactly this repeat. */
  answers: OccurrenceAnswer[] | null;
}

// Monday 2 Jan 2023 and the six days after it: a weekday's name in the viewer's language, from Intl.
const dayName = (i: number, locale: string) => DateTime.fromISO('2023-01-02').plus({ days: i }).setLocale(locale).toLocaleString({ weekday: 'long' });

export function outcomeText(outcome: SeriesOccurrenceOutcome, t: ReturnType<typeof useT>): string {
  if (outcome === 'BOOKED' || outcome === 'WOULD_BOOK') return t(`series.outcome.${outcome}`);
  return t(`error.code.${outcome}` as MessageId);
}

export function RepeatSection({ repeat, onChange, mode, onModeChange, span, labZone, viewerZone, answers }: Props) {
  const t = useT();
  const { language } = useLanguage();
  const own = weekdayOf(span.start, labZone);
  const preview = useMemo(() => weeklyOccurrences(repeat, span, labZone), [repeat, span, labZone]);
  const tooMany = preview.length > MAX_OCCURRENCES;
  const byCount = 'count' in repeat.end;

  return (
    <fieldset className="repeat">
      <legend>{t('series.legend')}</legend>
      <fieldset className="choices">
        <legend>{t('series.days', { zone: labZone })}</legend>
        <div className="repeat-row">
          {WEEKDAYS.map((d, i) => (
            <label key={d} className="choice">
              <input
                type="checkbox"
                checked={d === own || repeat.days.includes(d)}
                disabled={d === own}
                // Opened by "Repeat…": the days are what comes next.
                autoFocus={d === WEEKDAYS.find((x) => x !== own)}
                onChange={(e) => onChange({ ...repeat, days: e.target.checked ? [...repeat.days, d] : repeat.days.filter((x) => x !== d) })}
              />
              {dayName(i, language)}
            </label>
          ))}
        </div>
        <p className="muted">{t('series.ownDay', { day: dayName(WEEKDAYS.indexOf(own), language) })}</p>
      </fieldset>
      <fieldset className="choices">
        <legend>{t('series.ends')}</legend>
        <div className="repeat-row">
          <label className="choice">
            <input type="radio" name="repeat-end" checked={byCount} onChange={() => onChange({ ...repeat, end: { count: 4 } })} />
            {t('series.endsAfter')}
          </label>
          <label className="choice">
            <input type="radio" name="repeat-end" checked={!byCount} onChange={() => onChange({ ...repeat, end: { until: span.start.setZone(labZone).plus({ weeks: 4 }).toISODate()! } })} />
            {t('series.endsOn')}
          </label>
        </div>
        {'count' in repeat.end ? (
          <div className="field">
            <label htmlFor="repeat-count">{t('series.count')}</label>
            <input id="repeat-count" type="number" min={1} max={MAX_OCCURRENCES} value={repeat.end.count} onChange={(e) => onChange({ ...repeat, end: { count: Math.max(1, Math.min(MAX_OCCURRENCES, Number(e.target.value) || 1)) } })} />
          </div>
        ) : (
          <div className="field">
            <label htmlFor="repeat-until">{t('series.until', { zone: labZone })}</label>
            <input id="repeat-until" type="date" value={repeat.end.until} min={span.start.setZone(labZone).toISODate()!} onChange={(e) => e.target.value && onChange({ ...repeat, end: { until: e.target.value } })} />
          </div>
        )}
      </fieldset>
      <fieldset className="choices">
        <legend>{t('series.mode')}</legend>
        {(['ALL_OR_NOTHING', 'SKIP_CONFLICTS'] as const).map((m) => (
          <label key={m} className="choice">
            <input type="radio" name="repeat-mode" checked={mode === m} onChange={() => onModeChange(m)} />
            {t(m === 'ALL_OR_NOTHING' ? 'series.allOrNothing' : 'series.skipConflicts')}
          </label>
        ))}
      </fieldset>
      <h3 id="occurrences-title" className="small-heading">
        {t('series.preview', { n: Math.min(preview.length, MAX_OCCURRENCES) })}
      </h3>
      {tooMany && <p className="conflict">{t('series.tooMany', { max: MAX_OCCURRENCES })}</p>}
      <ol className="occurrences" aria-labelledby="occurrences-title" tabIndex={0}>
        {(answers ?? preview.map((p) => ({ start: p.start, end: p.end, outcome: null, problems: [] as UserErrorFieldsFragment[] }))).slice(0, MAX_OCCURRENCES).map((o, i) => {
          const start = typeof o.start === 'string' ? DateTime.fromISO(o.start, { setZone: true }) : o.start;
          const end = typeof o.end === 'string' ? DateTime.fromISO(o.end, { setZone: true }) : o.end;
          const ok = o.outcome === 'BOOKED' || o.outcome === 'WOULD_BOOK';
          return (
            <li key={i} className={o.outcome && !ok ? 'occurrence refused' : 'occurrence'} data-outcome={o.outcome ?? 'UNCHECKED'}>
              <span>{spanIn(start, end, viewerZone, language)}</span>
              <span className={o.outcome ? (ok ? 'badge status-confirmed' : 'badge status-cancelled') : 'badge'}>{o.outcome ? outcomeText(o.outcome, t) : t('series.toBeChecked')}</span>
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
