// A throwaway mariadbd for fault tests: its own data directory, socket and loopback port, root without a password.
// Tests freeze (SIGSTOP), thaw, and kill it; stop() always kills it and removes its files. Never the shared server.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './processes';

export interface PrivateMariaDb {
  /** mysql://root@127.0.0.1:<port> (append /<database>). */
  url: string;
  port: number;
  child: ChildProcess;
  freeze(): void;
  thaw(): void;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** `args` replace the default --skip-log-bin (e.g. a replication primary's binlog and server id). */
export async function startPrivateMariaDb(options: { args?: string[] } = {}): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'labshare-mariadb-'));
  const datadir = path.join(dir, 'data');
  const user = os.userInfo().username; // mariadbd refuses to run as root unless told to
  // Temporary tables in its own folder, not the shared /tmp: a bootstrap there once lost its temporary table
  // ("Unknown table 'mysql.tmp_user_sys'") while other servers came and went.
  await promisify(execFile)('mariadb-install-db', [
    '--no-defaults', `--datadir=${datadir}`, `--user=${user}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--tmpdir=${dir}`,
  ]);
  const port = await freePort();
  const child = spawn('mariadbd', [
    '--no-defaults', `--datadir=${datadir}`, `--socket=${path.join(dir, 'mariadb.sock')}`, `--pid-file=${path.join(dir, 'mariadb.pid')}`,
    `--port=${port}`, '--bind-address=127.0.0.1', `--user=${user}`, '--skip-name-resolve', `--tmpdir=${dir}`, ...(options.args ?? ['--skip-log-bin']),
    '--innodb-buffer-pool-size=32M', '--innodb-flush-log-at-trx-commit=2',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await gone;
  };
  const url = `mysql://root@127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited early (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
      await connection.end();
      break;
    } catch {
      if (Date.now() > deadline) {
        await kill();
        throw new Error(`mariadbd did not accept connections on port ${port}: ${stderr.slice(-2000)}`);
      }
      await sleep(100);
    }
  }
  return {
    url,
    port,
    child,
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    kill,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
