// Summarises a V8 .cpuprofile (written by node --cpu-prof): self time by package and by function, so the report
// can say where an API process spends its CPU under load.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DIST } from './settings';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Share of sampled CPU time per package (node_modules/<name>), project area (src/graphql, src/booking…), or node internals. */
  byPackage: { name: string; percent: number }[];
  /** Heaviest functions by self time. */
  topFunctions: { name: string; where: string; percent: number }[];
}

/** The compiled project's path of a frame ("src/scheduling/zone-time.js"), or null for a package or Node itself. */
function projectFile(url: string): string | null {
  const at = url.indexOf(`${DIST}/`);
  if (at < 0 || url.includes('/node_modules/')) return null;
  return url.slice(at + DIST.length + 1);
}

function ownerOf(url: string): string {
  if (!url) return '(native / GC / idle)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return 'node internals';
  const file = projectFile(url);
  if (file) {
    // Areas of the project: src/graphql, src/scheduling, jobs …; top-level files by name (src/app).
    const parts = file.replace(/\.js$/, '').split('/');
    return parts.slice(0, Math.min(2, parts.length)).join('/');
  }
  return url.split('/').slice(-2).join('/');
}

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const ancestors = function* (id: number) {
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) yield byId.get(at) as ProfileNode;
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  const packages = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    // The profiler's own start-up (inspector calls from the probe) is not the application's work.
    if ([...ancestors(id)].some((a) => a.callFrame.url === 'node:inspector' || a.callFrame.url.endsWith('/probe.js'))) continue;
    total += us;
    // Native and Node-internal frames (socket writes, streams, JSON, Intl) are charged to the nearest caller in a
    // package or in the project, so "mysql2 via node" reads as the cost of talking to MariaDB.
    let owner = functionName === '(garbage collector)' ? '(garbage collector)' : ownerOf(url);
    if ((!url || url.startsWith('node:')) && functionName !== '(garbage collector)') {
      const caller = [...ancestors(id)].find((a) => a.callFrame.url && !a.callFrame.url.startsWith('node:'));
      owner = caller ? `${ownerOf(caller.callFrame.url)} via node` : 'node (event loop, microtasks)';
    }
    packages.set(owner, (packages.get(owner) ?? 0) + us);
    const key = `${functionName}|${url}|${lineNumber}`;
    const where = projectFile(url) ? `${projectFile(url)}:${lineNumber + 1}` : url && !url.startsWith('node:') ? `${owner}:${lineNumber + 1}` : owner;
    const entry = functions.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const pct = (us: number) => Math.round((us / Math.max(1, total)) * 1000) / 10;
  return {
    file,
    totalMs: Math.round(total / 1000),
    byPackage: [...packages.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, percent: pct(us) })),
    topFunctions: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({ name: f.name, where: f.where, percent: pct(f.us) })),
  };
}

/** Runs fn while the process records a CPU profile; returns fn's result and the profile's summary. */
export async function profileDuring<T>(
  target: { startProfile(): Promise<void>; stopProfile(file: string): Promise<void> },
  dir: string,
  label: string,
  fn: () => Promise<T>,
): Promise<{ result: T; summary: ProfileSummary }> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${label.replace(/[^\w-]+/g, '-')}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  await target.startProfile();
  const result = await fn();
  await target.stopProfile(file);
  return { result, summary: summariseProfile(file) };
}
