// Usage of a lab's instruments for a chosen period: hours booked and used, utilisation against opening hours,
// bookings and no-shows, by instrument, by the bookers' institution and by their country (the API's usageSummary),
// as charts and tables; the usage logs with filters; both as CSV. The period is lab-local dates, both included.
import { DateTime } from 'luxon';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { useQuery } from 'urql';
import { ErrorBox, Loading } from '../../components/error-box';
import { graphql } from '../../gql';
import type { UsageSummaryFieldsFragment } from '../../gql/graphql';
import { useLanguage, useT, type MessageId } from '../../i18n';
import { parse } from '../../time';
import { useViewer } from '../../viewer';
import { countryName } from '../find/countries';
import { toCsv, type Cell } from './csv';
import { download } from './download';

const UsageChart = lazy(() => import('./usage-chart'));

export const UsageSummaryFields = graphql(`
  fragment UsageSummaryFields on UsageSummary {
    rows {
      key
      label
      countryCode
      hoursBooked
      hoursUsed
      bookings
      noShows
      openHours
      utilisation
    }
    totals {
      hoursBooked
      hoursUsed
      bookings
      noShows
      openHours
      utilisation
    }
  }
`);

const UsageQuery = graphql(`
  query Usage($labId: ID!, $from: DateTime!, $to: DateTime!, $logs: UsageLogFilter!) {
    lab(id: $labId) {
      id
      name
      timeZone
    }
    byInstrument: usageSummary(labId: $labId, from: $from, to: $to, groupBy: INSTRUMENT) {
      ...UsageSummaryFields
    }
    byInstitution: usageSummary(labId: $labId, from: $from, to: $to, groupBy: INSTITUTION) {
      ...UsageSummaryFields
    }
    byCountry: usageSummary(labId: $labId, from: $from, to: $to, groupBy: COUNTRY) {
      ...UsageSummaryFields
    }
    usageLogs(filter: $logs, first: 100) {
      nodes {
        id
        outcome
        start
        end
        bookedMinutes
        usedMinutes
        instrument {
          id
          name
        }
        user {
          id
          name
        }
        institution {
          id
          name
          countryCode
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const UsageLabsQuery = graphql(`
  query UsageLabs {
    labs(first: 100) {
      nodes {
        id
        name
        timeZone
      }
    }
  }
`);

type Grouping = 'byInstrument' | 'byInstitution' | 'byCountry';
const GROUPINGS: Grouping[] = ['byInstrument', 'byInstitution', 'byCountry'];
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export default function UsagePage() {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const [{ data: allLabs }] = useQuery({ query: UsageLabsQuery, pause: !viewer.isAdmin });
  const labs = viewer.isAdmin ? (allLabs?.labs.nodes ?? []) : viewer.managedLabs;
  const labId = search.get('lab') ?? labs[0]?.id ?? '';
  const lab = labs.find((l) => l.id === labId);
  const zone = lab?.timeZone ?? viewer.timeZone;
  const today = DateTime.now().setZone(zone).toISODate()!;
  const from = search.get('from') ?? DateTime.now().setZone(zone).minus({ days: 29 }).toISODate()!;
  const to = search.get('to') ?? today;
  const [instrumentId, setInstrumentId] = useState('');
  const [institutionId, setInstitutionId] = useState('');

  const variables = useMemo(() => {
    const start = DateTime.fromISO(from, { zone }).startOf('day');
    const end = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day');
    const range = { from: start.toISO()!, to: end.toISO()! };
    return { labId, ...range, logs: { labId, ...range, instrumentId: instrumentId || null, institutionId: institutionId || null } };
  }, [labId, from, to, zone, instrumentId, institutionId]);
  const [{ data, error, fetching }, refetch] = useQuery({ query: UsageQuery, variables, pause: !labId || !lab });

  const number = (n: number) => new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(n);
  const percent = (n: number | null | undefined) => (n === null || n === undefined ? '—' : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(n));
  const labelOf = (grouping: Grouping, row: { label: string; countryCode?: string | null }) =>
    grouping === 'byCountry' && row.countryCode ? countryName(row.countryCode, language) : row.label;

  function setPeriod(form: HTMLFormElement) {
    const values = new FormData(form);
    const params = new URLSearchParams({ lab: String(values.get('lab')), from: String(values.get('from')), to: String(values.get('to')) });
    navigate(`/usage?${params.toString()}`);
  }

  function summaryCsv() {
    if (!data) return;
    const rows: Cell[][] = [['group', 'key', 'label', 'hours_booked', 'hours_used', 'bookings', 'no_shows', 'open_hours', 'utilisation']];
    for (const grouping of GROUPINGS) {
      const summary = data[grouping] as UsageSummaryFieldsFragment;
      for (const r of summary.rows) {
        rows.push([grouping.slice(2).toLowerCase(), r.key, labelOf(grouping, r), round(r.hoursBooked), round(r.hoursUsed), r.bookings, r.noShows, round(r.openHours), r.utilisation === null || r.utilisation === undefined ? null : round(r.utilisation, 4)]);
      }
    }
    const tot = data.byInstrument.totals;
    rows.push(['total', '', data.lab?.name ?? '', round(tot.hoursBooked), round(tot.hoursUsed), tot.bookings, tot.noShows, round(tot.openHours), tot.utilisation === null || tot.utilisation === undefined ? null : round(tot.utilisation, 4)]);
    download(`usage-${labId}-${from}-${to}.csv`, toCsv(rows));
  }

  function logsCsv() {
    if (!data) return;
    const rows: Cell[][] = [['start', 'end', 'instrument', 'user', 'institution', 'country', 'outcome', 'booked_minutes', 'used_minutes']];
    for (const l of data.usageLogs.nodes) {
      rows.push([parse(l.start, zone).toISO(), parse(l.end, zone).toISO(), l.instrument.name, l.user.name, l.institution.name, l.institution.countryCode, l.outcome, l.bookedMinutes, l.usedMinutes]);
    }
    download(`usage-logs-${labId}-${from}-${to}.csv`, toCsv(rows));
  }

  return (
    <section className="usage">
      <h1>{t('usage.title')}</h1>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod(e.currentTarget);
        }}
      >
        <div className="field">
          <label htmlFor="usage-lab">{t('usage.lab')}</label>
          <select id="usage-lab" name="lab" defaultValue={labId} key={labId}>
            {labs.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="usage-from">{t('usage.from')}</label>
          <input id="usage-from" name="from" type="date" defaultValue={from} key={`f${from}`} required />
        </div>
        <div className="field">
          <label htmlFor="usage-to">{t('usage.to')}</label>
          <input id="usage-to" name="to" type="date" defaultValue={to} key={`t${to}`} required />
        </div>
        <button type="submit" className="primary">
          {t('usage.show')}
        </button>
      </form>
      {lab && <p className="muted">{t('usage.period', { zone: lab.timeZone })}</p>}
      {error && <ErrorBox error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {!data && fetching && <Loading />}
      {data && (
        <>
          <section aria-labelledby="totals-heading" className="card totals">
            <h2 id="totals-heading">{t('usage.totals')}</h2>
            <dl className="facts">
              <dt>{t('usage.hoursBooked')}</dt>
              <dd data-figure="hoursBooked">{number(data.byInstrument.totals.hoursBooked)}</dd>
              <dt>{t('usage.hoursUsed')}</dt>
              <dd data-figure="hoursUsed">{number(data.byInstrument.totals.hoursUsed)}</dd>
              <dt>{t('usage.utilisation')}</dt>
              <dd data-figure="utilisation">{percent(data.byInstrument.totals.utilisation)}</dd>
              <dt>{t('usage.bookings')}</dt>
              <dd data-figure="bookings">{data.byInstrument.totals.bookings}</dd>
              <dt>{t('usage.noShows')}</dt>
              <dd data-figure="noShows">{data.byInstrument.totals.noShows}</dd>
              <dt>{t('usage.openHours')}</dt>
              <dd data-figure="openHours">{number(data.byInstrument.totals.openHours)}</dd>
            </dl>
            <button type="button" onClick={summaryCsv}>
              {t('usage.exportSummary')}
            </button>
          </section>
          {GROUPINGS.map((grouping) => {
            const summary = data[grouping] as UsageSummaryFieldsFragment;
            const title = t(`usage.${grouping}` as MessageId);
            return (
              <section key={grouping} aria-labelledby={`${grouping}-heading`} className="card">
                <h2 id={`${grouping}-heading`}>{title}</h2>
                {summary.rows.length > 0 && (
                  <Suspense fallback={<Loading />}>
                    <UsageChart
                      rows={summary.rows.map((r) => ({ label: labelOf(grouping, r), hoursBooked: r.hoursBooked, hoursUsed: r.hoursUsed }))}
                      title={t('usage.chart', { what: title })}
                      booked={t('usage.hoursBooked')}
                      used={t('usage.hoursUsed')}
                      locale={language}
                    />
                  </Suspense>
                )}
                <div className="table-scroll">
                  <table className="figures" id={`${grouping}-table`}>
                    <thead>
                      <tr>
                        <th scope="col">{t(`usage.column.${grouping}` as MessageId)}</th>
                        <th scope="col">{t('usage.hoursBooked')}</th>
                        <th scope="col">{t('usage.hoursUsed')}</th>
                        <th scope="col">{t('usage.bookings')}</th>
                        <th scope="col">{t('usage.noShows')}</th>
                        <th scope="col">{t('usage.openHours')}</th>
                        <th scope="col">{t('usage.utilisation')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {summary.rows.map((r) => (
                        <tr key={r.key}>
                          <th scope="row">{labelOf(grouping, r)}</th>
                          <td>{number(r.hoursBooked)}</td>
                          <td>{number(r.hoursUsed)}</td>
                          <td>{r.bookings}</td>
                          <td>{r.noShows}</td>
                          <td>{number(r.openHours)}</td>
                          <td>{percent(r.utilisation)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            );
          })}
          <section aria-labelledby="logs-heading" className="card">
            <h2 id="logs-heading">{t('usage.logs')}</h2>
            <div className="inline-form">
              <div className="field">
                <label htmlFor="logs-instrument">{t('usage.column.byInstrument')}</label>
                <select id="logs-instrument" value={instrumentId} onChange={(e) => setInstrumentId(e.target.value)}>
                  <option value="">{t('usage.all')}</option>
                  {data.byInstrument.rows.map((r) => (
                    <option key={r.key} value={r.key}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="logs-institution">{t('usage.column.byInstitution')}</label>
                <select id="logs-institution" value={institutionId} onChange={(e) => setInstitutionId(e.target.value)}>
                  <option value="">{t('usage.all')}</option>
                  {data.byInstitution.rows.map((r) => (
                    <option key={r.key} value={r.key}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" onClick={logsCsv}>
                {t('usage.exportLogs')}
              </button>
            </div>
            {data.usageLogs.pageInfo.hasNextPage && <p className="muted">{t('usage.logsMore')}</p>}
            <div className="table-scroll">
              <table className="figures" id="logs-table">
                <thead>
                  <tr>
                    <th scope="col">{t('usage.logStart')}</th>
                    <th scope="col">{t('usage.column.byInstrument')}</th>
                    <th scope="col">{t('usage.logUser')}</th>
                    <th scope="col">{t('usage.column.byInstitution')}</th>
                    <th scope="col">{t('usage.logOutcome')}</th>
                    <th scope="col">{t('usage.logBooked')}</th>
                    <th scope="col">{t('usage.logUsed')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.usageLogs.nodes.map((l) => (
                    <tr key={l.id}>
                      <td>{parse(l.start, zone).setLocale(language).toLocaleString(DateTime.DATETIME_MED)}</td>
                      <td>{l.instrument.name}</td>
                      <td>{l.user.name}</td>
                      <td>
                        {l.institution.name} · {countryName(l.institution.countryCode, language)}
                      </td>
                      <td>{t(`status.${l.outcome}` as MessageId)}</td>
                      <td>{l.bookedMinutes}</td>
                      <td>{l.usedMinutes}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </section>
  );
}
