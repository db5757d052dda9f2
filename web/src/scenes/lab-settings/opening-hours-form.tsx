// A week grid of opening windows (lab-local wall-clock time): several windows a day, 24:00 for the end of a day, and
// an overnight run as a window to 24:00 followed by one from 00:00 the next day. Saves the whole week at once, for
// the lab or as one instrument's own hours; the API's errors appear beside the window they name.
import { useState } from 'react';
import { useMutation } from 'urql';
import { FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { UserErrorFieldsFragment, Weekday } from '../../gql/graphql';
import { useT, type MessageId } from '../../i18n';

export const WEEKDAYS: Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

const SetLabHours = graphql(`
  mutation SetLabOpeningHours($input: SetLabOpeningHoursInput!) {
    setLabOpeningHours(input: $input) {
      lab {
        id
        openingHours {
          weekday
          start
          end
        }
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const SetInstrumentHours = graphql(`
  mutation SetInstrumentOpeningHours($input: SetInstrumentOpeningHoursInput!) {
    setInstrumentOpeningHours(input: $input) {
      instrument {
        id
        hasOwnOpeningHours
        openingHours {
          weekday
          start
          end
        }
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const ClearInstrumentHours = graphql(`
  mutation ClearInstrumentOpeningHours($id: ID!) {
    clearInstrumentOpeningHours(instrumentId: $id) {
      instrument {
        id
        hasOwnOpeningHours
        openingHours {
          weekday
          start
          end
        }
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

interface Window {
  weekday: Weekday;
  start: string;
  end: string;
}

type Target = { labId: string } | { instrumentId: string; own: boolean };

export function OpeningHoursForm({ target, windows, idPrefix }: { target: Target; windows: readonly Window[]; idPrefix: string }) {
  const t = useT();
  const [week, setWeek] = useState<Window[]>(() => windows.map((w) => ({ weekday: w.weekday, start: w.start, end: w.end })));
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [saved, setSaved] = useState(false);
  const [, setLab] = useMutation(SetLabHours);
  const [, setInstrument] = useMutation(SetInstrumentHours);
  const [, clearInstrument] = useMutation(ClearInstrumentHours);

  // The API names a window by its index in the list sent, which is the order of `week`.
  const errorsOf = (i: number) => errors.filter((e) => e.field?.startsWith(`windows[${i}]`));
  const rest = errors.filter((e) => !e.field?.startsWith('windows['));
  const change = (i: number, patch: Partial<Window>) => {
    setSaved(false);
    setWeek((all) => all.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  };

  async function save() {
    const input = week.map((w) => ({ weekday: w.weekday, start: w.start.trim(), end: w.end.trim() }));
    const answer =
      'labId' in target
        ? (await setLab({ input: { labId: target.labId, windows: input } })).data?.setLabOpeningHours
        : (await setInstrument({ input: { instrumentId: target.instrumentId, windows: input } })).data?.setInstrumentOpeningHours;
    setErrors(answer?.errors ?? [{ code: 'BAD_INPUT', field: null, message: '' }]);
    setSaved(Boolean(answer && answer.errors.length === 0));
  }

  return (
    <form
      className="week-grid"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted">{t('settings.hours.hint')}</p>
      {WEEKDAYS.map((day) => (
        <fieldset key={day} className="day-row">
          <legend>{t(`weekday.${day}` as MessageId)}</legend>
          {week.every((w) => w.weekday !== day) && <span className="muted">{t('settings.hours.closed')}</span>}
          {week.map((w, i) =>
            w.weekday === day ? (
              <div key={i} className="window">
                <label htmlFor={`${idPrefix}-${i}-start`}>{t('settings.hours.opens')}</label>
                <input id={`${idPrefix}-${i}-start`} value={w.start} onChange={(e) => change(i, { start: e.target.value })} inputMode="numeric" pattern="\d\d:\d\d" size={5} />
                <label htmlFor={`${idPrefix}-${i}-end`}>{t('settings.hours.closes')}</label>
                <input id={`${idPrefix}-${i}-end`} value={w.end} onChange={(e) => change(i, { end: e.target.value })} inputMode="numeric" pattern="\d\d:\d\d" size={5} />
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setSaved(false);
                    setWeek((all) => all.filter((_, j) => j !== i));
                  }}
                >
                  {t('settings.hours.remove')}
                </button>
                <FieldErrors errors={errorsOf(i)} />
              </div>
            ) : null,
          )}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setSaved(false);
              setWeek((all) => [...all, { weekday: day, start: '08:00', end: '17:00' }]);
            }}
          >
            {t('settings.hours.add', { day: t(`weekday.${day}` as MessageId) })}
          </button>
        </fieldset>
      ))}
      <div className="actions">
        <button type="submit" className="primary">
          {t('settings.hours.save')}
        </button>
        {'instrumentId' in target && target.own && (
          <button
            type="button"
            onClick={async () => {
              const answer = (await clearInstrument({ id: target.instrumentId })).data?.clearInstrumentOpeningHours;
              setErrors(answer?.errors ?? []);
              setSaved(Boolean(answer && answer.errors.length === 0));
            }}
          >
            {t('settings.hours.followLab')}
          </button>
        )}
      </div>
      <div role="status">{saved && <p>{t('settings.saved')}</p>}</div>
      <div role="alert">
        <FieldErrors errors={rest} />
      </div>
    </form>
  );
}
