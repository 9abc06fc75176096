import { createCache, type DataCache } from '../cache';
import type { Config } from '../config/config';
import type { Logger } from '../observability/log';
import type { Database } from '../persistence/orm';
import { municipalityDirectory } from '../reference/municipalities';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { AdapterClients } from '../upstreams/registry';
import type { UpstreamSource } from '../upstreams/runtime/source';
import { runHarvest, type HarvestOptions, type HarvestOutcome } from './harvester';
import { SnapshotStore } from './store';

export interface HarvestWithConfigOptions extends Pick<HarvestOptions, 'only' | 'full' | 'progress' | 'signal'> {
  config: Config;
  db: Database;
  baseUrls: Record<UpstreamName, string[]>;
  logger: Logger;
  /** The composition root's `buildUpstreams` over the given cache (passed in: src/server depends on this module, not back). */
  buildUpstreams(cache: DataCache): { clients: AdapterClients; sources: Record<UpstreamName, UpstreamSource> };
}

/**
 * A harvest with its own upstream clients and its own in-process cache: a harvest must read what the upstream
 * says now, not what the serving cache holds, and must not evict the serving cache's entries.
 */
export async function harvestWithConfig(o: HarvestWithConfigOptions): Promise<HarvestOutcome> {
  const cache = createCache({ maxBytes: 16 * 1024 * 1024 });
  const upstreams = o.buildUpstreams(cache);
  try {
    return await runHarvest({
      db: o.db,
      clients: upstreams.clients,
      directory: municipalityDirectory(),
      baseUrls: o.baseUrls,
      logger: o.logger,
      progress: o.progress,
      only: o.only,
      full: o.full,
      concurrency: o.config.harvest.concurrency,
      keepSnapshots: o.config.harvest.keepSnapshots,
      callTimeoutMs: Math.max(o.config.requestTimeoutMs, 30_000),
      signal: o.signal,
    });
  } finally {
    await Promise.all(Object.values(upstreams.sources).map((s) => s.client.close()));
    await cache.close();
  }
}

export interface HarvestSchedule {
  stop(): Promise<void>;
}

/**
 * HARVEST_INTERVAL inside `serve`: one harvest per interval (the first one interval after start), skipped
 * quietly when another replica holds the lock — it harvests for everyone, and this replica serves the new
 * snapshot once the pointer flips.
 */
export function startHarvestSchedule(o: Omit<HarvestWithConfigOptions, 'progress' | 'only' | 'full' | 'signal'>, intervalMs: number): HarvestSchedule {
  const abort = new AbortController();
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = harvestWithConfig({ ...o, signal: abort.signal })
      .then((r) => {
        if (r.status === 'locked') o.logger.info('scheduled harvest skipped: another replica is harvesting', { holder: r.holder });
        else if (r.status === 'complete') o.logger.info('scheduled harvest complete', { snapshot: r.snapshotId, durationMs: r.durationMs });
      })
      .catch((e: unknown) => o.logger.error('scheduled harvest failed', { error: (e as Error).message }))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  // A gateway that starts without a snapshot, or with one older than the interval, harvests now rather than one
  // interval later (a new embedded gateway would otherwise answer SNAPSHOT_NOT_AVAILABLE for hours). The advisory
  // lock still lets only one replica run it.
  void new SnapshotStore(o.db)
    .current()
    .then((cur) => {
      const age = cur?.finishedAt ? Date.now() - cur.finishedAt.getTime() : Infinity;
      if (age >= intervalMs && !abort.signal.aborted) tick();
    })
    .catch((e: unknown) => o.logger.warn('could not read the current snapshot; the schedule starts with its first interval', { error: (e as Error).message }));
  return {
    stop: async () => {
      clearInterval(timer);
      abort.abort(new Error('gateway shutting down'));
      await running;
    },
  };
}
