// The only reader of process.env: every setting is parsed and validated once, here.
import { z } from 'zod';
import { hashTag } from './redis';

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

/** An absolute http(s) URL with a host and nothing after the path (links are built by appending to it). */
function isBaseUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '' && !parsed.search && !parsed.hash
      && !value.includes('?') && !value.includes('#') && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

const positiveInt = z.coerce.number().int().positive();
const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Secrets that earlier versions published in their source (defaults, benches): anyone could sign tokens with them. */
const PUBLISHED_SECRETS = new Set(['labshare-development-secret-change-me-in-production', 'labshare-bench-secret-for-the-bench-database-only']);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: url(['mysql:', 'mariadb:']).default('mysql://root@127.0.0.1:3306/labshare'),
  /** Optional read replicas (comma-separated mysql:// URLs); reads that tolerate lag go there. */
  DATABASE_REPLICA_URLS: z.string().default(''),
  /** After a person's mutation, their replica-routed reads go to the primary this long (src/db/recent-writers.ts). */
  READ_YOUR_WRITES_SECONDS: positiveInt.default(10),
  DATABASE_POOL_MAX: positiveInt.default(10),
  /** Longest any statement, connect or wait for a pooled connection may take; a frozen server must not hang requests. 0: no bound. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /**
   * Redis Cluster seed nodes, host:port,host:port (a few suffice; the client learns the rest). When set, every Redis
   * user connects to the cluster instead of REDIS_URL, whose credentials and TLS (rediss:) still apply.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .default('')
    .refine((v) => v.split(',').map((s) => s.trim()).filter(Boolean).every((node) => /^[^\s:,]+:\d{1,5}$/.test(node)), 'must be a comma-separated list of host:port'),
  /**
   * Replicas that must hold the relay's new jobs before it marks their events dispatched (Redis WAIT on the master
   * that took them): a master lost before replicating would otherwise take the jobs with it. 0: no wait (no replicas).
   */
  REDIS_MIN_REPLICAS: z.coerce.number().int().min(0).default(0),
  /** How long the relay's WAIT may take; past it the events stay undispatched and the sweeper adds them again. */
  REDIS_REPLICA_WAIT_MS: positiveInt.default(1000),
  /** BullMQ key prefix; wrap in braces, e.g. {labshare}, to keep all queue keys in one Redis Cluster slot. */
  QUEUE_PREFIX: z.string().min(1).default('{labshare}'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Loopback unless set: a development install is not reachable from the network by accident. */
  HOST: z.string().default('127.0.0.1'),
  /** Unset: a random secret is generated on first start and kept in the database (src/access/signing-secret.ts). */
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .refine((v) => !PUBLISHED_SECRETS.has(v), 'this secret was published with LabShare; generate your own, e.g. openssl rand -base64 48')
    .optional(),
  JWT_ISSUER: z.string().default('labshare'),
  JWT_TTL_SECONDS: positiveInt.default(8 * 3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: boolFlag.default(true),
  RUN_WORKERS: boolFlag.default(true),
  MAIL_FROM: z.string().default('LabShare <no-reply@labshare.example>'),
  SMTP_URL: z.string().default(''),
  MAIL_DIR: z.string().default('var/mail'),
  CORS_ORIGINS: z.string().default(''),
  /** Express "trust proxy" (true, a hop count, or addresses): set behind a load balancer so rate limits see client addresses. */
  TRUST_PROXY: z.string().default(''),
  /** Largest accepted request body, in bytes. */
  GRAPHQL_MAX_BODY_BYTES: positiveInt.default(1024 * 1024),
  GRAPHQL_MAX_DEPTH: positiveInt.default(10),
  GRAPHQL_MAX_ALIASES: positiveInt.default(30),
  GRAPHQL_MAX_TOKENS: positiveInt.default(5000),
  /** Estimated work per operation: every field counts, multiplied by list sizes (first, ids). */
  GRAPHQL_MAX_COST: positiveInt.default(20000),
  /** Requests per minute per caller; 0 turns a limit off (e.g. for benchmarks). */
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_PARTNER_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  SHUTDOWN_GRACE_MS: positiveInt.default(10000),
  // --- jobs (jobs/, the outbox relay jobs/relay.ts): delays are settings so tests and benches can shorten them ---
  /** Run the outbox relay in the API process; defaults to RUN_WORKERS. Set true with RUN_WORKERS=false for API-only nodes. */
  RUN_RELAY: boolFlag.optional(),
  /** Reminders before a confirmed booking starts, in minutes (decimals allowed). */
  REMINDER_OFFSETS_MINUTES: z
    .string()
    .default('1440,60')
    .refine((v) => v.split(',').every((s) => s.trim() !== '' && Number(s) > 0), 'must be a comma-separated list of positive minutes, e.g. 1440,60')
    .transform((v) => v.split(',').map(Number)),
  /** The usage log is written this long after a booking ends; check-out stays open 60 minutes after the end. */
  USAGE_GRACE_MINUTES: z.coerce.number().nonnegative().default(60),
  /** PENDING requests still undecided this long before their start expire. */
  EXPIRY_LEAD_MINUTES: z.coerce.number().nonnegative().default(0),
  OUTBOX_SWEEP_INTERVAL_MS: positiveInt.default(5000),
  /** The sweeper leaves younger events to the relay's after-commit wake-up. */
  OUTBOX_SWEEP_MIN_AGE_MS: z.coerce.number().int().nonnegative().default(3000),
  OUTBOX_RETENTION_DAYS: z.coerce.number().positive().default(14),
  HOUSEKEEPING_INTERVAL_MS: positiveInt.default(60_000),
  WEBHOOK_ATTEMPTS: positiveInt.default(8),
  /** First retry delay; doubles on each attempt (5 s, 10 s, 20 s ... about 10 minutes over 8 attempts). */
  WEBHOOK_BACKOFF_MS: positiveInt.default(5000),
  WEBHOOK_TIMEOUT_MS: positiveInt.default(10_000),
  /** Tests and local receivers only: webhook URLs may use http and reach loopback or private addresses. */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolFlag.default(false),
  WORKER_CONCURRENCY: positiveInt.default(10),
  WORKER_LOCK_DURATION_MS: positiveInt.default(30_000),
  WORKER_STALLED_INTERVAL_MS: positiveInt.default(30_000),
  /** `npm run worker` serves /metrics on this port when set (0: off). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** When set, /metrics requires Authorization: Bearer <METRICS_TOKEN>. */
  METRICS_TOKEN: z.string().default(''),
  // --- signing in (src/auth) ---
  /**
   * The public address of LabShare (web app and API), e.g. https://labshare.example.org: the base of every link in
   * e-mails and of the OIDC redirect URI (<PUBLIC_URL>/auth/oidc/callback). Required in production; elsewhere e-mails
   * link to the server's own address (http://localhost:PORT) and sign-in takes it from each request.
   */
  PUBLIC_URL: z
    .string()
    .default('')
    .refine((v) => v === '' || isBaseUrl(v), 'must be an absolute http:// or https:// URL without query or fragment, e.g. https://labshare.example.org'),
  /** A session ends after this long without a request... */
  SESSION_IDLE_MINUTES: positiveInt.default(12 * 60),
  /** ...and this long after sign-in in any case. */
  SESSION_ABSOLUTE_HOURS: positiveInt.default(14 * 24),
  /** 32 bytes as 64 hex characters or base64: encrypts identity providers' client secrets. Required in production once a provider is stored. */
  SECRETS_ENCRYPTION_KEY: z.string().default(''),
  /** E-mail sign-in links requested per address, and per client address, per hour. */
  SIGN_IN_LINKS_PER_ADDRESS_PER_HOUR: positiveInt.default(5),
  SIGN_IN_LINKS_PER_CLIENT_PER_HOUR: positiveInt.default(30),
  /** Test-only: processors wait this long before sending, so a test can kill a worker mid-job. Ignored outside NODE_ENV=test. */
  TEST_PROCESSOR_DELAY_MS: z.coerce.number().int().nonnegative().default(0),
}).superRefine((cfg, ctx) => {
  // Links in e-mails must reach people outside this machine: production cannot guess its public address.
  if (cfg.NODE_ENV === 'production' && !cfg.PUBLIC_URL) {
    ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production: the address people open LabShare at, e.g. https://labshare.example.org' });
  }
  // On a cluster, BullMQ's scripts and the rate limiter's keys must share one slot: only a hash tag guarantees it.
  if (cfg.REDIS_CLUSTER_NODES.trim() && !hashTag(cfg.QUEUE_PREFIX)) {
    ctx.addIssue({ code: 'custom', path: ['QUEUE_PREFIX'], message: 'on a Redis Cluster (REDIS_CLUSTER_NODES) it needs a hash tag in braces, e.g. {labshare}, so that all queue keys share one slot' });
  }
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses settings; throws ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    // Secrets and tokens are never echoed to the terminal or the logs.
    const shown = env[name] === undefined || /SECRET|TOKEN/.test(name) ? '' : ` (got "${env[name]}")`;
    throw new ConfigError(`Invalid setting ${name}${shown}: ${issue.message}`);
  }
  return result.data;
}

/** Where links in e-mails lead: PUBLIC_URL, else this server's own address (development and tests). */
export function publicUrl(cfg: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (cfg.PUBLIC_URL) return cfg.PUBLIC_URL.replace(/\/+$/, '');
  const host = ['0.0.0.0', '::', '127.0.0.1', '::1', ''].includes(cfg.HOST) ? 'localhost' : cfg.HOST.includes(':') ? `[${cfg.HOST}]` : cfg.HOST;
  return `http://${host}:${cfg.PORT}`;
}

let cached: Config | undefined;
/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
