// Preloaded (node -r) into every process the suite measures. It counts the SQL statements the process sends
// through mysql2, by kind, and the HTTP requests it receives, and can record a CPU profile of just the measured window; both are driven over IPC.
// Counting costs one increment per statement, the same on LabShare's side and the baseline's.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector';
import mysql from 'mysql2';

export interface QueryCounts {
  total: number;
  byKind: Record<string, number>;
  /** HTTP requests the process's servers received (answered or not): the denominator of "statements per request". */
  httpRequests: number;
}

const counts: QueryCounts = { total: 0, byKind: {}, httpRequests: 0 };

// Every request an http.Server takes in, counted where it arrives: a load generator's count of responses misses the
// requests it abandoned in flight at the end of a timed run, whose statements the server still sent.
const serverEmit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
http.Server.prototype.emit = function countedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
  if (event === 'request') counts.httpRequests += 1;
  return serverEmit.call(this, event, ...args);
} as typeof http.Server.prototype.emit;

function kindOf(sql: unknown): string {
  const text = typeof sql === 'string' ? sql : (sql as { sql?: string })?.sql ?? '';
  const match = /^\s*\(?\s*(\w+)/.exec(text);
  return (match?.[1] ?? 'OTHER').toUpperCase();
}

// query and execute live on the base class every connection (pooled or not) inherits from.
const base = Object.getPrototypeOf(mysql.Connection.prototype) as Record<string, (...args: unknown[]) => unknown>;
for (const method of ['query', 'execute']) {
  const original = base[method];
  base[method] = function counted(this: unknown, ...args: unknown[]) {
    counts.total += 1;
    const kind = kindOf(args[0]);
    counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
    return original.apply(this, args);
  };
}

let session: Session | undefined;

function post(method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
}

type ProbeMessage = string | { type: 'bench:profile-stop'; file: string };

if (process.send) {
  // The bench runner is gone (crashed, killed): a measured process has no reason to outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ProbeMessage) => {
    if (message === 'bench:query-counts') {
      process.send?.({ type: 'bench:query-counts', counts: { total: counts.total, byKind: { ...counts.byKind }, httpRequests: counts.httpRequests } });
    } else if (message === 'bench:profile-start') {
      session ??= new Session();
      session.connect();
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: 200 }))
        .then(() => post('Profiler.start'))
        .then(() => process.send?.({ type: 'bench:profile-started' }));
    } else if (typeof message === 'object' && message?.type === 'bench:profile-stop') {
      void post('Profiler.stop').then((result) => {
        writeFileSync(message.file, JSON.stringify((result as { profile: unknown }).profile));
        session?.disconnect();
        process.send?.({ type: 'bench:profile-written', file: message.file });
      });
    }
  });
}
