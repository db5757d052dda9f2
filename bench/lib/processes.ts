// Child processes the suite measures: API servers (compiled dist/src/server.js), bare baselines and workers.
// Each carries the query counter and can be sampled for RSS and CPU time from /proc, as /usr/bin/time would.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIST, ROOT } from './settings';
import type { QueryCounts } from './probe';
import { median } from './stats';

export const SERVER_ENTRY = path.join(DIST, 'src', 'server.js');
export const PROBE = path.join(__dirname, 'probe.js');
const CLOCK_TICKS = 100; // USER_HZ on Linux

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface Measured {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Statements sent to MariaDB since start, by kind. */
  queryCounts(): Promise<QueryCounts>;
  /** CPU milliseconds (user + system) used since start. */
  cpuMs(): number;
  rssMb(): number;
  /** Sends a message over IPC and waits for the reply of the given type. */
  request(message: unknown, replyType: string, timeoutMs?: number): Promise<unknown>;
  /** Starts a CPU profile of this process (inspector, in-process); stopProfile writes it as a .cpuprofile file. */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  /** The last lines the process wrote to stderr. */
  stderrTail(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface HttpProcess extends Measured {
  url: string;
}

export interface StartOptions {
  name: string;
  entry: string;
  args?: string[];
  env: Record<string, string>;
}

// Every child still running when the runner exits (a crash, Ctrl-C) is killed, so no measured process outlives it.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function readProc(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

export function startMeasured(options: StartOptions): Measured {
  const nodeArgs = ['-r', PROBE];
  const child = spawn(process.execPath, [...nodeArgs, options.entry, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const pid = child.pid as number;
  const ask = (message: unknown, replyType: string, timeoutMs = 10_000) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`${options.name}: no ${replyType} answer`));
      }, timeoutMs);
      const onMessage = (reply: { type?: string }) => {
        if (reply?.type !== replyType) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(reply);
      };
      child.on('message', onMessage);
      // A child that died would make send() throw from an 'error' event and take the runner down without saying why.
      if (!child.connected) {
        clearTimeout(timer);
        child.off('message', onMessage);
        reject(new Error(`${options.name} is gone (exit ${child.exitCode ?? child.signalCode}): ${stderr.trim().slice(-1500)}`));
        return;
      }
      child.send(message as object, (error) => {
        if (!error) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        reject(new Error(`${options.name}: ${error.message}: ${stderr.trim().slice(-1500)}`));
      });
    });
  return {
    name: options.name,
    child,
    pid,
    request: ask,
    queryCounts: async () => ((await ask('bench:query-counts', 'bench:query-counts')) as { counts: QueryCounts }).counts,
    startProfile: async () => {
      await ask('bench:profile-start', 'bench:profile-started');
    },
    stopProfile: async (file: string) => {
      await ask({ type: 'bench:profile-stop', file }, 'bench:profile-written', 60_000);
    },
    cpuMs: () => {
      const fields = readProc(pid, 'stat').replace(/^.*\) /, '').split(' ');
      // after "(comm) ": state is fields[0]; utime and stime are the 14th and 15th fields of the full line
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    },
    rssMb: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readProc(pid, 'status'));
      return match ? Number(match[1]) / 1024 : NaN;
    },
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', (code) => {
          clearTimeout(force);
          resolve(code);
        });
        child.kill(signal);
      }),
    stderrTail: () => stderr,
  };
}

/** Starts an HTTP process on a free port and waits until GET /healthz answers. */
export async function startHttp(options: StartOptions): Promise<HttpProcess> {
  const port = await freePort();
  const measured = startMeasured({ ...options, env: { ...options.env, PORT: String(port), HOST: '127.0.0.1' } });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (measured.child.exitCode !== null) {
      throw new Error(`${options.name} exited early (${measured.child.exitCode}): ${measured.stderrTail()}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await measured.stop('SIGKILL');
      throw new Error(`${options.name} did not start in 60 s: ${measured.stderrTail()}`);
    }
    await sleep(100);
  }
  return { ...measured, url };
}

/** Samples a process's RSS every interval while a measurement runs; CPU is the difference of /proc counters. */
export class ResourceSampler {
  private samples: number[] = [];
  private timer?: NodeJS.Timeout;
  private cpuStart = 0;

  constructor(private readonly target: Measured, private readonly intervalMs = 200) {}

  start(): void {
    this.samples = [];
    this.cpuStart = this.target.cpuMs();
    this.timer = setInterval(() => this.samples.push(this.target.rssMb()), this.intervalMs);
  }

  stop(): { rssMaxMb: number; rssMedianMb: number; cpuMs: number } {
    clearInterval(this.timer);
    this.samples.push(this.target.rssMb());
    return { rssMaxMb: Math.max(...this.samples), rssMedianMb: median(this.samples), cpuMs: this.target.cpuMs() - this.cpuStart };
  }
}
