// Scenarios 4 and 5: requestBooking through GraphQL on 4 API processes, against the same transaction issued by a
// bare mysql2 script at the same concurrency. Hot: every request on one instrument (all writers queue on its row
// lock). Spread: 500 instruments, no hot spot. Every tenth request repeats an earlier slot, so conflicts are real.
import path from 'node:path';
import type autocannon from 'autocannon';
import { DateTime } from 'luxon';
import type { BareBookingRequest } from '../baselines/bare-booking';
import type { BenchContext, Comparison, ScenarioResult, Target } from '../lib/context';
import { runLoad } from '../lib/http-load';
import { profileDuring, type ProfileSummary } from '../lib/profile';
import { SERVER_ENTRY, startHttp, startMeasured, type HttpProcess, type Measured } from '../lib/processes';
import { serviceEnv } from '../lib/settings';
import { median, percentile, ratio, round } from '../lib/stats';

const MUTATION = `mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) { booking { id status } errors { code } }
}`;
export const API_PROCESSES = 4;
export const CONNECTIONS = 32;

export interface RunStats {
  requests: number;
  seconds: number;
  accepted: number;
  conflicts: number;
  other: number;
  bookingsPerSec: number;
  requestsPerSec: number;
  p50: number;
  p99: number;
  /** Distinct (instrument, slot) pairs among answered requests: exactly one booking each must win. */
  distinctSlots: number;
  cpuMsPerRequest: number;
  queriesPerRequest: number;
}

/**
 * count requests, one-hour slots round-robin over the instruments from firstDay on; every `repeatEvery`-th request
 * (default tenth) repeats the slot five requests earlier for another user, so exactly one of the two can win.
 */
export function bookingRequests(
  instrumentIds: number[], userIds: number[], count: number, firstDay: DateTime, tag: string, repeatEvery = 10,
): BareBookingRequest[] {
  const out: BareBookingRequest[] = [];
  let fresh = 0;
  for (let i = 0; i < count; i += 1) {
    const userId = userIds[i % userIds.length];
    const idempotencyKey = `${tag}-${i}`;
    if (repeatEvery > 0 && i % repeatEvery === repeatEvery - 1 && i >= 5) {
      out.push({ ...out[i - 5], userId, idempotencyKey });
      continue;
    }
    const instrumentId = instrumentIds[fresh % instrumentIds.length];
    const slot = Math.floor(fresh / instrumentIds.length);
    const start = firstDay.plus({ hours: slot });
    out.push({ userId, instrumentId, start: start.toISO() as string, end: start.plus({ hours: 1 }).toISO() as string, purpose: 'Benchmark run', idempotencyKey });
    fresh += 1;
  }
  return out;
}

const slotKey = (r: BareBookingRequest) => `${r.instrumentId}@${r.start}`;

function summarise(latencies: number[], outcomes: Record<string, number>, seconds: number, answered: BareBookingRequest[]): Omit<RunStats, 'cpuMsPerRequest' | 'queriesPerRequest'> {
  const accepted = (outcomes.CONFIRMED ?? 0) + (outcomes.PENDING ?? 0);
  const conflicts = outcomes.CONFLICT ?? 0;
  return {
    requests: latencies.length, seconds, accepted, conflicts, other: latencies.length - accepted - conflicts,
    bookingsPerSec: accepted / seconds, requestsPerSec: latencies.length / seconds,
    p50: percentile(latencies, 50), p99: percentile(latencies, 99),
    distinctSlots: new Set(answered.map(slotKey)).size,
  };
}

export async function runThroughApi(ctx: BenchContext, servers: HttpProcess[], requests: BareBookingRequest[]): Promise<RunStats> {
  const tokens = new Map<number, string>();
  for (const r of requests) if (!tokens.has(r.userId)) tokens.set(r.userId, await ctx.token(r.userId));
  let next = 0;
  const outcomes: Record<string, number> = {};
  const answered: BareBookingRequest[] = [];
  const request: autocannon.Request = {
    method: 'POST',
    setupRequest: (req, context: object) => {
      const index = next++;
      const r = requests[Math.min(index, requests.length - 1)];
      (context as { index?: number }).index = index;
      return {
        ...req,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(r.userId)}` },
        body: JSON.stringify({
          query: MUTATION,
          variables: { input: { instrumentId: String(r.instrumentId), start: r.start, end: r.end, purpose: r.purpose, idempotencyKey: r.idempotencyKey } },
        }),
      };
    },
    onResponse: (status, body, context: object) => {
      let outcome = `HTTP ${status}`;
      try {
        const payload = JSON.parse(body)?.data?.requestBooking;
        outcome = payload?.booking?.status ?? payload?.errors?.[0]?.code ?? outcome;
      } catch {
        // not JSON: counted under its HTTP status
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      answered.push(requests[Math.min((context as { index: number }).index, requests.length - 1)]);
    },
  };
  const cpuBefore = servers.reduce((sum, s) => sum + s.cpuMs(), 0);
  const queriesBefore = (await Promise.all(servers.map((s) => s.queryCounts()))).reduce((sum, c) => sum + c.total, 0);
  const perProcess = Math.floor(requests.length / servers.length);
  const results = await Promise.all(
    servers.map((server) =>
      runLoad({ url: `${server.url}/graphql`, connections: CONNECTIONS / servers.length, amount: perProcess, requests: [request] }),
    ),
  );
  // The loads start together; each is timed to its own last response (autocannon's callback comes up to 1 s later).
  const seconds = Math.max(...results.map((r) => r.seconds));
  const cpuMs = servers.reduce((sum, s) => sum + s.cpuMs(), 0) - cpuBefore;
  const queries = (await Promise.all(servers.map((s) => s.queryCounts()))).reduce((sum, c) => sum + c.total, 0) - queriesBefore;
  const latencies = results.flatMap((r) => r.latencies);
  return { ...summarise(latencies, outcomes, seconds, answered), cpuMsPerRequest: cpuMs / latencies.length, queriesPerRequest: queries / latencies.length };
}

/** The bare transaction script, in a process of its own like the API processes. */
export class BareRunner {
  private constructor(private readonly process: Measured) {}

  static async start(ctx: BenchContext): Promise<BareRunner> {
    const child = startMeasured({
      name: 'bare-booking',
      entry: path.join(__dirname, '..', 'baselines', 'booking-runner.js'),
      env: { DATABASE_URL: ctx.settings.databaseUrl, BARE_POOL_SIZE: String(CONNECTIONS) },
    });
    await new Promise<void>((resolve, reject) => {
      child.child.once('message', () => resolve());
      child.child.once('exit', (code) => reject(new Error(`bare booking runner exited (${code}): ${child.stderrTail()}`)));
    });
    return new BareRunner(child);
  }

  async run(requests: BareBookingRequest[]): Promise<RunStats> {
    const cpuBefore = this.process.cpuMs();
    const queriesBefore = (await this.process.queryCounts()).total;
    const reply = (await this.process.request({ type: 'run', requests, concurrency: CONNECTIONS }, 'result', 600_000)) as {
      latencies: number[]; outcomes: Record<string, number>; seconds: number; answered: number[]; error?: string;
    };
    if (reply.error) throw new Error(`bare booking runner: ${reply.error}`);
    const cpuMs = this.process.cpuMs() - cpuBefore;
    const queries = (await this.process.queryCounts()).total - queriesBefore;
    const answered = reply.answered.map((i) => requests[i]);
    return {
      ...summarise(reply.latencies, reply.outcomes, reply.seconds, answered),
      cpuMsPerRequest: cpuMs / reply.latencies.length,
      queriesPerRequest: queries / reply.latencies.length,
    };
  }

  async stop(): Promise<void> {
    if (this.process.child.exitCode !== null || !this.process.child.connected) return;
    await new Promise<void>((resolve) => {
      this.process.child.once('exit', () => resolve());
      this.process.child.send({ type: 'exit' });
    });
  }
}

/** Holding bookings that overlap another on the same instrument (window function: O(n log n), not a self-join). */
export async function overlappingBookings(ctx: BenchContext, instrumentIds: number[]): Promise<number> {
  const [rows] = await ctx.pool.query(
    `SELECT COUNT(*) AS n FROM (
       SELECT start_at, MAX(end_at) OVER (PARTITION BY instrument_id ORDER BY start_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_end
         FROM bookings WHERE instrument_id IN (?) AND status IN ('PENDING', 'CONFIRMED')
     ) ordered WHERE previous_end > start_at`,
    [instrumentIds],
  );
  return Number((rows as { n: number }[])[0].n);
}

interface Variant {
  name: 'contention' | 'spread';
  title: string;
  instrumentIds: number[];
}

async function runVariant(ctx: BenchContext, variant: Variant): Promise<ScenarioResult> {
  const { settings } = ctx;
  const count = settings.quick ? 600 : 1500;
  // Three repetitions: a write run takes 10–20 s here, and the suite must stay under 20 minutes.
  const reps = Math.min(settings.reps, 3);
  // Warm-up until steady state, on both sides: an API process's CPU per booking keeps falling for its first ~1,500
  // requests (JIT tiers, heap growth), from 4.5 to 2.5 ms here; 200 warm-up requests measured mostly cold code.
  const warmup = settings.quick ? 2000 : 6000;
  const users = ctx.world.userIds.slice(0, CONNECTIONS);
  // Each run books its own stretch of days, far enough apart that no two runs' slots meet.
  const daysPerRun = Math.ceil(Math.max(count, warmup) / variant.instrumentIds.length / 24) + 2;
  let runIndex = 0;
  const nextRequests = (n: number, tag: string) =>
    bookingRequests(variant.instrumentIds, users, n, DateTime.utc().startOf('day').plus({ days: 2 + daysPerRun * runIndex++ }), `${variant.name}-${tag}-${Date.now()}`);

  ctx.log(`${variant.name}: starting ${API_PROCESSES} API processes`);
  const servers = await Promise.all(
    Array.from({ length: API_PROCESSES }, (_, i) => startHttp({ name: `api-${i + 1}`, entry: SERVER_ENTRY, env: serviceEnv(settings) })),
  );
  const bare = await BareRunner.start(ctx);
  const api: RunStats[] = [];
  const baseline: RunStats[] = [];
  let profile: ProfileSummary | undefined;
  try {
    await runThroughApi(ctx, servers, nextRequests(warmup, 'warmup-api'));
    await bare.run(nextRequests(warmup, 'warmup-bare'));
    for (let rep = 0; rep < reps; rep += 1) {
      api.push(await runThroughApi(ctx, servers, nextRequests(count, `api-${rep}`)));
      baseline.push(await bare.run(nextRequests(count, `bare-${rep}`)));
      ctx.log(
        `${variant.name} rep ${rep + 1}: LabShare ${round(api[rep].bookingsPerSec, 0)} bookings/s p99 ${round(api[rep].p99, 1)} ms | ` +
          `bare ${round(baseline[rep].bookingsPerSec, 0)} bookings/s p99 ${round(baseline[rep].p99, 1)} ms`,
      );
    }
    if (settings.profile && variant.name === 'contention') {
      // One more run with one API process under the profiler, after the measured ones, so its overhead counts nowhere.
      profile = (await profileDuring(servers[0], settings.profileDir, `${variant.name}-api`, () => runThroughApi(ctx, servers, nextRequests(count, 'profiled')))).summary;
    }
  } finally {
    await bare.stop();
    await Promise.all(servers.map((s) => s.stop()));
  }

  const overlaps = await overlappingBookings(ctx, variant.instrumentIds);
  const lost = [...api, ...baseline].filter((r) => r.accepted !== r.distinctSlots).length;
  const failures = [...api, ...baseline].reduce((sum, r) => sum + r.other, 0);
  const m = (runs: RunStats[], key: keyof RunStats) => median(runs.map((r) => r[key]));
  const comparisons: Comparison[] = [
    { metric: 'bookings/s', unit: '1/s', labshare: m(api, 'bookingsPerSec'), baseline: m(baseline, 'bookingsPerSec'), ratio: null, better: 'higher' },
    { metric: 'requests/s (bookings + conflicts)', unit: '1/s', labshare: m(api, 'requestsPerSec'), baseline: m(baseline, 'requestsPerSec'), ratio: null, better: 'higher' },
    { metric: 'p50', unit: 'ms', labshare: m(api, 'p50'), baseline: m(baseline, 'p50'), ratio: null, better: 'lower' },
    { metric: 'p99', unit: 'ms', labshare: m(api, 'p99'), baseline: m(baseline, 'p99'), ratio: null, better: 'lower' },
    { metric: 'CPU per request (API processes / bare script)', unit: 'ms', labshare: m(api, 'cpuMsPerRequest'), baseline: m(baseline, 'cpuMsPerRequest'), ratio: null, better: 'lower' },
    { metric: 'SQL statements per request', unit: '', labshare: m(api, 'queriesPerRequest'), baseline: m(baseline, 'queriesPerRequest'), ratio: null, better: 'lower' },
  ].map((c) => ({ ...c, ratio: ratio(c.labshare, c.baseline as number) })) as Comparison[];

  const targets: Target[] = [
    {
      text: 'zero overlapping bookings, exactly one winner per contested slot, no failed requests',
      met: overlaps === 0 && lost === 0 && failures === 0,
      measured: `${overlaps} overlaps; ${lost} runs where winners ≠ distinct slots; ${failures} requests neither booked nor CONFLICT`,
    },
  ];
  if (variant.name === 'contention') {
    const r = comparisons[0].ratio as number;
    targets.unshift({ text: 'hot-instrument bookings/s ≥ 0.5× the bare transaction', met: r >= 0.5, measured: `${round(r)}×` });
  }
  return {
    name: variant.name,
    title: variant.title,
    finishedAt: new Date().toISOString(),
    quick: settings.quick,
    reps,
    setup: {
      'API processes': API_PROCESSES,
      'concurrent clients (both sides)': CONNECTIONS,
      'requests per repetition': count,
      'warm-up requests (excluded)': warmup,
      instruments: variant.instrumentIds.length,
      'repeated slots': '1 request in 10',
    },
    comparisons,
    figures: { labshareRuns: api, baselineRuns: baseline, overlaps, ...(profile ? { profile } : {}) },
    targets,
    notes: [],
  };
}

export function contention(ctx: BenchContext): Promise<ScenarioResult> {
  return runVariant(ctx, { name: 'contention', title: 'Booking contention: one hot instrument, 4 API processes', instrumentIds: [ctx.world.hotInstrumentId] });
}

export function spread(ctx: BenchContext): Promise<ScenarioResult> {
  return runVariant(ctx, { name: 'spread', title: 'Bookings spread over 500 instruments, 4 API processes', instrumentIds: ctx.world.spreadInstrumentIds });
}
