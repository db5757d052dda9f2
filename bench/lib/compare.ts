// Runs the same HTTP load against LabShare and its baseline, alternating repetitions so drift on a noisy machine
// moves both sides alike; records CPU, RSS and SQL statements per request of each server process.
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad, type LoadResult, type LoadSpec } from './http-load';
import { profileDuring, type ProfileSummary } from './profile';
import { ResourceSampler, type HttpProcess } from './processes';
import type { BenchContext, Comparison } from './context';
import { median, ratio } from './stats';

export interface RepStats extends Omit<LoadResult, 'latencies'> {
  cpuMsPerRequest: number;
  /** SQL statements per request the server received, less what it sends on its own (measured idle, same process). */
  queriesPerRequest: number;
  backgroundStatementsPerSecond: number;
  rssMaxMb: number;
}

export interface Pair {
  labshare: RepStats[];
  baseline: RepStats[];
  profile?: ProfileSummary;
}

/** How long each side sits idle before the repetitions, to measure the statements it sends with no request at all. */
const IDLE_MS = 3000;

/** Statements per millisecond a process sends by itself (LabShare: the outbox sweeper); bare servers send none. */
async function backgroundStatementRate(target: HttpProcess): Promise<number> {
  const before = await target.queryCounts();
  await sleep(IDLE_MS);
  const after = await target.queryCounts();
  const requests = after.httpRequests - before.httpRequests;
  return requests === 0 ? (after.total - before.total) / IDLE_MS : 0;
}

async function measure(target: HttpProcess, spec: LoadSpec, backgroundPerMs: number): Promise<RepStats> {
  const sampler = new ResourceSampler(target);
  const before = await target.queryCounts();
  const started = Date.now();
  sampler.start();
  const { latencies: _latencies, ...result } = await runLoad(spec);
  const usage = sampler.stop();
  await sleep(100); // requests abandoned at the end of the run finish on the server
  const after = await target.queryCounts();
  const background = backgroundPerMs * (Date.now() - started);
  const served = Math.max(1, after.httpRequests - before.httpRequests);
  const statements = Math.max(0, after.total - before.total - background);
  return {
    ...result,
    cpuMsPerRequest: usage.cpuMs / result.requests,
    queriesPerRequest: statements / served,
    backgroundStatementsPerSecond: backgroundPerMs * 1000,
    rssMaxMb: usage.rssMaxMb,
  };
}

export async function comparePair(
  ctx: BenchContext,
  label: string,
  labshare: { process: HttpProcess; spec: LoadSpec },
  baseline: { process: HttpProcess; spec: LoadSpec },
  options: { reps?: number; profile?: boolean } = {},
): Promise<Pair> {
  const { settings } = ctx;
  const reps = options.reps ?? settings.reps;
  await runLoad({ ...labshare.spec, seconds: settings.warmupSeconds, amount: undefined });
  await runLoad({ ...baseline.spec, seconds: settings.warmupSeconds, amount: undefined });
  const [labshareBackground, baselineBackground] = await Promise.all([backgroundStatementRate(labshare.process), backgroundStatementRate(baseline.process)]);
  const pair: Pair = { labshare: [], baseline: [] };
  for (let rep = 0; rep < reps; rep += 1) {
    pair.labshare.push(await measure(labshare.process, labshare.spec, labshareBackground));
    pair.baseline.push(await measure(baseline.process, baseline.spec, baselineBackground));
    const a = pair.labshare[rep];
    const b = pair.baseline[rep];
    ctx.log(
      `${label} rep ${rep + 1}: LabShare ${a.rps.toFixed(0)} req/s p50 ${a.p50.toFixed(2)} p99 ${a.p99.toFixed(2)} ms` +
        ` | bare ${b.rps.toFixed(0)} req/s p50 ${b.p50.toFixed(2)} p99 ${b.p99.toFixed(2)} ms${a.non2xx + a.errors + b.non2xx + b.errors ? ` | errors ${a.non2xx + a.errors}/${b.non2xx + b.errors}` : ''}`,
    );
  }
  if (options.profile && settings.profile) {
    // One more LabShare run under the profiler, after the measured ones, so its overhead counts nowhere.
    pair.profile = (await profileDuring(labshare.process, settings.profileDir, label, () => runLoad(labshare.spec))).summary;
  }
  return pair;
}

type Key = 'rps' | 'p50' | 'p99' | 'mean' | 'cpuMsPerRequest' | 'queriesPerRequest' | 'rssMaxMb';
const META: Record<Key, { metric: string; unit: string; better: 'higher' | 'lower' }> = {
  rps: { metric: 'requests/s', unit: '1/s', better: 'higher' },
  p50: { metric: 'p50', unit: 'ms', better: 'lower' },
  p99: { metric: 'p99', unit: 'ms', better: 'lower' },
  mean: { metric: 'mean latency', unit: 'ms', better: 'lower' },
  cpuMsPerRequest: { metric: 'server CPU per request', unit: 'ms', better: 'lower' },
  queriesPerRequest: { metric: 'SQL statements per request', unit: '', better: 'lower' },
  rssMaxMb: { metric: 'server RSS under load (max)', unit: 'MB', better: 'lower' },
};

export function comparisons(pair: Pair, keys: Key[], prefix = ''): Comparison[] {
  return keys.map((key) => {
    const labshare = median(pair.labshare.map((r) => r[key]));
    const baseline = median(pair.baseline.map((r) => r[key]));
    return { ...META[key], metric: `${prefix}${META[key].metric}`, labshare, baseline, ratio: ratio(labshare, baseline) };
  });
}

export const medianOfReps = (reps: RepStats[], key: Key): number => median(reps.map((r) => r[key]));
export const failedRequests = (pair: Pair): number => [...pair.labshare, ...pair.baseline].reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
