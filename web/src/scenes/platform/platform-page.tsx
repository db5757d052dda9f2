// The platform admins' page: per institution, its labs' instruments, partner API keys and webhooks; links to the queue dashboard and
// the metrics, which the server serves itself.
import { useLocation, useSearch } from 'wouter';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { useT } from '../../i18n';
import { useViewer } from '../../viewer';
import { ApiKeysSection } from './api-keys-section';
import { IdentityProvidersSection } from './identity-providers-section';
import { InstitutionsSection } from './institutions-section';
import { InstrumentsSection } from './instruments-section';
import { LabsSection } from './labs-section';
import { WebhooksSection } from './webhooks-section';

const InstitutionsQuery = graphql(`
  query PlatformInstitutions {
    institutions(first: 100) {
      nodes {
        id
        name
        countryCode
        timeZone
      }
    }
  }
`);

export default function PlatformPage() {
  const t = useT();
  const viewer = useViewer();
  const [{ data }, refetch] = useQuery({ query: InstitutionsQuery, pause: !viewer.isAdmin });
  // The institution is in the address, so a reload or a shared link shows the same one.
  const chosen = new URLSearchParams(useSearch()).get('institution') ?? '';
  const [, navigate] = useLocation();
  if (!viewer.isAdmin) return <p>{t('error.code.FORBIDDEN')}</p>;
  const institutions = data?.institutions.nodes ?? [];
  const institutionId = chosen || institutions[0]?.id || '';
  return (
    <section className="platform">
      <h1>{t('platform.title')}</h1>
      <ul className="plain-list links">
        <li>
          <a href="/admin/queues">{t('platform.queues')}</a>
        </li>
        <li>
          <a href="/metrics">{t('platform.metrics')}</a>
        </li>
      </ul>
      <div className="field">
        <label htmlFor="institution">{t('platform.institution')}</label>
        <select id="institution" value={institutionId} onChange={(e) => navigate(`/platform?institution=${encodeURIComponent(e.target.value)}`, { replace: true })}>
          {institutions.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name} ({i.countryCode})
            </option>
          ))}
        </select>
      </div>
      <section aria-labelledby="institutions-heading" className="card">
        <h2 id="institutions-heading">{t('platform.institutions.title')}</h2>
        <InstitutionsSection
          chosen={institutions.find((i) => i.id === institutionId)}
          key={`s${institutionId}`}
          onSaved={(id) => {
            refetch({ requestPolicy: 'network-only' });
            navigate(`/platform?institution=${encodeURIComponent(id)}`, { replace: true });
          }}
        />
      </section>
      {institutionId && (
        <>
          <section aria-labelledby="idp-heading" className="card">
            <h2 id="idp-heading">{t('platform.idp.title')}</h2>
            <IdentityProvidersSection institutionId={institutionId} key={`i${institutionId}`} />
          </section>
          <section aria-labelledby="labs-heading" className="card">
            <h2 id="labs-heading">{t('platform.labs.title')}</h2>
            <LabsSection institutionId={institutionId} key={`l${institutionId}`} />
          </section>
          <section aria-labelledby="instruments-heading" className="card">
            <h2 id="instruments-heading">{t('platform.instruments.title')}</h2>
            <InstrumentsSection institutionId={institutionId} key={`n${institutionId}`} />
          </section>
          <section aria-labelledby="keys-heading" className="card">
            <h2 id="keys-heading">{t('platform.keys.title')}</h2>
            <ApiKeysSection institutionId={institutionId} key={`k${institutionId}`} />
          </section>
          <section aria-labelledby="hooks-heading" className="card">
            <h2 id="hooks-heading">{t('platform.hooks.title')}</h2>
            <WebhooksSection institutionId={institutionId} key={`w${institutionId}`} />
          </section>
        </>
      )}
    </section>
  );
}
