// `npm run bench` runs every scenario and writes BENCHMARKS.md and bench/results.json.
//   node dist/bench/run.js contention spread   only these scenarios (their results replace earlier ones)
//   node dist/bench/run.js --quick             fewer, shorter repetitions, for development
//   node dist/bench/run.js --no-profile        skip the extra profiled run (hot spots) of the main scenarios
//   node dist/bench/run.js --list              the scenario names
//   node dist/bench/run.js --render            rewrite BENCHMARKS.md from bench/results.json (after editing bench/findings.md)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { BenchContext, ScenarioResult } from './lib/context';
import { tokenIssuer } from './lib/context';
import { createPool, freshDatabase } from './lib/db';
import { machineInfo } from './lib/machine';
import { renderReport, type ResultsFile } from './lib/report';
import { loadSettings, ROOT } from './lib/settings';
import { buildWorld } from './lib/world';
import { SCENARIOS } from './scenarios';

const RESULTS = path.join(ROOT, 'bench', 'results.json');
const REPORT = path.join(ROOT, 'BENCHMARKS.md');
/** Hand-written reading of the figures (hot spots, what to fix), carried into every BENCHMARKS.md. */
const FINDINGS = path.join(ROOT, 'bench', 'findings.md');

async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } catch (error) {
    return `unreachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  // Exit through process.exit so the child processes are killed on the way out (lib/processes.ts).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  const argv = process.argv.slice(2);
  if (argv.includes('--list')) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(20)} ${s.title}\n`);
    return;
  }
  if (argv.includes('--render')) {
    const file = JSON.parse(readFileSync(RESULTS, 'utf8')) as ResultsFile;
    file.findings = existsSync(FINDINGS) ? readFileSync(FINDINGS, 'utf8').trim() : undefined;
    writeFileSync(REPORT, renderReport(file));
    process.stdout.write(`rewrote ${path.relative(ROOT, REPORT)} from ${path.relative(ROOT, RESULTS)}\n`);
    return;
  }
  const settings = loadSettings(argv);
  const wanted = argv.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((w) => !SCENARIOS.some((s) => s.name === w));
  if (unknown.length) {
    process.stderr.write(`bench: unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}\n`);
    process.exit(2);
  }
  const chosen = wanted.length ? SCENARIOS.filter((s) => wanted.includes(s.name)) : SCENARIOS;
  const began = Date.now();
  const log = (line: string) => process.stdout.write(`[${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

  log(`bench database ${settings.databaseUrl.replace(/\/\/[^@]*@/, '//')}, queue prefix ${settings.queuePrefix}${settings.quick ? ', quick mode' : ''}`);
  await freshDatabase(settings.databaseUrl);
  const pool = createPool(settings.databaseUrl, 8);
  const world = await buildWorld(pool);
  log(`world: ${world.catalogInstrumentIds.length} catalog instruments in ${world.catalogLabIds.length} labs, ${world.bookingsInWindow} bookings, 1 hot + ${world.spreadInstrumentIds.length} write instruments`);
  const ctx: BenchContext = { settings, pool, world, token: tokenIssuer(settings), log };
  const machine = await machineInfo(pool, await redisVersion(settings.redisUrl));

  const previous: ResultsFile | undefined = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : undefined;
  const results: Record<string, ScenarioResult> = { ...(previous?.scenarios ?? {}) };
  for (const scenario of chosen) {
    log(`── ${scenario.name}: ${scenario.title}`);
    try {
      results[scenario.name] = await scenario.run(ctx);
      if (results[scenario.name].skipped) log(`${scenario.name} skipped: ${results[scenario.name].skipped}`);
    } catch (error) {
      log(`${scenario.name} FAILED: ${(error as Error).stack ?? error}`);
      results[scenario.name] = {
        name: scenario.name, title: scenario.title, finishedAt: new Date().toISOString(), quick: settings.quick, reps: 0,
        setup: {}, comparisons: [], figures: {}, targets: [], notes: [], skipped: `failed: ${(error as Error).message}`,
      };
    }
    for (const target of results[scenario.name].targets) {
      log(`   target ${target.met === null ? 'n/a ' : target.met ? 'MET ' : 'MISSED'} ${target.text}: ${target.measured}`);
    }
    for (const c of results[scenario.name].comparisons) {
      const fmt = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
      log(`   ${c.metric.padEnd(48)} LabShare ${fmt(c.labshare).padStart(8)} ${c.unit.padEnd(4)} baseline ${fmt(c.baseline).padStart(8)}  ratio ${fmt(c.ratio)}`);
    }
  }
  await pool.end();

  const file: ResultsFile = {
    generatedAt: new Date().toISOString(),
    command: `node dist/bench/run.js ${argv.join(' ')}`.trim(),
    durationSeconds: Math.round((Date.now() - began) / 1000),
    machine,
    order: SCENARIOS.map((s) => s.name),
    scenarios: results,
    history: [...(previous?.history ?? [])],
    findings: existsSync(FINDINGS) ? readFileSync(FINDINGS, 'utf8').trim() : undefined,
  };
  for (const scenario of chosen) {
    const r = results[scenario.name];
    if (r.skipped) continue;
    file.history.push({
      scenario: r.name, finishedAt: r.finishedAt, quick: r.quick, commit: machine.commit,
      headline: (r.headline ?? [0, 1]).map((i) => r.comparisons[i]).filter(Boolean).map((c) => ({ metric: c.metric, labshare: c.labshare, baseline: c.baseline, ratio: c.ratio })),
    });
  }
  file.history = file.history.slice(-60);
  writeFileSync(RESULTS, `${JSON.stringify(file, null, 2)}\n`);
  writeFileSync(REPORT, renderReport(file));
  log(`wrote ${path.relative(ROOT, REPORT)} and ${path.relative(ROOT, RESULTS)} (${file.durationSeconds} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
