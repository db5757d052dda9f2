// Find instruments: filters live in the URL (shareable, and the home page's search box lands here), the catalogue
// query and the API's free-window search run on the same `instruments` field.
import { DateTime } from 'luxon';
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { useQuery } from 'urql';
import { ErrorBox, Loading } from '../../components/error-box';
import { graphql } from '../../gql';
import type { InstrumentFilter } from '../../gql/graphql';
import { useLanguage, useT } from '../../i18n';
import { toApi } from '../../time';
import { useViewer } from '../../viewer';
import { countryName } from './countries';
import { InstrumentCard } from './instrument-card';

const LabsQuery = graphql(`
  query FindLabs {
    labs(first: 100) {
      nodes {
        id
        name
        countryCode
      }
    }
  }
`);

const FindQuery = graphql(`
  query FindInstruments($filter: InstrumentFilter, $after: String) {
    instruments(filter: $filter, first: 30, after: $after) {
      nodes {
        ...InstrumentCard
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const FIELDS = ['q', 'country', 'lab', 'category', 'kind', 'hours', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];
type Filters = Record<Field, string>;

function filtersFrom(search: string): Filters {
  const params = new URLSearchParams(search);
  return Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Filters;
}

/** The API filter: free-window dates are whole days in the viewer's zone, from the first day's start to the last day's end. */
function apiFilter(f: Filters, zone: string): InstrumentFilter {
  const filter: InstrumentFilter = {};
  if (f.q) filter.search = f.q;
  if (f.country) filter.country = f.country;
  if (f.lab) filter.labId = f.lab;
  if (f.category) filter.category = f.category;
  if (f.kind === 'INSTRUMENT' || f.kind === 'FACILITY') filter.kind = f.kind;
  const hours = Number(f.hours);
  if (hours > 0 && f.from && f.to) {
    filter.freeFrom = toApi(DateTime.fromISO(f.from, { zone }).startOf('day'));
    filter.freeTo = toApi(DateTime.fromISO(f.to, { zone }).plus({ days: 1 }).startOf('day'));
    filter.minMinutes = Math.round(hours * 60);
  }
  return filter;
}

export default function FindPage() {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const search = useSearch();
  const [, navigate] = useLocation();
  const applied = useMemo(() => filtersFrom(search), [search]);
  const [form, setForm] = useState<Filters>(() => {
    const today = DateTime.now().setZone(viewer.timeZone);
    return { ...applied, from: applied.from || today.toISODate()!, to: applied.to || today.plus({ days: 7 }).toISODate()! };
  });
  const filter = useMemo(() => apiFilter(applied, viewer.timeZone), [applied, viewer.timeZone]);
  const [labs] = useQuery({ query: LabsQuery });
  // One entry per page shown: null for the first, then each page's end cursor ("Show more").
  const [pages, setPages] = useState<(string | null)[]>([null]);
  useEffect(() => setPages([null]), [filter]);

  const countries = useMemo(
    () => [...new Set((labs.data?.labs.nodes ?? []).map((l) => l.countryCode))].sort((a, b) => countryName(a, language).localeCompare(countryName(b, language), language)),
    [labs.data, language],
  );
  const set = (field: Field) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));

  return (
    <section>
      <h1>{t('find.title')}</h1>
      <form
        className="filters card"
        aria-label={t('find.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          const params = new URLSearchParams();
          for (const f of FIELDS) if (form[f] && (f !== 'from' && f !== 'to' ? true : Number(form.hours) > 0)) params.set(f, form[f]);
          navigate(`/find?${params.toString()}`);
        }}
      >
        <div className="field">
          <label htmlFor="f-q">{t('find.text')}</label>
          <input id="f-q" type="search" value={form.q} onChange={set('q')} />
        </div>
        <div className="field">
          <label htmlFor="f-country">{t('find.country')}</label>
          <select id="f-country" value={form.country} onChange={set('country')}>
            <option value="">{t('find.any')}</option>
            {countries.map((c) => (
              <option key={c} value={c}>
                {countryName(c, language)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-lab">{t('find.lab')}</label>
          <select id="f-lab" value={form.lab} onChange={set('lab')}>
            <option value="">{t('find.any')}</option>
            {(labs.data?.labs.nodes ?? [])
              .filter((l) => !form.country || l.countryCode === form.country)
              .map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-category">{t('find.category')}</label>
          <input id="f-category" value={form.category} onChange={set('category')} placeholder="cryo-em" />
        </div>
        <div className="field">
          <label htmlFor="f-kind">{t('find.kind')}</label>
          <select id="f-kind" value={form.kind} onChange={set('kind')}>
            <option value="">{t('find.any')}</option>
            <option value="INSTRUMENT">{t('kind.INSTRUMENT')}</option>
            <option value="FACILITY">{t('kind.FACILITY')}</option>
          </select>
        </div>
        <fieldset className="free-window">
          <legend>{t('find.freeLegend')}</legend>
          <div className="field">
            <label htmlFor="f-hours">{t('find.hours')}</label>
            <input id="f-hours" type="number" min="0.5" max="336" step="0.5" value={form.hours} onChange={set('hours')} />
          </div>
          <div className="field">
            <label htmlFor="f-from">{t('find.from')}</label>
            <input id="f-from" type="date" value={form.from} onChange={set('from')} />
          </div>
          <div className="field">
            <label htmlFor="f-to">{t('find.to')}</label>
            <input id="f-to" type="date" value={form.to} onChange={set('to')} />
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary">
            {t('find.submit')}
          </button>
        </div>
      </form>
      {pages.map((after, i) => (
        <ResultsPage key={after ?? 'first'} filter={filter} after={after} last={i === pages.length - 1} onMore={(cursor) => setPages((p) => [...p, cursor])} />
      ))}
    </section>
  );
}

function ResultsPage({ filter, after, last, onMore }: { filter: InstrumentFilter; after: string | null; last: boolean; onMore(cursor: string): void }) {
  const t = useT();
  const [{ data, error, fetching }, refetch] = useQuery({ query: FindQuery, variables: { filter, after } });
  // eslint-disable-next-line react-hooks/exhaustive-deps -- 'now' is read again whenever new data arrives
  const now = useMemo(() => DateTime.now(), [data]);
  if (error) return <ErrorBox error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!data) return fetching ? <Loading /> : null;
  const { nodes, pageInfo } = data.instruments;
  return (
    <>
      {after === null && (
        <p role="status" className="muted">
          {t(pageInfo.hasNextPage ? 'find.countMore' : 'find.count', { count: nodes.length })}
        </p>
      )}
      <div className="results">
        {nodes.map((i) => (
          <InstrumentCard key={i.id} instrument={i} now={now} />
        ))}
      </div>
      {last && pageInfo.hasNextPage && pageInfo.endCursor && (
        <div className="actions">
          <button type="button" onClick={() => onMore(pageInfo.endCursor!)}>
            {t('find.more')}
          </button>
        </div>
      )}
    </>
  );
}
