// One search result: what it is, where, the lab's local time now, and what booking it needs.
import { DateTime } from 'luxon';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import type { InstrumentCardFragment } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n';
import { offsetName, timeOf } from '../../time';
import { countryName } from './countries';

export const InstrumentCardFields = graphql(`
  fragment InstrumentCard on Instrument {
    id
    name
    kind
    category
    status
    requiresApproval
    accessPolicy
    lab {
      id
      name
      countryCode
      timeZone
    }
  }
`);

export function InstrumentCard({ instrument, now }: { instrument: InstrumentCardFragment; now: DateTime }) {
  const t = useT();
  const { language } = useLanguage();
  const labNow = now.setZone(instrument.lab.timeZone);
  return (
    <article className="card result" aria-labelledby={`instrument-${instrument.id}`}>
      <h2 id={`instrument-${instrument.id}`}>
        <Link href={`/instruments/${instrument.id}`}>{instrument.name}</Link>
      </h2>
      <p className="muted">
        {t(instrument.kind === 'FACILITY' ? 'kind.FACILITY' : 'kind.INSTRUMENT')} · {instrument.category}
      </p>
      <p>
        {instrument.lab.name} · {countryName(instrument.lab.countryCode, language)}
      </p>
      <p className="muted">{t('find.labTimeNow', { time: timeOf(labNow, language), offset: offsetName(labNow) })}</p>
      <p className="tags">
        {instrument.requiresApproval ? <span className="badge status-pending">{t('find.needsApproval')}</span> : <span className="badge status-confirmed">{t('find.instant')}</span>}
        {instrument.accessPolicy === 'QUALIFIED' && <span className="badge">{t('find.needsQualification')}</span>}
        {instrument.accessPolicy === 'MEMBERS' && <span className="badge">{t('find.membersOnly')}</span>}
        {instrument.status !== 'AVAILABLE' && <span className="badge status-cancelled">{t(instrument.status === 'MAINTENANCE' ? 'instrument.maintenance' : 'instrument.retired')}</span>}
      </p>
    </article>
  );
}
