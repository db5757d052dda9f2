// A private 6-node Redis Cluster (3 masters, 3 replicas) on loopback ports, in a temp dir, for the cluster tests:
// redis-server --cluster-enabled yes, then redis-cli --cluster create. cluster-node-timeout is short (2 s) so a
// killed master's replica is promoted within seconds.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './processes';

export const CLUSTER_NODE_TIMEOUT_MS = 2000;

export interface ClusterNode {
  port: number;
  child: ChildProcess;
}

export interface RedisClusterFixture {
  nodes: ClusterNode[];
  /** REDIS_CLUSTER_NODES for LabShare: every node, host:port,... */
  seeds: string;
  /** redis-cli against one live node. */
  cli(port: number, ...args: string[]): string;
  /** The port of the master that serves `slot` now, asked of a live node. */
  masterOf(slot: number): number;
  keySlot(key: string): number;
  kill(port: number): Promise<void>;
  stop(): Promise<void>;
}

function cli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 });
  return result.stdout ?? '';
}

function isAlive(node: ClusterNode): boolean {
  return node.child.exitCode === null && node.child.signalCode === null;
}

export async function startRedisCluster(): Promise<RedisClusterFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'labshare-redis-cluster-'));
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < 6; i += 1) {
    const port = await freePort();
    // The cluster bus port is port + 10000 by default, which may be out of range or taken: choose a free one.
    const busPort = await freePort();
    const child = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(busPort),
      '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS),
      '--dir', dir, '--save', '', '--appendonly', 'no',
    ], { stdio: 'ignore' });
    nodes.push({ port, child });
  }
  const stop = async () => {
    await Promise.all(nodes.map((node) => killNode(node)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const node of nodes) await waitUntil(() => cli(node.port, 'PING').trim() === 'PONG', `redis-server on port ${node.port}`);
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    for (const node of nodes) await waitUntil(() => /cluster_state:ok/.test(cli(node.port, 'CLUSTER', 'INFO')), `cluster_state:ok on ${node.port}`);
    // A replica that has not synced with its master yet is not eligible for promotion: failover tests need them all.
    for (const node of nodes) {
      await waitUntil(() => {
        const info = cli(node.port, 'INFO', 'replication');
        return /^role:master/m.test(info) || /^master_link_status:up/m.test(info);
      }, `replica on ${node.port} in sync`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const live = () => {
    const node = nodes.find(isAlive);
    if (!node) throw new Error('no live cluster node');
    return node.port;
  };
  return {
    nodes,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    cli,
    keySlot: (key) => Number(cli(live(), 'CLUSTER', 'KEYSLOT', key).trim()),
    masterOf(slot) {
      // CLUSTER NODES: id addr flags master ping pong epoch link-state slot-ranges...
      for (const line of cli(live(), 'CLUSTER', 'NODES').split('\n')) {
        const fields = line.trim().split(' ');
        if (fields.length < 9 || !fields[2].includes('master') || fields[2].includes('fail')) continue;
        const serves = fields.slice(8).some((range) => {
          const [from, to = from] = range.split('-').map(Number);
          return slot >= from && slot <= to;
        });
        if (serves) return Number(fields[1].split('@')[0].split(':')[1]);
      }
      return -1;
    },
    kill: (port) => killNode(nodes.find((n) => n.port === port)!),
    stop,
  };
}

let shared: Promise<RedisClusterFixture> | undefined;

/**
 * One cluster for every test file that needs one (starting six nodes costs seconds), stopped after the whole run
 * (test/helpers/setup.ts). A test that kills or stops nodes leaves the others usable; tests needing a healthy master
 * and replica pick one (see test/jobs/relay-replication.test.ts).
 */
export function sharedRedisCluster(): Promise<RedisClusterFixture> {
  shared ??= startRedisCluster();
  return shared;
}

export async function stopSharedRedisCluster(): Promise<void> {
  const running = shared;
  shared = undefined;
  if (running) await (await running.catch(() => null))?.stop();
}

function killNode(node: ClusterNode): Promise<void> {
  return new Promise((resolve) => {
    if (!isAlive(node)) return resolve();
    node.child.once('exit', () => resolve());
    node.child.kill('SIGKILL');
  });
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
