// Scenario 7: the bookings table at 10k, 100k and 1M rows. At each size: the availability p50 (1×7 and 50×14,
// one client, LabShare and the bare path), EXPLAIN and ANALYZE of the overlap query, and the API's RSS.
// Latency must stay flat: the overlap query's index range covers the asked window only, however long the history.
import { DateTime, Interval } from 'luxon';
import { bulkLoader } from '../lib/bulk-load';
import type { BenchContext, Comparison, ScenarioResult, Target } from '../lib/context';
import { medianOfReps, type Pair } from '../lib/compare';
import { round, ratio } from '../lib/stats';
import { HOLDING_BOOKINGS_SQL, holdingBookingsParams } from '../../src/availability/schedules';
import { fiftyInstruments, measureAvailability, startReadServers, window } from './reads';

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];

interface SizeResult {
  rows: number;
  loadSeconds: number;
  oneBySeven: Pair;
  fiftyByFourteen: Pair;
  explain: Record<string, unknown>[];
  rowsExamined: number | null;
  apiRssMaxMb: number;
}

/** The overlap query as src/availability/schedules.ts sends it (its own SQL and parameters), for the given instruments and window. */
function overlapQuery(ids: number[], days: number): { sql: string; params: unknown[] } {
  const range = window(days);
  const interval = Interval.fromDateTimes(DateTime.fromISO(range.from, { zone: 'utc' }), DateTime.fromISO(range.to, { zone: 'utc' }));
  return { sql: HOLDING_BOOKINGS_SQL, params: holdingBookingsParams(ids, interval) };
}

async function explain(ctx: BenchContext, ids: number[], days: number): Promise<{ plan: Record<string, unknown>[]; rowsExamined: number | null }> {
  const { sql, params } = overlapQuery(ids, days);
  const [plan] = await ctx.pool.query(`EXPLAIN ${sql}`, params);
  // ANALYZE runs the statement and reports the rows it actually read (r_rows), not the optimizer's estimate.
  const [analyzed] = await ctx.pool.query(`ANALYZE FORMAT=JSON ${sql}`, params);
  let rowsExamined: number | null = null;
  try {
    const json = JSON.parse(Object.values((analyzed as Record<string, string>[])[0])[0]);
    const table = json.query_block?.table ?? json.query_block?.nested_loop?.[0]?.table;
    rowsExamined = table?.r_rows !== undefined ? Math.round(Number(table.r_rows) * Number(table.r_loops ?? 1)) : null;
  } catch {
    rowsExamined = null;
  }
  return { plan: plan as Record<string, unknown>[], rowsExamined };
}

export async function scale(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const sizes = (process.env.BENCH_SCALE_SIZES ?? (settings.quick ? '10000,100000' : DEFAULT_SIZES.join(','))).split(',').map(Number);
  const reps = settings.quick ? 1 : 3;
  const scaled = { ...ctx, settings: { ...settings, seconds: Math.min(settings.seconds, 3) } };
  // Start from the catalog's own bookings: the write scenarios' rows would already exceed the smallest size.
  await ctx.pool.query('DELETE FROM bookings WHERE instrument_id NOT IN (?)', [ctx.world.catalogInstrumentIds]);
  const loader = await bulkLoader(ctx.pool, ctx.world);
  const servers = await startReadServers(ctx);
  const one = [ctx.world.catalogInstrumentIds[1]];
  const fifty = fiftyInstruments(ctx);
  const results: SizeResult[] = [];
  try {
    for (const rows of sizes) {
      const loadSeconds = await loader.fillTo(rows);
      ctx.log(`scale: bookings table at ${rows.toLocaleString('en')} rows (loaded in ${loadSeconds.toFixed(1)} s)`);
      const oneBySeven = (await measureAvailability(scaled, servers, `scale ${rows} 1×7`, one, 7, 1, { reps })).pair;
      const fiftyByFourteen = (await measureAvailability(scaled, servers, `scale ${rows} 50×14`, fifty, 14, 1, { reps })).pair;
      const { plan, rowsExamined } = await explain(ctx, fifty, 14);
      results.push({
        rows, loadSeconds, oneBySeven, fiftyByFourteen, explain: plan, rowsExamined,
        apiRssMaxMb: Math.max(...[...oneBySeven.labshare, ...fiftyByFourteen.labshare].map((r) => r.rssMaxMb)),
      });
    }
  } finally {
    await servers.stop();
  }

  const first = results[0];
  const last = results[results.length - 1];
  const comparisons: Comparison[] = [];
  for (const r of results) {
    const size = r.rows >= 1_000_000 ? `${r.rows / 1_000_000}M` : `${r.rows / 1000}k`;
    for (const [label, pair] of [['1×7', r.oneBySeven], ['50×14', r.fiftyByFourteen]] as const) {
      const labshare = medianOfReps(pair.labshare, 'p50');
      const baseline = medianOfReps(pair.baseline, 'p50');
      comparisons.push({ metric: `${size} rows: availability ${label} p50`, unit: 'ms', labshare, baseline, ratio: ratio(labshare, baseline), better: 'lower' });
    }
  }
  const growth = (pick: (r: SizeResult) => Pair) => ratio(medianOfReps(pick(last).labshare, 'p50'), medianOfReps(pick(first).labshare, 'p50'));
  const indexUsed = results.every((r) => r.explain.every((row) => row.table !== 'bookings' || row.key === 'bookings_instrument_range'));
  const targets: Target[] = [
    { text: `availability 1×7 p50 at ${last.rows.toLocaleString('en')} rows within 1.5× of ${first.rows.toLocaleString('en')} rows`, met: growth((r) => r.oneBySeven) <= 1.5, measured: `${round(growth((r) => r.oneBySeven))}×` },
    { text: `availability 50×14 p50 at ${last.rows.toLocaleString('en')} rows within 1.5× of ${first.rows.toLocaleString('en')} rows`, met: growth((r) => r.fiftyByFourteen) <= 1.5, measured: `${round(growth((r) => r.fiftyByFourteen))}×` },
    {
      text: 'EXPLAIN: the overlap query uses bookings_instrument_range at every size',
      met: indexUsed,
      measured: results.map((r) => `${r.rows.toLocaleString('en')}: key ${r.explain.find((row) => row.table === 'bookings')?.key}, ${r.rowsExamined ?? '?'} rows read`).join('; '),
    },
  ];
  return {
    name: 'scale',
    title: 'Scale: availability with 10k, 100k and 1M bookings',
    finishedAt: new Date().toISOString(),
    quick: settings.quick,
    reps,
    setup: {
      sizes: sizes.map((s) => s.toLocaleString('en')).join(' → '),
      'filler rows': 'history from 15 days back (9 in 10) and future from 30 days ahead (1 in 10), on the 500 catalog instruments',
      loader: 'INSERT … SELECT from MariaDB seq tables, 100k rows a statement',
      connections: 1,
      'seconds per repetition': scaled.settings.seconds,
    },
    comparisons: [
      ...comparisons,
      ...results.map((r) => ({ metric: `${r.rows.toLocaleString('en')} rows: API RSS under load (max)`, unit: 'MB', labshare: r.apiRssMaxMb, baseline: null, ratio: null, better: 'lower' as const })),
    ],
    figures: {
      sizes: results.map((r) => ({ rows: r.rows, loadSeconds: r.loadSeconds, rowsExamined: r.rowsExamined, explain: r.explain, apiRssMaxMb: r.apiRssMaxMb })),
      explain: last.explain,
      runs: results.map((r) => ({ rows: r.rows, oneBySeven: r.oneBySeven, fiftyByFourteen: r.fiftyByFourteen })),
    },
    targets,
    // The smallest and the largest size, for the before/after table.
    headline: [0, 1, comparisons.length - 2, comparisons.length - 1],
    notes: results.map((r) => `${r.rows.toLocaleString('en')} rows loaded in ${r.loadSeconds.toFixed(1)} s; the overlap query for 50 instruments × 14 days read ${r.rowsExamined ?? '?'} rows.`),
  };
}
