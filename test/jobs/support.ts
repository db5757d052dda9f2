// Helpers for pipeline tests: a pipeline on the test database and queue prefix, a mail folder reader,
// a local webhook receiver, a throwaway redis-server, and polling.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startPipeline, type Pipeline, type PipelineOptions } from '../../jobs/pipeline';
import { QUEUE_KEYS, QUEUE_NAMES } from '../../jobs/queues';
import { jobSettings, type JobSettings } from '../../jobs/settings';
import { config } from '../../src/config';
import { logger } from '../../src/logger';
import { FolderMailer } from '../../src/notifications/mailer';
import { testDatabase } from '../helpers/db';

export const FAST: Partial<JobSettings> = {
  sweepIntervalMs: 200,
  sweepMinAgeMs: 300,
  lockDurationMs: 2000,
  stalledIntervalMs: 1000,
  webhookBackoffMs: 100,
  webhookAttempts: 3,
  webhookTimeoutMs: 2000,
  housekeepingIntervalMs: 60_000,
};

export interface TestPipeline extends Pipeline {
  mailDir: string;
  settings: JobSettings;
}

/** Empties every queue under the prefix, so jobs left by an earlier run cannot leak into this one. */
export async function obliterateQueues(redisUrl = config().REDIS_URL, prefix = config().QUEUE_PREFIX): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    for (const key of QUEUE_KEYS) {
      const queue = new Queue(QUEUE_NAMES[key], { connection, prefix });
      await queue.obliterate({ force: true });
      for (const scheduler of await queue.getJobSchedulers()) await queue.removeJobScheduler(scheduler.key);
      await queue.close();
    }
  } finally {
    await connection.quit();
  }
}

export async function startTestPipeline(
  settings: Partial<JobSettings> = {},
  options: Partial<Omit<PipelineOptions, 'settings'>> & { mailDir?: string } = {},
): Promise<TestPipeline> {
  const cfg = config();
  const mailDir = options.mailDir ?? mkdtempSync(path.join(os.tmpdir(), 'labshare-mail-'));
  const merged = jobSettings(cfg, { ...FAST, ...settings });
  const pipeline = await startPipeline({
    redisUrl: cfg.REDIS_URL,
    prefix: cfg.QUEUE_PREFIX,
    sequelize: await testDatabase(),
    logger,
    mailer: new FolderMailer(mailDir),
    housekeeping: false,
    ...options,
    settings: merged,
  });
  return Object.assign(pipeline, { mailDir, settings: merged });
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// --- reading the mail folder ---

export interface ReceivedMail {
  file: string;
  headers: Record<string, string>;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  /** The HTML part (multipart/alternative beside the text), if any. */
  html?: string;
  /** The invite.ics attachment, decoded (CRLF lines), if any. */
  ics?: string;
}

function decodeWords(value: string): string {
  // Whitespace between two encoded words is folding, not content (RFC 2047 §6.2).
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
}

function headersOf(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

const quotedPrintable = (text: string) =>
  Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

export function readMailbox(dir: string): ReceivedMail[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files.map((file) => {
    const raw = readFileSync(path.join(dir, file), 'utf8');
    const split = raw.indexOf('\n\n');
    const headers = headersOf(raw.slice(0, split));
    const parts = raw.split(/\n--[^\n]*Part_\d+(?:--)?\n/);
    let text = '';
    let html: string | undefined;
    let ics: string | undefined;
    for (const part of parts) {
      const at = part.indexOf('\n\n');
      if (at < 0) continue;
      const partHeaders = headersOf(part.slice(0, at));
      const body = part.slice(at + 2);
      if (partHeaders['content-type']?.startsWith('text/plain')) {
        text = partHeaders['content-transfer-encoding'] === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : quotedPrintable(body);
      }
      if (partHeaders['content-type']?.startsWith('text/html')) {
        html = partHeaders['content-transfer-encoding'] === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : quotedPrintable(body);
      }
      if (partHeaders['content-disposition']?.includes('invite.ics')) ics = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    }
    return {
      file, headers, text, html, ics,
      to: decodeWords(headers.to ?? ''),
      subject: decodeWords(headers.subject ?? ''),
      messageId: headers['message-id'] ?? '',
    };
  });
}

/** ICS content lines (unfolded) as [name-with-params, value] pairs. */
export function icsLines(ics: string): [string, string][] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean).map((line) => {
    const at = line.indexOf(':');
    return [line.slice(0, at), line.slice(at + 1)];
  });
}

// --- a webhook receiver on 127.0.0.1 ---

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  path: string;
  /** Date.now() on arrival */
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The status to answer with (default 204). */
  status: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver = { received: [] as ReceivedWebhook[], status: 204 } as WebhookReceiver;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      receiver.received.push({ headers: req.headers, body, path: req.url ?? '', at: Date.now() });
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/labshare`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

// --- a throwaway redis-server ---

export interface RedisServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedisServer(port: number): Promise<RedisServer> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(async () => {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }, `redis-server on port ${port}`, 10_000, 50);
  return {
    url,
    port,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
