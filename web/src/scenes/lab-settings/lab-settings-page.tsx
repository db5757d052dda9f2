// Lab settings for its managers (and admins): weekly hours, blackouts, closure days and holidays, and each
// instrument's rules, status and own hours; every form is one of the API's lab-settings mutations.
import { DateTime } from 'luxon';
import { useMemo } from 'react';
import { Link } from 'wouter';
import { useQuery } from 'urql';
import { ErrorBox, Loading } from '../../components/error-box';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { useViewer } from '../../viewer';
import { BlackoutsSection } from './blackouts-section';
import { ClosuresSection } from './closures-section';
import { InstrumentSettings } from './instrument-settings';
import { OpeningHoursForm } from './opening-hours-form';

const LabSettingsQuery = graphql(`
  query LabSettings($id: ID!, $now: DateTime!, $today: LocalDate!, $horizon: LocalDate!) {
    lab(id: $id) {
      id
      name
      timeZone
      openingHours {
        weekday
        start
        end
      }
      ...LabBlackouts
      ...LabClosures
      instruments(first: 100) {
        nodes {
          ...InstrumentSettings
        }
      }
    }
  }
`);

const AllLabsQuery = graphql(`
  query AllLabs {
    labs(first: 100) {
      nodes {
        id
        name
        timeZone
      }
    }
  }
`);

/** /labs: the labs the viewer may set up (all, for admins). */
export function LabPicker() {
  const t = useT();
  const viewer = useViewer();
  const [{ data }] = useQuery({ query: AllLabsQuery, pause: !viewer.isAdmin });
  const labs = viewer.isAdmin ? (data?.labs.nodes ?? []) : viewer.managedLabs;
  return (
    <section>
      <h1>{t('settings.labs')}</h1>
      <ul className="plain-list">
        {labs.map((lab) => (
          <li key={lab.id}>
            <Link href={`/labs/${lab.id}/settings`}>{lab.name}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function LabSettingsPage({ id }: { id: string }) {
  const t = useT();
  const variables = useMemo(() => {
    const now = DateTime.now();
    return { id, now: now.toISO()!, today: now.toISODate()!, horizon: now.plus({ days: 180 }).toISODate()! };
  }, [id]);
  const [{ data, error, fetching }, refetch] = useQuery({ query: LabSettingsQuery, variables });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  if (error) return <ErrorBox error={error} retry={reload} />;
  if (!data) return fetching ? <Loading /> : null;
  const lab = data.lab;
  if (!lab) return <p>{t('error.code.NOT_FOUND')}</p>;
  return (
    <section className="lab-settings">
      <h1>{t('settings.title', { name: lab.name })}</h1>
      <p className="muted">{t('settings.zone', { zone: lab.timeZone })}</p>
      <section aria-labelledby="hours-heading" className="card">
        <h2 id="hours-heading">{t('settings.hours.title')}</h2>
        <OpeningHoursForm key={JSON.stringify(lab.openingHours)} target={{ labId: lab.id }} windows={lab.openingHours} idPrefix="lab-hours" />
      </section>
      <section aria-labelledby="blackouts-heading" className="card">
        <h2 id="blackouts-heading">{t('settings.blackouts.title')}</h2>
        <BlackoutsSection lab={lab} onChanged={reload} />
      </section>
      <section aria-labelledby="closures-heading" className="card">
        <h2 id="closures-heading">{t('settings.closures.title')}</h2>
        <ClosuresSection lab={lab} onChanged={reload} />
      </section>
      <section aria-labelledby="instruments-heading">
        <h2 id="instruments-heading">{t('settings.instruments')}</h2>
        {lab.instruments.nodes.map((i) => (
          <InstrumentSettings key={i.id} instrument={i} />
        ))}
      </section>
    </section>
  );
}
