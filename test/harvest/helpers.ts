import { createCache } from '../../src/cache';
import { runHarvest, type HarvestOptions } from '../../src/harvest/harvester';
import { createLogger } from '../../src/observability/log';
import { openDatabase, type Database } from '../../src/persistence/orm';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { startSandboxes, type SandboxWorld } from '../../src/sandbox';
import { loadConfig } from '../../src/server/config';
import { buildUpstreams } from '../../src/server/gateway';
import type { UpstreamName } from '../../src/upstreams/runtime/names';
import { createThrowawayDatabase, type ThrowawayPostgres } from '../persistence/helpers';

/** Environment pointing a gateway (or a harvest child process) at running sandboxes and a PostgreSQL database. */
export function harvestEnv(sb: SandboxWorld, databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    PVOG_BASE_URL: sb.urls.pvog,
    THAVEL_BASE_URL: sb.urls.thavel,
    GEOMIS_BASE_URL: sb.urls.geomis,
    GEOPROXY_BASE_URL: sb.urls.geoproxy,
    DVDV_BASE_URLS: sb.urls.dvdv,
    // The sandboxes are reached by URL, so the real PVOG's request-rate limit (5/s) would apply: a full harvest of 605
    // places would take six minutes. Tests lift it; the kill test sets it back where it needs a slow harvest.
    PVOG_MAX_RPS: '1000',
  };
}

export interface HarvestFixture {
  sb: SandboxWorld;
  pg: ThrowawayPostgres;
  db: Database;
  env: Record<string, string>;
  harvest(o?: Partial<Pick<HarvestOptions, "only" | "full" | "keepSnapshots" | "concurrency">>): ReturnType<typeof runHarvest>;
  close(): Promise<void>;
}

/** Sandbox upstreams on loopback ports, a throwaway PostgreSQL database (migrated) and an in-process harvest over both. */
export async function startHarvestFixture(o: { sandboxes?: SandboxWorld; env?: (sb: SandboxWorld) => Record<string, string> } = {}): Promise<HarvestFixture> {
  const sb = o.sandboxes ?? (await startSandboxes());
  const pg = await createThrowawayDatabase();
  const db = await openDatabase({ databaseUrl: pg.url, autoMigrate: true });
  const env = { ...harvestEnv(sb, pg.url), ...o.env?.(sb) };
  const config = loadConfig({ ...env, DVDV_ENTRY_PATH: '' });
  const logger = createLogger('silent');
  const baseUrls = Object.fromEntries(Object.entries(sb.urls).map(([k, v]) => [k, [v]])) as Record<UpstreamName, string[]>;
  return {
    sb,
    pg,
    db,
    env,
    async harvest(o = {}) {
      const cache = createCache({ maxBytes: 16 << 20 });
      const up = buildUpstreams(config, baseUrls, cache, logger);
      try {
        return await runHarvest({ db, clients: up.clients, directory: municipalityDirectory(), baseUrls, logger, concurrency: 4, ...o });
      } finally {
        await Promise.all(Object.values(up.sources).map((s) => s.client.close()));
        await cache.close();
      }
    },
    async close() {
      await db.close();
      await pg.drop();
      // Sandboxes handed in belong to the caller.
      if (!o.sandboxes) await sb.close();
    },
  };
}

export async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await db.orm.em.getConnection().execute<{ n: number }[]>(sql, params);
  return Number(rows[0].n);
}
