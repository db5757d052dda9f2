// What every scenario receives, and the shape of what it returns (bench/results.json and BENCHMARKS.md).
import type mysql from 'mysql2/promise';
import { issueToken, useSigningSecret } from '../../src/access/tokens';
import { serviceEnv, type BenchSettings } from './settings';
import type { World } from './world';

export interface BenchContext {
  settings: BenchSettings;
  pool: mysql.Pool;
  world: World;
  /** Bearer tokens the API processes accept, by user id. */
  token(userId: number): Promise<string>;
  log(line: string): void;
}

/** One line of a comparison table: LabShare, its baseline in the same run, and LabShare / baseline. */
export interface Comparison {
  metric: string;
  unit: string;
  labshare: number;
  baseline: number | null;
  ratio: number | null;
  /** 'higher' when bigger is better (throughput), 'lower' for latencies and costs. */
  better: 'higher' | 'lower';
}

export interface Target {
  text: string;
  met: boolean | null;
  measured: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  finishedAt: string;
  quick: boolean;
  reps: number;
  /** How the load was shaped: connections, request counts, data sizes. */
  setup: Record<string, string | number>;
  comparisons: Comparison[];
  /** Other figures: per-repetition values, query counts, memory, EXPLAIN. */
  figures: Record<string, unknown>;
  targets: Target[];
  notes: string[];
  skipped?: string;
  /** Which comparisons the before/after table keeps (indexes; default the first two). */
  headline?: number[];
}

export function tokenIssuer(settings: BenchSettings): (userId: number) => Promise<string> {
  const env = serviceEnv(settings);
  useSigningSecret(env.JWT_SECRET); // the secret the suite's API processes are started with
  const cfg = { JWT_ISSUER: 'labshare', JWT_TTL_SECONDS: 24 * 3600 };
  const cache = new Map<number, Promise<string>>();
  return (userId) => {
    let token = cache.get(userId);
    if (!token) {
      token = issueToken(userId, cfg);
      cache.set(userId, token);
    }
    return token;
  };
}
