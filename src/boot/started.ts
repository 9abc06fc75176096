/**
 * The bundle loader (boot/load.ts) caches what V8 compiled once the gateway is up: the functions a start runs are
 * compiled lazily, so a cache made before they ran would hold little more than the module wrappers. This is the
 * signal between the two; it lives on `globalThis` because the loader is outside the bundle it loads.
 */
export const STARTED_HOOK = Symbol.for('thuegate.boot.started');

/** Start-up is over (the gateway listens); a no-op unless the bundle loader is running this process. */
export function startupDone(): void {
  const hook = (globalThis as Record<symbol, unknown>)[STARTED_HOOK];
  if (typeof hook === 'function') (hook as () => void)();
}
