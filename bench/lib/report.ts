// Renders BENCHMARKS.md from bench/results.json: machine, versions, command, date, figures, targets met or missed.
import type { ScenarioResult } from './context';
import type { MachineInfo } from './machine';
import type { ProfileSummary } from './profile';

export interface HistoryEntry {
  scenario: string;
  finishedAt: string;
  quick: boolean;
  commit: string;
  headline: { metric: string; labshare: number; baseline: number | null; ratio: number | null }[];
}

export interface ResultsFile {
  generatedAt: string;
  command: string;
  durationSeconds: number;
  machine: MachineInfo;
  order: string[];
  scenarios: Record<string, ScenarioResult>;
  history: HistoryEntry[];
  /** bench/findings.md: what the figures show and what to fix, written by whoever reads them. */
  findings?: string;
}

export function fmt(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

const ratioText = (r: number | null) => (r === null || !Number.isFinite(r) ? '–' : `${r.toFixed(2)}×`);
const mark = (met: boolean | null) => (met === null ? '–' : met ? '✅ met' : '❌ missed');

function scenarioSection(r: ScenarioResult): string {
  const out: string[] = [`### ${r.title}`, '', `\`${r.name}\` · finished ${r.finishedAt}${r.quick ? ' · **quick mode**' : ''} · ${r.reps} repetitions, medians`, ''];
  if (r.skipped) {
    out.push(`_Not measured: ${r.skipped}_`, '');
    return out.join('\n');
  }
  const setup = Object.entries(r.setup);
  if (setup.length) out.push(setup.map(([k, v]) => `${k}: ${v}`).join(' · '), '');
  if (r.comparisons.length) {
    out.push('| metric | LabShare | baseline | LabShare / baseline |', '|---|---:|---:|---:|');
    for (const c of r.comparisons) {
      out.push(`| ${c.metric} | ${fmt(c.labshare, c.unit)} | ${fmt(c.baseline, c.unit)} | ${ratioText(c.ratio)} |`);
    }
    out.push('');
  }
  if (r.targets.length) {
    out.push('| target | measured | |', '|---|---|---|');
    for (const t of r.targets) out.push(`| ${t.text} | ${t.measured} | ${mark(t.met)} |`);
    out.push('');
  }
  for (const note of r.notes) out.push(`- ${note}`);
  if (r.notes.length) out.push('');
  const profile = r.figures.profile as ProfileSummary | undefined;
  if (profile) {
    out.push(
      `Where the ${r.name === 'pipeline' ? 'worker' : 'API'} process spends its CPU (one extra, uncounted run under the V8 profiler; ${profile.totalMs} ms sampled; ` +
        'native and Node-internal frames charged to the package that called them):',
      '',
      `- by package: ${profile.byPackage.slice(0, 10).map((p) => `${p.name} ${p.percent}%`).join(', ')}`,
      `- hottest functions (self time): ${profile.topFunctions.slice(0, 8).map((f) => (f.where === f.name ? `${f.name} ${f.percent}%` : `\`${f.name}\` (${f.where}) ${f.percent}%`)).join(', ')}`,
      '',
    );
  }
  const explain = r.figures.explain as Record<string, unknown>[] | undefined;
  if (explain?.length) {
    out.push('EXPLAIN of the bookings overlap query at the largest size:', '', '```', ...explain.map((row) => JSON.stringify(row)), '```', '');
  }
  return out.join('\n');
}

export function renderReport(file: ResultsFile): string {
  const m = file.machine;
  const scenarios = file.order.map((name) => file.scenarios[name]).filter(Boolean);
  const lines: string[] = [
    '# LabShare benchmarks',
    '',
    `Generated ${file.generatedAt} by \`npm run bench\` (this run: \`${file.command}\`, ${file.durationSeconds} s). ` +
      'Every figure is produced by the suite in bench/; the raw numbers, per repetition, are in bench/results.json.',
    '',
    '## Machine and versions',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; ${m.memoryGb} GB RAM; ${m.os}`,
    `- Node ${m.node}; MariaDB ${m.mariadb} (${Object.entries(m.mariadbSettings).map(([k, v]) => `${k}=${v}`).join(', ')}); Redis ${m.redis}`,
    `- ${Object.entries(m.packages).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `- commit ${m.commit} (plus uncommitted work at the time of the run)`,
    '',
    '## How it is measured',
    '',
    '- Each scenario runs LabShare (compiled `dist/src/server.js`, NODE_ENV=production, LOG_LEVEL=error) and a baseline **in the same run**, ' +
      'alternating repetitions, so a noisy machine moves both. Ratios are LabShare / baseline, from the medians of the repetitions.',
    '- Baselines: a bare Express + mysql2 server issuing the same SQL and calling the same pure scheduling functions ' +
      '(availability, search); the same booking transaction issued statement by statement through bare mysql2 (booking); ' +
      'a bare BullMQ worker that composes the same e-mail and invitation and writes it through the same transport (job pipeline).',
    '- HTTP load: autocannon (closed loop, keep-alive); latencies are taken per response, not from autocannon\'s whole-millisecond histogram, ' +
      'and a run is timed to its last response (autocannon reports the end of a fixed-count run only on its next 1-second tick). ' +
      'Warm-up runs are excluded from every figure; the booking scenarios warm both sides with 6,000 requests, the point from which an API ' +
      'process\'s CPU per booking stops falling (JIT, heap growth).',
    '- SQL statements are counted inside each measured process by wrapping mysql2 (the same wrapper on both sides) and divided by the HTTP requests that process received (counted in the process too, so requests abandoned in flight at the end of a timed run count). What a process sends on its own with no request at all (LabShare\'s outbox sweeper) is measured over 3 idle seconds before the repetitions and subtracted. CPU and RSS are read from /proc.',
    '- Everything runs on one 2-core machine: the load generator, the API processes, MariaDB and Redis share the cores, so absolute figures ' +
      'move from run to run; ratios from the same run are the figures to compare.',
    '- Run it: `npm run bench` (everything, < 20 min) · `npm run build && node dist/bench/run.js contention` (one scenario) · add `--quick` for fewer repetitions.',
    '',
    '## Targets',
    '',
    '| scenario | target | measured | |',
    '|---|---|---|---|',
  ];
  for (const r of scenarios) {
    if (r.skipped) {
      lines.push(`| ${r.name} | – | not measured: ${r.skipped} | – |`);
      continue;
    }
    for (const t of r.targets) lines.push(`| ${r.name} | ${t.text} | ${t.measured} | ${mark(t.met)} |`);
  }
  lines.push('', '## Scenarios', '');
  for (const r of scenarios) lines.push(scenarioSection(r));
  if (file.findings) lines.push(file.findings, '');
  const history = file.history.filter((h) => !h.quick);
  if (history.length) {
    lines.push(
      '## Before / after',
      '',
      'Headline figures of earlier full runs (newest last), so a change to src/ shows up as a before/after pair.',
      '',
      '| finished | commit | scenario | figure | LabShare | baseline | ratio |',
      '|---|---|---|---|---:|---:|---:|',
    );
    for (const h of history) {
      for (const f of h.headline) lines.push(`| ${h.finishedAt} | ${h.commit} | ${h.scenario} | ${f.metric} | ${fmt(f.labshare)} | ${fmt(f.baseline)} | ${ratioText(f.ratio)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
