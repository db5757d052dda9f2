// The machine and versions a run used, for the head of BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { ROOT } from './settings';

function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function gitCommit(): string {
  // git itself, not .git/HEAD: in a worktree .git is a file pointing elsewhere.
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  mariadb: string;
  mariadbSettings: Record<string, string | number>;
  redis: string;
  packages: Record<string, string>;
  commit: string;
}

export async function machineInfo(pool: mysql.Pool, redisVersion: string): Promise<MachineInfo> {
  const [rows] = await pool.query(
    'SELECT VERSION() AS version, @@innodb_buffer_pool_size AS buffer_pool, @@innodb_flush_log_at_trx_commit AS flush_at_commit, @@max_connections AS max_connections',
  );
  const db = (rows as Record<string, string | number>[])[0];
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    mariadb: String(db.version),
    mariadbSettings: {
      innodb_buffer_pool_size: `${Math.round(Number(db.buffer_pool) / 1024 ** 2)} MB`,
      innodb_flush_log_at_trx_commit: db.flush_at_commit,
      max_connections: db.max_connections,
    },
    redis: redisVersion,
    packages: Object.fromEntries(
      ['@apollo/server', 'graphql', 'express', 'sequelize', 'mysql2', 'luxon', 'bullmq', 'ioredis', 'autocannon'].map((name) => [name, packageVersion(name)]),
    ),
    commit: gitCommit(),
  };
}
