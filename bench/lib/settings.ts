// Where the suite runs and how hard: its own database and queue prefix, so it never touches anyone's data.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** The repository: `npm run bench` runs from there. */
export const ROOT = process.cwd();
export const DIST = path.resolve(__dirname, '../..'); // dist/

export interface BenchSettings {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** Fewer repetitions and shorter runs, for development. */
  quick: boolean;
  /** Repetitions of each measured run; medians are reported. */
  reps: number;
  /** Seconds of each timed autocannon run. */
  seconds: number;
  /** Seconds of warm-up before the timed runs (excluded from every figure). */
  warmupSeconds: number;
  /** Profile the API process in one extra, uncounted run of the main scenarios (on unless --no-profile). */
  profile: boolean;
  profileDir: string;
}

export function loadSettings(argv: string[]): BenchSettings {
  const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
  return {
    databaseUrl: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/labshare_bench',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    queuePrefix: process.env.BENCH_QUEUE_PREFIX ?? '{labshare-bench}',
    quick,
    reps: Number(process.env.BENCH_REPS ?? (quick ? 1 : 5)),
    seconds: Number(process.env.BENCH_SECONDS ?? (quick ? 2 : 5)),
    warmupSeconds: quick ? 1 : 3,
    profile: !argv.includes('--no-profile'),
    profileDir: process.env.BENCH_PROFILE_DIR ?? path.join(os.tmpdir(), 'labshare-bench-profiles'),
  };
}

const BENCH_JWT_SECRET = randomBytes(32).toString('base64url');

/** Environment for an API or worker process of the suite. */
export function serviceEnv(s: BenchSettings, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    // Required in production; the bench's e-mails go to files and nobody follows their links.
    PUBLIC_URL: 'http://localhost',
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    QUEUE_PREFIX: s.queuePrefix,
    SEED_DEMO: 'false',
    RUN_WORKERS: 'false',
    LOG_LEVEL: 'error',
    // Random per run: a secret written in the source would sign tokens for whoever reads it.
    JWT_SECRET: BENCH_JWT_SECRET,
    // Limits stay on (their Redis round trip is part of every request's cost) but high enough never to refuse
    // the benchmark's few users.
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    RATE_LIMIT_PARTNER_PER_MINUTE: '100000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
    ...extra,
  };
}
