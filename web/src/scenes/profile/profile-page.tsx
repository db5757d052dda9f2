// Profile: display name, time zone (any IANA zone, the browser's offered as a suggestion) and language; which e-mail
// reminders to get and, for lab managers, approval requests one by one or as a morning digest.
import { DateTime } from 'luxon';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { byField, FieldErrors } from '../../components/user-errors';
import { graphql } from '../../gql';
import type { ApprovalMail, Reminder, UserErrorFieldsFragment } from '../../gql/graphql';
import { LANGUAGES, supportedLanguage, useLanguage, useT } from '../../i18n';
import { allZones, browserZone, isValidZone, offsetName } from '../../time';
import { managesLabs, useViewer } from '../../viewer';

const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      user {
        id
        name
        timeZone
        locale
        reminders
        approvalMail
      }
      errors {
        ...UserErrorFields
      }
    }
  }
`);

const EmailPreferencesQuery = graphql(`
  query EmailPreferences {
    me {
      id
      reminders
      approvalMail
    }
  }
`);

const REMINDERS: { value: Reminder; label: 'profile.reminderDayBefore' | 'profile.reminderHourBefore' }[] = [
  { value: 'DAY_BEFORE', label: 'profile.reminderDayBefore' },
  { value: 'HOUR_BEFORE', label: 'profile.reminderHourBefore' },
];
const APPROVAL_MAIL: { value: ApprovalMail; label: 'profile.approvalEach' | 'profile.approvalDigest' }[] = [
  { value: 'EACH_REQUEST', label: 'profile.approvalEach' },
  { value: 'DAILY_DIGEST', label: 'profile.approvalDigest' },
];

export default function ProfilePage() {
  const t = useT();
  const viewer = useViewer();
  const { language, setLanguage } = useLanguage();
  const [name, setName] = useState(viewer.name);
  const [zone, setZone] = useState(viewer.timeZone);
  const [locale, setLocale] = useState(supportedLanguage(viewer.locale));
  const [errors, setErrors] = useState<UserErrorFieldsFragment[]>([]);
  const [saved, setSaved] = useState(false);
  const [{ fetching }, update] = useMutation(UpdateProfileMutation);
  const [{ data: preferences }] = useQuery({ query: EmailPreferencesQuery });
  // Changed on this page, else as stored (null until loaded: nothing is sent for a preference not yet shown).
  const [reminderChoice, setReminderChoice] = useState<Reminder[] | null>(null);
  const [approvalChoice, setApprovalChoice] = useState<ApprovalMail | null>(null);
  const reminders = reminderChoice ?? preferences?.me.reminders ?? null;
  const approvalMail = approvalChoice ?? preferences?.me.approvalMail ?? null;
  const manager = managesLabs(viewer);
  const zones = useMemo(allZones, []);
  const detected = browserZone();
  const zoneValid = isValidZone(zone);
  const { of, rest } = byField(errors, ['name', 'timeZone', 'locale']);

  return (
    <section>
      <h1>{t('profile.title')}</h1>
      <form
        className="card profile"
        onSubmit={async (e) => {
          e.preventDefault();
          setSaved(false);
          if (!zoneValid) return;
          const answer = await update({
            input: { name: name.trim(), timeZone: zone, locale, ...(reminders ? { reminders } : {}), ...(manager && approvalMail ? { approvalMail } : {}) },
          });
          const payload = answer.data?.updateProfile;
          setErrors(payload?.errors ?? [{ code: 'BAD_INPUT', field: null, message: answer.error?.message ?? '' }]);
          if (payload && payload.errors.length === 0) setSaved(true);
        }}
      >
        <div className="field">
          <label htmlFor="p-name">{t('profile.name')}</label>
          <input id="p-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoComplete="name" />
          <FieldErrors errors={of('name')} />
        </div>
        <div className="field">
          <label htmlFor="p-zone">{t('profile.timeZone')}</label>
          <input id="p-zone" list="zones" value={zone} onChange={(e) => setZone(e.target.value)} aria-invalid={!zoneValid} aria-describedby="p-zone-help" autoComplete="off" />
          <datalist id="zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <p id="p-zone-help" className="muted">
            {zoneValid ? t('profile.zoneNow', { offset: offsetName(DateTime.now().setZone(zone)) }) : t('profile.zoneInvalid')}
          </p>
          {detected && detected !== zone && (
            <button type="button" className="link-button" onClick={() => setZone(detected)}>
              {t('profile.useDetected', { zone: detected })}
            </button>
          )}
          <FieldErrors errors={of('timeZone')} />
        </div>
        <div className="field">
          <label htmlFor="p-language">{t('profile.language')}</label>
          <select
            id="p-language"
            value={locale}
            onChange={(e) => {
              setLocale(e.target.value);
              // Shown at once; saved with the form.
              setLanguage(e.target.value);
            }}
          >
            {LANGUAGES.map((l) => (
              <option key={l.tag} value={l.tag} lang={l.tag}>
                {l.name}
              </option>
            ))}
          </select>
          <FieldErrors errors={of('locale')} />
        </div>
        {reminders && (
          <fieldset className="field choices">
            <legend>{t('profile.reminders')}</legend>
            {REMINDERS.map((r) => (
              <div key={r.value} className="choice">
                <input
                  type="checkbox"
                  id={`p-reminder-${r.value}`}
                  checked={reminders.includes(r.value)}
                  onChange={(e) => setReminderChoice(REMINDERS.map((x) => x.value).filter((v) => (v === r.value ? e.target.checked : reminders.includes(v))))}
                />
                <label htmlFor={`p-reminder-${r.value}`}>{t(r.label)}</label>
              </div>
            ))}
            <p className="muted">{t('profile.remindersHint')}</p>
          </fieldset>
        )}
        {manager && approvalMail && (
          <fieldset className="field choices">
            <legend>{t('profile.approvalMail')}</legend>
            {APPROVAL_MAIL.map((a) => (
              <div key={a.value} className="choice">
                <input
                  type="radio"
                  name="approval-mail"
                  id={`p-approval-${a.value}`}
                  checked={approvalMail === a.value}
                  onChange={() => setApprovalChoice(a.value)}
                />
                <label htmlFor={`p-approval-${a.value}`}>{t(a.label)}</label>
              </div>
            ))}
          </fieldset>
        )}
        <div role="alert">
          <FieldErrors errors={rest} />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={fetching}>
            {t('profile.save')}
          </button>
          <span role="status">{saved ? t('profile.saved') : ''}</span>
        </div>
        <p className="muted" hidden={language === locale}>
          {t('profile.languageHint')}
        </p>
      </form>
    </section>
  );
}
