// Days the lab is closed: public holidays (observed or not, and the region) with the coming ones by name, closure
// days added by hand, and an .ics import that first previews (the API's dryRun) what it would close.
import { useState } from 'react';
import { useMutation } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { LabClosuresFragment, UserErrorFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT, type MessageId } from '../../i18n';
import { parse } from '../../time';

export const LabClosuresFields = graphql(`
  fragment LabClosures on Lab {
    id
    timeZone
    countryCode
    observesPublicHolidays
    holidayRegion
    holidays(from: $today, to: $horizon) {
      date
      kind
      reason
      start
    }
  }
`);

const SetPublicHolidays = graphql(`
  mutation SetPublicHolidays($input: SetPublicHolidaysInput!) {
    setPublicHolidays(input: $input) {
      lab {
        id
        observesPublicHolidays
        holidayRegion
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const AddClosureDays = graphql(`
  mutation AddClosureDays($input: AddClosureDaysInput!) {
    addClosureDays(input: $input) {
      days
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const ImportClosures = graphql(`
  mutation ImportClosures($input: ImportClosuresInput!) {
    importClosures(input: $input) {
      days
      preview {
        date
        reason
        start
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export function ClosuresSection({ lab, onChanged }: { lab: LabClosuresFragment; onChanged(): void }) {
  const t = useT();
  const { language } = useLanguage();
  const [observes, setObserves] = useState(lab.observesPublicHolidays);
  const [region, setRegion] = useState(lab.holidayRegion ?? '');
  const [day, setDay] = useState('');
  const [reason, setReason] = useState('');
  const [ics, setIcs] = useState<{ name: string; text: string } | null>(null);
  const [preview, setPreview] = useState<{ date: string; reason: string; start: string }[] | null>(null);
  const [imported, setImported] = useState<number | null>(null);
  const [holidayErrors, setHolidayErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [dayErrors, setDayErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [icsErrors, setIcsErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [, setHolidays] = useMutation(SetPublicHolidays);
  const [, addDays] = useMutation(AddClosureDays);
  const [, importIcs] = useMutation(ImportClosures);
  const holidayFields = byField(holidayErrors, ['holidayRegion']);
  const dayFields = byField(dayErrors, ['days', 'reason']);
  const dateOf = (start: string) => parse(start, lab.timeZone).setLocale(language).toLocaleString({ weekday: 'short', day: 'numeric', month: 'long', year: 'numeric' });

  return (
    <div>
      <form
        className="stack-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = (await setHolidays({ input: { labId: lab.id, observesPublicHolidays: observes, holidayRegion: region.trim() || null } })).data?.setPublicHolidays;
          setHolidayErrors(answer?.errors ?? []);
          if (answer && answer.errors.length === 0) onChanged();
        }}
      >
        <h3>{t('settings.holidays.title')}</h3>
        <div className="check">
          <input id="observes" type="checkbox" checked={observes} onChange={(e) => setObserves(e.target.checked)} />
          <label htmlFor="observes">{t('settings.holidays.observes')}</label>
        </div>
        <div className="field">
          <label htmlFor="holiday-region">{t('settings.holidays.region', { country: lab.countryCode })}</label>
          <input id="holiday-region" value={region} onChange={(e) => setRegion(e.target.value)} maxLength={10} />
          <FieldErrors errors={holidayFields.of('holidayRegion')} />
        </div>
        <button type="submit">{t('settings.save')}</button>
        <div role="alert">
          <FieldErrors errors={holidayFields.rest} />
        </div>
      </form>

      <h3>{t('settings.holidays.coming')}</h3>
      {lab.holidays.length === 0 ? (
        <p className="muted">{t('settings.holidays.noneComing')}</p>
      ) : (
        <ul className="plain-list">
          {lab.holidays.map((h) => (
            <li key={`${h.date}-${h.kind}`}>
              {dateOf(h.start)} · {h.reason} <span className="badge">{t(`closedDay.${h.kind}` as MessageId)}</span>
            </li>
          ))}
        </ul>
      )}

      <form
        className="stack-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const answer = (await addDays({ input: { labId: lab.id, days: day ? [day] : [], reason } })).data?.addClosureDays;
          setDayErrors(answer?.errors ?? []);
          if (answer && answer.errors.length === 0) {
            setDay('');
            onChanged();
          }
        }}
      >
        <h3>{t('settings.closures.add')}</h3>
        <div className="field">
          <label htmlFor="closure-day">{t('settings.closures.day')}</label>
          <input id="closure-day" type="date" value={day} onChange={(e) => setDay(e.target.value)} required />
          <FieldErrors errors={dayFields.of('days')} />
        </div>
        <div className="field">
          <label htmlFor="closure-reason">{t('settings.closures.reason')}</label>
          <input id="closure-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
          <FieldErrors errors={dayFields.of('reason')} />
        </div>
        <button type="submit">{t('settings.closures.close')}</button>
        <div role="alert">
          <FieldErrors errors={dayFields.rest} />
        </div>
      </form>

      <form
        className="stack-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!ics || !preview) return;
          const answer = (await importIcs({ input: { labId: lab.id, ics: ics.text } })).data?.importClosures;
          setIcsErrors(answer?.errors ?? []);
          if (answer && answer.errors.length === 0) {
            setImported(answer.days.length);
            setPreview(null);
            onChanged();
          }
        }}
      >
        <h3>{t('settings.ics.title')}</h3>
        <div className="field">
          <label htmlFor="ics-file">{t('settings.ics.file')}</label>
          <input
            id="ics-file"
            type="file"
            accept=".ics,text/calendar"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              setPreview(null);
              setImported(null);
              if (!file) return;
              const text = await file.text();
              setIcs({ name: file.name, text });
              // Nothing is closed yet: the API reads the file as the import would and says what it would close.
              const answer = (await importIcs({ input: { labId: lab.id, ics: text, dryRun: true } })).data?.importClosures;
              setIcsErrors(answer?.errors ?? []);
              if (answer && answer.errors.length === 0) setPreview(answer.preview ?? []);
            }}
          />
        </div>
        <div role="status">
          {preview && (
            <div className="preview">
              <table>
                <caption className="strong">{t('settings.ics.preview', { count: preview.length, name: ics?.name ?? '' })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('settings.closures.day')}</th>
                    <th scope="col">{t('settings.closures.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.map((p) => (
                    <tr key={p.date}>
                      <td>{dateOf(p.start)}</td>
                      <td>{p.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {imported !== null && <p>{t('settings.ics.imported', { count: imported })}</p>}
        </div>
        {preview && preview.length > 0 && (
          <button type="submit" className="primary">
            {t('settings.ics.import', { count: preview.length })}
          </button>
        )}
        <div role="alert">
          <FieldErrors errors={icsErrors} />
        </div>
      </form>
    </div>
  );
}
