import { activeTraceIds } from './tracing';

const LEVELS = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 } as const;
export type LogLevel = keyof typeof LEVELS;
export const LOG_LEVELS = Object.keys(LEVELS) as LogLevel[];
type Level = Exclude<LogLevel, 'silent'>;

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON object per line on stderr: what log shippers in municipal data centres ingest without config. Lines written
 * while a request is served carry its `traceId` (= its X-Request-Id) and `spanId` (observability/tracing.ts).
 */
export function createLogger(level: LogLevel = 'info'): Logger {
  const max = LEVELS[level];
  const emit = (lvl: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] > max) return;
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...activeTraceIds(), ...fields }) + '\n');
  };
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug') };
}
