// The only reader of process.env: every setting is parsed and validated once, here.
import { z } from 'zod';

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const positiveInt = z.coerce.number().int().positive();
const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: url(['mysql:', 'mariadb:']).default('mysql://root@127.0.0.1:3306/labshare'),
  /** Optional read replicas (comma-separated mysql:// URLs); reads that tolerate lag go there. */
  DATABASE_REPLICA_URLS: z.string().default(''),
  DATABASE_POOL_MAX: positiveInt.default(10),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix; wrap in braces, e.g. {labshare}, to keep all queue keys in one Redis Cluster slot. */
  QUEUE_PREFIX: z.string().min(1).default('{labshare}'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default('labshare-development-secret-change-me-in-production'),
  JWT_ISSUER: z.string().default('labshare'),
  JWT_TTL_SECONDS: positiveInt.default(8 * 3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: boolFlag.default(true),
  RUN_WORKERS: boolFlag.default(true),
  MAIL_FROM: z.string().default('LabShare <no-reply@labshare.example>'),
  SMTP_URL: z.string().default(''),
  MAIL_DIR: z.string().default('var/mail'),
  CORS_ORIGINS: z.string().default(''),
  SHUTDOWN_GRACE_MS: positiveInt.default(10000),
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
    const shown = env[name] === undefined ? '' : ` (got "${env[name]}")`;
    throw new ConfigError(`Invalid setting ${name}${shown}: ${issue.message}`);
  }
  if (result.data.NODE_ENV === 'production' && result.data.JWT_SECRET === schema.shape.JWT_SECRET.parse(undefined)) {
    throw new ConfigError('Invalid setting JWT_SECRET: set a secret of your own in production');
  }
  return result.data;
}

let cached: Config | undefined;
/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
