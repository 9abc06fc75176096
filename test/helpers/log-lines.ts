import { vi } from 'vitest';

export interface LogLine {
  msg: string;
  traceId?: string;
  spanId?: string;
  [field: string]: unknown;
}

/**
 * The JSON log lines (observability/log.ts: one object per line on stderr) written while `fn` runs, with `fn`'s
 * result. Lines still reach stderr unless `quiet`.
 */
export async function logLinesDuring<T>(fn: () => Promise<T>, opts: { quiet?: boolean } = {}): Promise<{ result: T; lines: LogLine[] }> {
  const chunks: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(String(chunk));
    return opts.quiet ? true : (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
  let result: T;
  try {
    result = await fn();
  } finally {
    spy.mockRestore();
  }
  const lines = chunks.flatMap((c) => c.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
  return { result, lines };
}
