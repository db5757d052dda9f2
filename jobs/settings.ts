// The knobs of the job pipeline, in milliseconds, taken from the config once. Tests and benches pass overrides
// instead of touching process.env, so one process can run pipelines with different delays.
import { publicUrl, type Config } from '../src/config';

export interface JobSettings {
  /** Reminder lead times before a confirmed booking starts. */
  reminderOffsetsMs: number[];
  /** The usage log is written this long after the booking's end. */
  usageGraceMs: number;
  /** PENDING requests undecided this long before their start expire. */
  expiryLeadMs: number;
  sweepIntervalMs: number;
  /** Undispatched events younger than this are left to the relay's wake-up. */
  sweepMinAgeMs: number;
  outboxRetentionMs: number;
  housekeepingIntervalMs: number;
  webhookAttempts: number;
  webhookBackoffMs: number;
  webhookTimeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: deliveries may connect to loopback and private addresses (tests only). */
  webhookAllowPrivateTargets: boolean;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Test-only pause between claiming a delivery and sending it. */
  processorDelayMs: number;
  mailFrom: string;
  /** The base of links in e-mails (PUBLIC_URL, or this server's own address in development). */
  publicUrl: string;
  /** Managers who chose the daily digest get it from this local hour (their zone) until noon. */
  digestHour: number;
  /** REDIS_MIN_REPLICAS: replicas that must acknowledge the relay's adds before events count as dispatched (0: none). */
  minReplicas: number;
  /** REDIS_REPLICA_WAIT_MS: the longest the relay waits for them. */
  replicaWaitMs: number;
}

const MINUTE = 60_000;
/** 08:00 in the manager's zone: before the working day, late enough not to wake anyone. */
export const DIGEST_HOUR = 8;

export function jobSettings(cfg: Config, overrides: Partial<JobSettings> = {}): JobSettings {
  return {
    reminderOffsetsMs: cfg.REMINDER_OFFSETS_MINUTES.map((m) => Math.round(m * MINUTE)),
    usageGraceMs: Math.round(cfg.USAGE_GRACE_MINUTES * MINUTE),
    expiryLeadMs: Math.round(cfg.EXPIRY_LEAD_MINUTES * MINUTE),
    sweepIntervalMs: cfg.OUTBOX_SWEEP_INTERVAL_MS,
    sweepMinAgeMs: cfg.OUTBOX_SWEEP_MIN_AGE_MS,
    outboxRetentionMs: Math.round(cfg.OUTBOX_RETENTION_DAYS * 24 * 60 * MINUTE),
    housekeepingIntervalMs: cfg.HOUSEKEEPING_INTERVAL_MS,
    webhookAttempts: cfg.WEBHOOK_ATTEMPTS,
    webhookBackoffMs: cfg.WEBHOOK_BACKOFF_MS,
    webhookTimeoutMs: cfg.WEBHOOK_TIMEOUT_MS,
    webhookAllowPrivateTargets: cfg.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    concurrency: cfg.WORKER_CONCURRENCY,
    lockDurationMs: cfg.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: cfg.WORKER_STALLED_INTERVAL_MS,
    processorDelayMs: cfg.NODE_ENV === 'test' ? cfg.TEST_PROCESSOR_DELAY_MS : 0,
    mailFrom: cfg.MAIL_FROM,
    publicUrl: publicUrl(cfg),
    digestHour: DIGEST_HOUR,
    minReplicas: cfg.REDIS_MIN_REPLICAS,
    replicaWaitMs: cfg.REDIS_REPLICA_WAIT_MS,
    ...overrides,
  };
}
