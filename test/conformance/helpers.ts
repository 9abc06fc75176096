import { createCache } from '../../src/cache';
import { collectFromUpstreams } from '../../src/conformance/collect';
import { collectFromSnapshot } from '../../src/conformance/from-snapshot';
import { runHarvest, type HarvestOutcome } from '../../src/harvest/harvester';
import { openDatabase, type Database } from '../../src/persistence/orm';
import { createThrowawayDatabase } from '../persistence/helpers';
import { sandboxUrlAliases } from '../../src/conformance/sandbox-aliases';
import type { ConformanceInput } from '../../src/conformance/input';
import { createLogger } from '../../src/observability/log';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { startSandboxes, type SandboxWorld } from '../../src/sandbox';
import { loadConfig } from '../../src/server/config';
import { buildUpstreams } from '../../src/server/gateway';
import { UPSTREAMS, type UpstreamName } from '../../src/upstreams/runtime/names';
import { PVOG_PATHS } from '../../src/upstreams/pvog/client';

/** The sandbox world's upstreams over real sockets, read by the live producer exactly as `thuegate check` does. */
export async function collectSandbox(): Promise<{ sandboxes: SandboxWorld; input: ConformanceInput; close(): Promise<void> }> {
  const sandboxes = await startSandboxes();
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const cache = createCache({ maxBytes: 64 << 20 });
  const urls = Object.fromEntries(UPSTREAMS.map((n) => [n, [sandboxes.urls[n]]])) as Record<UpstreamName, string[]>;
  const upstreams = buildUpstreams(config, urls, cache, createLogger('silent'));
  const input = await collectFromUpstreams({
    clients: upstreams.clients,
    sources: upstreams.sources,
    municipalities: municipalityDirectory().all,
    asOf: new Date(`${sandboxes.world.asOf}T00:00:00Z`),
    concurrency: 16,
    urlAliases: sandboxUrlAliases(sandboxes.urls),
  });
  return {
    sandboxes,
    input,
    close: async () => {
      await Promise.all(Object.values(upstreams.sources).map((s) => s.client.close()));
      await cache.close();
      await sandboxes.close();
    },
  };
}

/**
 * The sandbox world harvested into a throwaway PostgreSQL database, then read by the snapshot producer exactly as a
 * conformance run of the gateway does (src/conformance/from-snapshot.ts). Request counters of the sandboxes are reset
 * after the harvest, so a test sees only what the check itself asked.
 */
export async function collectSandboxSnapshot(): Promise<{
  sandboxes: SandboxWorld;
  input: ConformanceInput;
  harvest: HarvestOutcome;
  db: Database;
  collect(): Promise<ConformanceInput>;
  close(): Promise<void>;
}> {
  const sandboxes = await startSandboxes();
  const pg = await createThrowawayDatabase();
  const db = await openDatabase({ databaseUrl: pg.url, autoMigrate: true });
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const urls = Object.fromEntries(UPSTREAMS.map((n) => [n, [sandboxes.urls[n]]])) as Record<UpstreamName, string[]>;
  const harvestCache = createCache({ maxBytes: 16 << 20 });
  // PVOG from the Bereitstelldienst feed (issue 11: "bulk feed where configured"): the items a harvest per ARS writes, plus the
  // feed's orphans rule P-12 reads (src/harvest/pvog-bulk.ts).
  const harvestConfig = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent', PVOG_BULK_URL: `${sandboxes.urls.pvog}${PVOG_PATHS.bulk}` });
  const h = buildUpstreams(harvestConfig, urls, harvestCache, logger);
  const harvest = await runHarvest({ db, clients: h.clients, directory: municipalityDirectory(), baseUrls: urls, logger, concurrency: 8 });
  await Promise.all(Object.values(h.sources).map((s) => s.client.close()));
  await harvestCache.close();
  for (const s of Object.values(sandboxes.servers)) s.resetCounts();

  // The checking side: its own cache, as a gateway process has (nothing the harvest read is cached there).
  const cache = createCache({ maxBytes: 64 << 20 });
  const upstreams = buildUpstreams(config, urls, cache, logger);
  const collect = async () =>
    (await collectFromSnapshot({
      db,
      clients: upstreams.clients,
      sources: upstreams.sources,
      municipalities: municipalityDirectory().all,
      asOf: new Date(`${sandboxes.world.asOf}T00:00:00Z`),
      concurrency: 16,
      urlAliases: sandboxUrlAliases(sandboxes.urls),
    }))!;
  const input = harvest.status === 'complete' ? await collect() : (null as unknown as ConformanceInput);
  return {
    sandboxes,
    input,
    harvest,
    db,
    collect,
    close: async () => {
      await Promise.all(Object.values(upstreams.sources).map((s) => s.client.close()));
      await cache.close();
      await db.close();
      await pg.drop();
      await sandboxes.close();
    },
  };
}
