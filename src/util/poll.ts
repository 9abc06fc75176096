/**
 * Polls `ok` every 10 ms until it holds (true), `stop` holds (false) or the timeout passes (false). Used by the
 * Redis-backed tiers (data cache L2, shared response cache) to tell tests and readiness when their connection
 * and pub/sub subscription are up; both used to carry the same loop.
 */
export async function pollUntil(ok: () => boolean, stop: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!stop()) {
    if (ok()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}
