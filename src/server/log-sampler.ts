import type { Logger } from '../observability/log';

/**
 * Bounds log volume under attack: at most `perSecond` lines a second; what is dropped is counted and reported
 * on the next line that gets through (`suppressed`), so an operator still sees how much happened.
 */
export function sampledLogger(logger: Logger, perSecond = 20, now: () => number = Date.now) {
  let windowStart = 0;
  let used = 0;
  let suppressed = 0;
  return (level: 'error' | 'warn' | 'info', msg: string, fields: Record<string, unknown>): void => {
    const t = now();
    if (t - windowStart >= 1000) {
      windowStart = t;
      used = 0;
    }
    if (used >= perSecond) {
      suppressed++;
      return;
    }
    used++;
    const extra = suppressed ? { suppressed } : {};
    suppressed = 0;
    logger[level](msg, { ...fields, ...extra });
  };
}

export type SampledLog = ReturnType<typeof sampledLogger>;
