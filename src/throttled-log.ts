// For errors that repeat in a loop (a worker that cannot reach its queue, a cluster node that keeps failing): the
// first one is logged at once, later ones at most once per interval with how many were left out, so a loop is
// visible at warn/error without flooding the log.
import type { Logger } from './logger';

export function throttledLog(logger: Logger, level: 'warn' | 'error', msg: string, intervalMs: number): (fields: Record<string, unknown>) => void {
  let lastAt = -Infinity;
  let leftOut = 0;
  return (fields) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      leftOut += 1;
      return;
    }
    logger[level](leftOut ? { ...fields, repeated: leftOut, intervalMs } : fields, msg);
    lastAt = now;
    leftOut = 0;
  };
}
