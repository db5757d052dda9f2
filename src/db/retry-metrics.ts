// labshare_transaction_retries_total{reason}: how often the transaction runner (transaction.ts) retried a command.
// Galera reports a certification failure (two nodes wrote the same rows) as a deadlock, so on Galera a rising
// "deadlock" rate means writers on different nodes conflict: send the writes to one node.
import { Counter } from 'prom-client';
import { metricsRegistry } from '../../jobs/metrics';

const transactionRetries = new Counter({
  name: 'labshare_transaction_retries_total',
  help: 'Transactions retried because the database said try again, by reason (deadlock, including Galera certification failures; lock_wait_timeout; record_changed; commit_failed)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

const REASONS: Record<number, string> = { 1213: 'deadlock', 1205: 'lock_wait_timeout', 1020: 'record_changed', 1180: 'commit_failed' };

/** Counts one retry of a transaction that failed with `error` (a retryable one: see isRetryable). */
export function countTransactionRetry(error: unknown): void {
  const e = error as { parent?: { errno?: number }; original?: { errno?: number }; errno?: number };
  const errno = e?.parent?.errno ?? e?.original?.errno ?? e?.errno ?? 0;
  transactionRetries.inc({ reason: REASONS[errno] ?? `errno_${errno}` });
}
