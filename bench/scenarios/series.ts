// Series under load: 52-week weekly series (requestBookingSeries, SKIP_CONFLICTS) sent one after another to one API
// process while single bookings hammer the same hot instrument from 4 API processes, beside the same single-booking
// run without the series. Shows the series' latency and what a series (one lock held for all its occurrences) costs
// the single bookings' throughput.
import { DateTime } from 'luxon';
import type { BenchContext, Comparison, ScenarioResult, Target } from '../lib/context';
import { SERVER_ENTRY, startHttp, type HttpProcess } from '../lib/processes';
import { serviceEnv } from '../lib/settings';
import { median, percentile, ratio, round } from '../lib/stats';
import { API_PROCESSES, CONNECTIONS, bookingRequests, overlappingBookings, runThroughApi, type RunStats } from './booking';

const SERIES_MUTATION = `mutation($input: RequestBookingSeriesInput!) {
  requestBookingSeries(input: $input) { series { id } occurrences { outcome } errors { code } }
}`;
const WEEKS = 52;

interface SeriesRun {
  latencies: number[];
  booked: number;
  skipped: number;
  failed: number;
}

/** Sends series one after another to one API process until `until` settles; each series on an hour of its own. */
async function seriesLoop(server: HttpProcess, token: string, instrumentId: number, firstDay: DateTime, until: Promise<unknown>): Promise<SeriesRun> {
  let done = false;
  void until.finally(() => { done = true; });
  const run: SeriesRun = { latencies: [], booked: 0, skipped: 0, failed: 0 };
  for (let k = 0; !done; k += 1) {
    const start = firstDay.plus({ days: Math.floor(k / 24) % 7, hours: k % 24 });
    const began = performance.now();
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: SERIES_MUTATION,
        variables: { input: {
          instrumentId: String(instrumentId), start: start.toISO(), end: start.plus({ hours: 1 }).toISO(),
          recurrence: `FREQ=WEEKLY;COUNT=${WEEKS}`, mode: 'SKIP_CONFLICTS', purpose: 'Benchmark series',
        } },
      }),
    });
    const body = (await response.json()) as { data?: { requestBookingSeries?: { occurrences: { outcome: string }[]; errors: { code: string }[] } } };
    run.latencies.push(performance.now() - began);
    const payload = body.data?.requestBookingSeries;
    if (!payload) run.failed += 1;
    else {
      const booked = payload.occurrences.filter((o) => o.outcome === 'BOOKED').length;
      run.booked += booked;
      run.skipped += payload.occurrences.length - booked;
    }
  }
  return run;
}

export async function seriesUnderLoad(ctx: BenchContext): Promise<ScenarioResult> {
  const { settings } = ctx;
  const count = settings.quick ? 600 : 1500;
  const reps = Math.min(settings.reps, 3);
  const warmup = settings.quick ? 1000 : 3000;
  const instrumentId = ctx.world.hotInstrumentId;
  const users = ctx.world.userIds.slice(0, CONNECTIONS);
  const seriesUser = ctx.world.userIds[CONNECTIONS];
  // Each single-booking run books its own stretch of days from day 2 on; the series of each run get a year of their own
  // from day 1000 on (a series spans 51 weeks), each on an hour of the week of its own. So series and singles contend
  // for the instrument's lock, not for the same hours, and runs never collide with earlier ones.
  const daysPerRun = Math.ceil(Math.max(count, warmup) / 24) + 2;
  let runIndex = 0;
  let seriesRegion = 0;
  const stretch = () => DateTime.utc().startOf('day').plus({ days: 2 + daysPerRun * runIndex++ });
  const seriesYear = () => DateTime.utc().startOf('day').plus({ days: 1000 + 380 * seriesRegion++ });
  const singles = (n: number, tag: string, firstDay: DateTime) => bookingRequests([instrumentId], users, n, firstDay, `series-bench-${tag}-${Date.now()}`);

  ctx.log(`series-under-load: starting ${API_PROCESSES} API processes`);
  const servers = await Promise.all(
    Array.from({ length: API_PROCESSES }, (_, i) => startHttp({ name: `api-${i + 1}`, entry: SERVER_ENTRY, env: serviceEnv(settings) })),
  );
  const token = await ctx.token(seriesUser);
  const alone: RunStats[] = [];
  const withSeries: RunStats[] = [];
  const series: SeriesRun[] = [];
  try {
    const warm = runThroughApi(ctx, servers, singles(warmup, 'warmup', stretch()));
    await seriesLoop(servers[0], token, instrumentId, seriesYear(), warm);
    await warm;
    for (let rep = 0; rep < reps; rep += 1) {
      alone.push(await runThroughApi(ctx, servers, singles(count, `alone-${rep}`, stretch())));
      const loaded = runThroughApi(ctx, servers, singles(count, `loaded-${rep}`, stretch()));
      const [stats, run] = await Promise.all([loaded, seriesLoop(servers[0], token, instrumentId, seriesYear(), loaded)]);
      withSeries.push(stats);
      series.push(run);
      ctx.log(
        `series-under-load rep ${rep + 1}: singles alone ${round(alone[rep].bookingsPerSec, 0)}/s, with series ${round(stats.bookingsPerSec, 0)}/s; ` +
          `${run.latencies.length} series p50 ${round(percentile(run.latencies, 50), 0)} ms p99 ${round(percentile(run.latencies, 99), 0)} ms`,
      );
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  const overlaps = await overlappingBookings(ctx, [instrumentId]);
  const latencies = series.flatMap((r) => r.latencies);
  const m = (runs: RunStats[], key: keyof RunStats) => median(runs.map((r) => r[key]));
  const comparisons: Comparison[] = [
    { metric: 'single bookings/s (with series / alone)', unit: '1/s', labshare: m(withSeries, 'bookingsPerSec'), baseline: m(alone, 'bookingsPerSec'), ratio: null, better: 'higher' },
    { metric: 'single requests/s, booked or CONFLICT (with series / alone)', unit: '1/s', labshare: m(withSeries, 'requestsPerSec'), baseline: m(alone, 'requestsPerSec'), ratio: null, better: 'higher' },
    { metric: 'single-booking p99 (with series / alone)', unit: 'ms', labshare: m(withSeries, 'p99'), baseline: m(alone, 'p99'), ratio: null, better: 'lower' },
    { metric: `series of ${WEEKS} weekly occurrences, p50`, unit: 'ms', labshare: percentile(latencies, 50), baseline: null, ratio: null, better: 'lower' },
    { metric: `series of ${WEEKS} weekly occurrences, p99`, unit: 'ms', labshare: percentile(latencies, 99), baseline: null, ratio: null, better: 'lower' },
  ].map((c) => ({ ...c, ratio: c.baseline === null ? null : ratio(c.labshare, c.baseline) })) as Comparison[];
  const failures = [...alone, ...withSeries].reduce((sum, r) => sum + r.other, 0) + series.reduce((sum, r) => sum + r.failed, 0);
  const unbooked = series.reduce((sum, r) => sum + r.skipped, 0);
  const targets: Target[] = [
    { text: 'zero overlapping bookings, every request answered with a result or a coded error', met: overlaps === 0 && failures === 0, measured: `${overlaps} overlaps; ${failures} failed requests` },
    { text: 'every occurrence of every series booked (they ask for hours nobody else does)', met: unbooked === 0, measured: `${unbooked} occurrences not booked` },
  ];
  return {
    name: 'series-under-load',
    title: 'Series under load: 52-week weekly series while single bookings hammer the same instrument from 4 API processes',
    finishedAt: new Date().toISOString(),
    quick: settings.quick,
    reps,
    setup: {
      'API processes': API_PROCESSES,
      'single-booking clients': CONNECTIONS,
      'single requests per repetition': count,
      'series client': '1, series one after another for as long as the singles run',
      'series': `FREQ=WEEKLY;COUNT=${WEEKS}, SKIP_CONFLICTS, 1 hour each, on hours no single booking asks for`,
    },
    comparisons,
    figures: {
      aloneRuns: alone, withSeriesRuns: withSeries,
      seriesRuns: series.map((r) => ({ series: r.latencies.length, booked: r.booked, skipped: r.skipped, failed: r.failed })),
      overlaps,
    },
    targets,
    notes: ['The lock is taken once per series and held while its 52 occurrences are checked and written (three INSERT statements for all of them); singles queue behind it for that long.'],
    headline: [0, 3],
  };
}
