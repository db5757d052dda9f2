// Scenarios 1–3: availability (1 instrument × 7 days at 32 connections; 50 instruments × 14 days with one client)
// and the catalogue's free-window search, through GraphQL on one API process against the bare Express + mysql2
// server (same SQL, same pure functions).
import path from 'node:path';
import { DateTime } from 'luxon';
import { comparePair, comparisons, failedRequests, medianOfReps, type Pair } from '../lib/compare';
import type { BenchContext, ScenarioResult } from '../lib/context';
import { graphql } from '../lib/http-load';
import { SERVER_ENTRY, startHttp, type HttpProcess } from '../lib/processes';
import { serviceEnv } from '../lib/settings';
import { round } from '../lib/stats';
import { INSTRUMENTS_PER_LAB } from '../lib/world';

export const AVAILABILITY_QUERY = `query($ids: [ID!]!, $from: DateTime!, $to: DateTime!) {
  availability(instrumentIds: $ids, from: $from, to: $to) { instrumentId labTimeZone status free { start end } busy { start end kind } }
}`;

export const SEARCH_QUERY = `query($filter: InstrumentFilter!, $first: Int!) {
  instruments(filter: $filter, first: $first) { nodes { id name category } pageInfo { hasNextPage } }
}`;

export interface ReadServers {
  api: HttpProcess;
  bare: HttpProcess;
  token: string;
  stop(): Promise<void>;
}

export async function startReadServers(ctx: BenchContext): Promise<ReadServers> {
  const [api, bare] = await Promise.all([
    startHttp({ name: 'api', entry: SERVER_ENTRY, env: serviceEnv(ctx.settings) }),
    startHttp({
      name: 'bare-express',
      entry: path.join(__dirname, '..', 'baselines', 'availability-server.js'),
      env: { NODE_ENV: 'production', DATABASE_URL: ctx.settings.databaseUrl, DATABASE_POOL_MAX: '10' },
    }),
  ]);
  const token = await ctx.token(ctx.world.userIds[0]);
  return { api, bare, token, stop: async () => void (await Promise.all([api.stop(), bare.stop()])) };
}

/** The window every read asks about: from the next UTC midnight, `days` long. */
export function window(days: number): { from: string; to: string } {
  const from = DateTime.utc().startOf('day').plus({ days: 1 });
  return { from: from.toISO() as string, to: from.plus({ days }).toISO() as string };
}

/** One instrument per lab, so a 50-instrument query spans 50 labs in eleven zones. */
export function fiftyInstruments(ctx: BenchContext): number[] {
  return ctx.world.catalogLabIds.slice(0, 50).map((_, lab) => ctx.world.catalogInstrumentIds[lab * INSTRUMENTS_PER_LAB + 1]);
}

interface Availability {
  instrumentId: string;
  free: { start: string; end: string }[];
  busy: { start: string; end: string; kind: string }[];
}

/** The same answer from both sides (instants compared, not their rendering), or a description of the difference. */
export async function sameAvailability(servers: ReadServers, ids: number[], range: { from: string; to: string }): Promise<string | null> {
  const fromApi = (await graphql<{ availability: Availability[] }>(`${servers.api.url}/graphql`, AVAILABILITY_QUERY, { ids: ids.map(String), ...range }, servers.token)).availability;
  const response = await fetch(`${servers.bare.url}/availability`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instrumentIds: ids, ...range }),
  });
  const fromBare = ((await response.json()) as { data: { availability: Availability[] } }).data.availability;
  const canonical = (list: Availability[]) =>
    JSON.stringify(list.map((a) => a && [a.instrumentId, a.free.map((f) => [Date.parse(f.start), Date.parse(f.end)]), a.busy.map((b) => [Date.parse(b.start), Date.parse(b.end), b.kind])]));
  if (canonical(fromApi) === canonical(fromBare)) return null;
  return `answers differ: LabShare ${canonical(fromApi).slice(0, 200)} vs bare ${canonical(fromBare).slice(0, 200)}`;
}

function availabilityLoad(servers: ReadServers, ids: number[], range: { from: string; to: string }, connections: number, seconds: number) {
  return {
    labshare: {
      process: servers.api,
      spec: {
        url: `${servers.api.url}/graphql`, connections, seconds,
        headers: { authorization: `Bearer ${servers.token}` },
        body: JSON.stringify({ query: AVAILABILITY_QUERY, variables: { ids: ids.map(String), ...range } }),
      },
    },
    baseline: {
      process: servers.bare,
      spec: { url: `${servers.bare.url}/availability`, connections, seconds, body: JSON.stringify({ instrumentIds: ids, ...range }) },
    },
  };
}

/** Measures availability for `ids` over `days` at `connections`; used by the scale scenario too. */
export async function measureAvailability(
  ctx: BenchContext, servers: ReadServers, label: string, ids: number[], days: number, connections: number, options: { reps?: number; profile?: boolean } = {},
): Promise<{ pair: Pair; mismatch: string | null }> {
  const range = window(days);
  const mismatch = await sameAvailability(servers, ids, range);
  const load = availabilityLoad(servers, ids, range, connections, ctx.settings.seconds);
  return { pair: await comparePair(ctx, label, load.labshare, load.baseline, options), mismatch };
}

function result(ctx: BenchContext, name: string, title: string, setup: Record<string, string | number>, pair: Pair, keys: Parameters<typeof comparisons>[1]): ScenarioResult {
  return {
    name, title, finishedAt: new Date().toISOString(), quick: ctx.settings.quick, reps: pair.labshare.length, setup,
    comparisons: comparisons(pair, keys), figures: { labshareRuns: pair.labshare, baselineRuns: pair.baseline, ...(pair.profile ? { profile: pair.profile } : {}) },
    targets: [], notes: [],
  };
}

export async function availability1x7(ctx: BenchContext): Promise<ScenarioResult> {
  const servers = await startReadServers(ctx);
  try {
    const ids = [ctx.world.catalogInstrumentIds[1]];
    const { pair, mismatch } = await measureAvailability(ctx, servers, 'availability 1×7', ids, 7, 32, { profile: true });
    const r = result(ctx, 'availability-1x7', 'Availability, 1 instrument × 7 days, 32 connections', { connections: 32, 'seconds per repetition': ctx.settings.seconds, 'warm-up seconds (each side, excluded)': ctx.settings.warmupSeconds }, pair, ['rps', 'p50', 'p99', 'cpuMsPerRequest', 'queriesPerRequest', 'rssMaxMb']);
    const rps = r.comparisons[0].ratio as number;
    const p99 = r.comparisons[2].ratio as number;
    r.targets = [
      { text: 'requests/s ≥ 0.6× bare Express + mysql2 at 32 connections', met: rps >= 0.6, measured: `${round(rps)}× (${round(r.comparisons[0].labshare, 0)} vs ${round(r.comparisons[0].baseline as number, 0)} req/s)` },
      { text: 'p99 ≤ 1.5× the bare p99', met: p99 <= 1.5, measured: `${round(p99)}× (${round(r.comparisons[2].labshare, 1)} vs ${round(r.comparisons[2].baseline as number, 1)} ms)` },
      { text: 'same free/busy answer as the bare path', met: mismatch === null && failedRequests(pair) === 0, measured: mismatch ?? `identical; ${failedRequests(pair)} failed requests` },
    ];
    return r;
  } finally {
    await servers.stop();
  }
}

export async function availability50x14(ctx: BenchContext): Promise<ScenarioResult> {
  const servers = await startReadServers(ctx);
  try {
    const ids = fiftyInstruments(ctx);
    const { pair, mismatch } = await measureAvailability(ctx, servers, 'availability 50×14', ids, 14, 1, { profile: true });
    const r = result(ctx, 'availability-50x14', 'Availability, 50 instruments × 14 days, one client', { connections: 1, instruments: ids.length, labs: ids.length, 'seconds per repetition': ctx.settings.seconds }, pair, ['p50', 'p99', 'rps', 'cpuMsPerRequest', 'queriesPerRequest', 'rssMaxMb']);
    const queries = medianOfReps(pair.labshare, 'queriesPerRequest');
    const p50 = r.comparisons[0];
    r.targets = [
      { text: 'at most 4 SQL statements per request', met: queries <= 4, measured: `${round(queries, 1)} (bare: ${round(medianOfReps(pair.baseline, 'queriesPerRequest'), 1)})` },
      { text: 'p50 ≤ 1.5× the bare path p50', met: (p50.ratio as number) <= 1.5, measured: `${round(p50.ratio as number)}× (${round(p50.labshare, 1)} vs ${round(p50.baseline as number, 1)} ms)` },
      { text: 'p50 under 100 ms with one client', met: p50.labshare < 100, measured: `${round(p50.labshare, 1)} ms` },
      { text: 'same free/busy answer as the bare path', met: mismatch === null && failedRequests(pair) === 0, measured: mismatch ?? `identical; ${failedRequests(pair)} failed requests` },
    ];
    return r;
  } finally {
    await servers.stop();
  }
}

export async function search(ctx: BenchContext): Promise<ScenarioResult> {
  const servers = await startReadServers(ctx);
  try {
    const range = window(3);
    const minMinutes = 420;
    const first = 20;
    const filter = { freeFrom: range.from, freeTo: range.to, minMinutes };
    const answer = (await graphql<{ instruments: { nodes: { id: string }[] } }>(`${servers.api.url}/graphql`, SEARCH_QUERY, { filter, first }, servers.token)).instruments.nodes;
    const bareAnswer = (await (await fetch(`${servers.bare.url}/search`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...range, minMinutes, first }),
    })).json()) as { data: { instruments: { nodes: { id: string }[] } } };
    const same = JSON.stringify(answer.map((n) => n.id)) === JSON.stringify(bareAnswer.data.instruments.nodes.map((n) => n.id));
    const connections = 8;
    const pair = await comparePair(
      ctx, 'search',
      {
        process: servers.api,
        spec: { url: `${servers.api.url}/graphql`, connections, seconds: ctx.settings.seconds, headers: { authorization: `Bearer ${servers.token}` }, body: JSON.stringify({ query: SEARCH_QUERY, variables: { filter, first } }) },
      },
      { process: servers.bare, spec: { url: `${servers.bare.url}/search`, connections, seconds: ctx.settings.seconds, body: JSON.stringify({ ...range, minMinutes, first }) } },
      { profile: true },
    );
    const r = result(ctx, 'search', 'Instrument search with a free-window filter across all labs', {
      connections, 'free window': `3 days, a free run of ${minMinutes} min`, 'page size': first, 'instruments in catalogue': ctx.world.catalogInstrumentIds.length + ctx.world.spreadInstrumentIds.length + 1,
      'matches on the first page': answer.length,
    }, pair, ['rps', 'p50', 'p99', 'cpuMsPerRequest', 'queriesPerRequest']);
    r.targets = [
      { text: 'same first page as the bare path', met: same && failedRequests(pair) === 0, measured: same ? `identical (${answer.length} instruments); ${failedRequests(pair)} failed requests` : `LabShare ${answer.map((n) => n.id).join(',')} vs bare ${bareAnswer.data.instruments.nodes.map((n) => n.id).join(',')}` },
    ];
    return r;
  } finally {
    await servers.stop();
  }
}
