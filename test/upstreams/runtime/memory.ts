import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gcFn = runInNewContext('gc') as (() => void) | undefined;

export function gc(): void {
  gcFn?.();
}

const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/**
 * Runs `fn` and reports how far heap + ArrayBuffer memory rose above the level before it,
 * sampling every few milliseconds so a transient spike is seen even if it is collected later.
 */
export async function peakGrowth<T>(fn: () => Promise<T> | T): Promise<{ result: T | undefined; error: unknown; peakBytes: number }> {
  gc();
  const before = used();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, used());
  }, 2);
  let result: T | undefined;
  let error: unknown;
  try {
    result = await fn();
  } catch (e) {
    error = e;
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, used());
  return { result, error, peakBytes: peak - before };
}

export const MB = 1024 * 1024;
