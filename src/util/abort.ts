/**
 * Settles with `promise`, or rejects as soon as `signal` aborts — without cancelling the promise's
 * work, which may be shared with other waiters. `onAbort` runs once on abort (before rejecting) and
 * returns the rejection reason; by default the signal's own reason.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => unknown = () => signal?.reason): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
