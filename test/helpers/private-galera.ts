// A private 3-node MariaDB Galera cluster on loopback ports (galera-4 from Debian's packages), for the Galera tests:
// node 1 bootstraps the cluster, nodes 2 and 3 join it by rsync state transfer. stop() kills all and removes the files.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './processes';

export const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';

export interface GaleraNode {
  /** mysql://root@127.0.0.1:<port> (append /<database>). */
  url: string;
  port: number;
  child: ChildProcess;
}

export interface PrivateGalera {
  nodes: GaleraNode[];
  stop(): Promise<void>;
}

/** The user mariadbd runs as: as root, "nobody", because the rsync daemon of a state transfer drops root to nobody. */
function runAs(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  return { name: 'nobody', uid: 65534, gid: 65534 };
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) chownTree(full, uid, gid);
    else chownSync(full, uid, gid);
  }
}

async function ready(port: number, size: number): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
    try {
      const [rows] = await connection.query("SHOW STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_cluster_size')");
      const status = Object.fromEntries((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]));
      return status.wsrep_ready === 'ON' && Number(status.wsrep_cluster_size) >= size;
    } finally {
      await connection.end();
    }
  } catch {
    return false;
  }
}

async function untilReady(nodes: GaleraNode[], size: number): Promise<void> {
  const deadline = Date.now() + 40_000;
  for (;;) {
    const answers = await Promise.all(nodes.map((node) => ready(node.port, size)));
    if (answers.every(Boolean)) return;
    const dead = nodes.findIndex((node) => node.child.exitCode !== null || node.child.signalCode !== null);
    if (dead >= 0) throw new Error(`Galera node ${dead + 1} exited while the cluster formed`);
    if (Date.now() > deadline) throw new Error(`the Galera cluster did not reach ${size} ready nodes within 40 s`);
    await sleep(200);
  }
}

export async function startPrivateGalera(size = 3): Promise<PrivateGalera> {
  if (!existsSync(GALERA_PROVIDER)) throw new Error(`${GALERA_PROVIDER} is missing: install Debian's galera-4 package`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'labshare-galera-'));
  chmodSync(dir, 0o755);
  const account = runAs();
  const user = account?.name ?? os.userInfo().username;
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ sql: await freePort(), group: await freePort(), ist: await freePort(), sst: await freePort() })));
  const clusterAddress = `gcomm://${ports.map((p) => `127.0.0.1:${p.group}`).join(',')}`;
  const nodes: GaleraNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map(({ child }) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    })));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i += 1) {
      const datadir = path.join(dir, `node${i + 1}`);
      await promisify(execFile)('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, `--user=${user}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
    }
    // Data, sockets and pid files all belong to the user mariadbd runs as.
    if (account) chownTree(dir, account.uid, account.gid);
    for (let i = 0; i < size; i += 1) {
      const p = ports[i];
      const child = spawn('mariadbd', [
        '--no-defaults', `--datadir=${path.join(dir, `node${i + 1}`)}`, `--socket=${path.join(dir, `node${i + 1}.sock`)}`,
        `--pid-file=${path.join(dir, `node${i + 1}.pid`)}`, `--port=${p.sql}`, '--bind-address=127.0.0.1', `--user=${user}`,
        '--skip-name-resolve', '--innodb-buffer-pool-size=32M', '--innodb-flush-log-at-trx-commit=2',
        // What Galera requires: row-based binlog format, InnoDB, interleaved auto-increment locks.
        '--binlog-format=ROW', '--default-storage-engine=InnoDB', '--innodb-autoinc-lock-mode=2',
        '--wsrep-on=ON', `--wsrep-provider=${GALERA_PROVIDER}`, `--wsrep-cluster-address=${clusterAddress}`,
        `--wsrep-node-address=127.0.0.1:${p.group}`, `--wsrep-node-name=node${i + 1}`,
        `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${p.group};ist.recv_addr=127.0.0.1:${p.ist};gcache.size=32M`,
        '--wsrep-sst-method=rsync', `--wsrep-sst-receive-address=127.0.0.1:${p.sst}`,
        ...(i === 0 ? ['--wsrep-new-cluster'] : []),
      ], { stdio: 'ignore' });
      nodes.push({ url: `mysql://root@127.0.0.1:${p.sql}`, port: p.sql, child });
      // The first node must be up before the others ask it for a state transfer; they join together.
      if (i === 0) await untilReady(nodes, 1);
    }
    await untilReady(nodes, size);
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, stop };
}
