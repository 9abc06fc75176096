import { createCache, type DataCache } from '../cache';
import { createConformanceService } from '../conformance/wiring';
import type { Config } from '../config/config';
import { createLogger, type Logger } from '../observability/log';
import { startTracing, type TracingOptions } from '../observability/tracing';
import { openDatabase, type Database } from '../persistence/orm';
import { AvailabilityService } from '../availability/service';
import { startHarvestSchedule } from '../harvest/run';
import { SnapshotFallbackSource } from '../harvest/fallback';
import { HarvestStatus } from '../harvest/status';
import { municipalityDirectory } from '../reference/municipalities';
import { startSandboxes, type SandboxWorld } from '../sandbox';
import type { Services } from '../schema/context';
import { MunicipalityService } from '../services/municipalities';
import { ADAPTERS, type AdapterClients } from '../upstreams/registry';
import { createSource, type AnyAdapter, type UpstreamMode } from '../upstreams/runtime/adapter';
import { UPSTREAMS, type UpstreamName } from '../upstreams/runtime/names';
import type { UpstreamSource } from '../upstreams/runtime/source';
import { FreeTextGuard } from '../upstreams/runtime/free-text';
import { createAuthenticator } from './auth';
import { resolveRole, startHttpGateway, type HttpGateway, type ReadinessCheck } from './app';
import { startProtection } from './protection';
import { TrustedDocuments } from './trusted-documents';
import { embeddedAdminSocket } from './admin-socket';
import { ResponseCache } from './response-cache';

export interface Gateway {
  url: string;
  db: Database;
  sandboxes?: SandboxWorld;
  /** Base URL per upstream as actually used (sandbox URLs in embedded mode). */
  upstreamUrls: Record<string, string[]>;
  stop(): Promise<void>;
}

/** Composition root: database, sandbox upstreams (embedded mode), services, HTTP server. */
export async function startGateway(config: Config, logger: Logger = createLogger(config.logLevel), opts: { spanExporter?: TracingOptions['exporter'] } = {}): Promise<Gateway> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDir });
  const tracing = startTracing({ endpoint: config.otlpEndpoint, exporter: opts.spanExporter });
  // Last: spans of the draining requests are flushed to the collector after the server has stopped.
  const cleanups: (() => Promise<unknown>)[] = [() => db.close(), () => tracing.shutdown()];
  try {
    if (config.autoMigrate) {
      const applied = await db.migrate();
      if (applied.length) logger.info('applied migrations', { migrations: applied });
    } else {
      const pending = await db.pendingMigrations();
      if (pending.length) logger.warn('database has pending migrations; run `thuegate migrate`', { pending });
    }

    const sandboxNames = Object.entries(config.upstreams).filter(([, t]) => t.kind === 'sandbox').map(([n]) => n);
    const sandboxes = sandboxNames.length ? await startSandboxes({ only: sandboxNames }) : undefined;
    if (sandboxes) cleanups.unshift(() => sandboxes.close());
    const upstreamUrls = Object.fromEntries(
      Object.entries(config.upstreams).map(([name, t]) => [name, t.kind === 'url' ? t.urls : [sandboxes!.urls[name]]]),
    ) as Record<UpstreamName, string[]>;

    const cache = createCache({
      maxBytes: config.cacheMaxBytes,
      redis: config.redisUrl ? { url: config.redisUrl } : undefined,
      keyPrefix: `${config.protection.redisKeyPrefix}:cache`,
      onEvent: (e) => logger.debug('cache', e as unknown as Record<string, unknown>),
    });
    cleanups.push(() => cache.close());
    const upstreams = buildUpstreams(config, upstreamUrls, cache, logger);
    cleanups.push(() => Promise.all(Object.values(upstreams.sources).map((u) => u.client.close())));

    const authenticator = createAuthenticator(db);
    const protection = await startProtection({ config, authenticator, isAdminToken: (req) => resolveRole(req.headers.authorization, config.adminToken) === 'admin' });
    cleanups.push(() => protection.close());
    // A quarter of the data-cache budget: response bytes are derived data and cheap to rebuild. With Redis, replicas
    // share answers (L2) on the protection connection (no offline queue: a dead Redis costs no latency).
    const responseCache = new ResponseCache({
      maxBytes: Math.max(1 << 20, Math.floor(config.cacheMaxBytes / 4)),
      shared: protection.redis && { redis: protection.redis, keyPrefix: config.protection.redisKeyPrefix },
    });
    // Before the protection connection closes (cleanups after this one run later).
    cleanups.splice(cleanups.length - 1, 0, async () => responseCache.close());

    const services = buildServices(config, upstreams, cache, () => responseCache.clear(), db);
    const conformance = (services.conformance = createConformanceService({ config, db, upstreams, sandboxes, logger }));
    cleanups.unshift(() => conformance.stop());

    const readiness: ReadinessCheck[] = [
      { name: 'database', critical: true, check: async () => (await db.ping(), { kind: db.kind }) },
      ...UPSTREAMS.map((name) => ({
        name: `upstream:${name}`,
        critical: false,
        check: async () => {
          const breaker = upstreams.sources[name].client.breakerState();
          if (breaker === 'open') throw new Error(`circuit open: ${name} is failing, answers come from cache where possible`);
          return { mode: services.ops!.upstreamModes[name], breaker };
        },
      })),
      ...(services.harvest ? [{ name: 'harvest', critical: false, check: () => services.harvest!.readiness() }] : []),
      ...(config.redisUrl
        ? [{ name: 'cache:redis', critical: false, check: async () => {
            if (!(await cache.l2Ready(500))) throw new Error('Redis unreachable: serving from the in-process cache only');
            return {};
          } }]
        : []),
    ];

    const trustedDocuments = new TrustedDocuments(config.protection.trustedDocuments, db);
    await trustedDocuments.init();
    if (services.ops) services.ops.registerDocument = (body) => trustedDocuments.register(body);
    const http = await startHttpGateway({ config, services, readiness, logger, responseCache, authenticator, rateLimiter: protection.rateLimiter, trustedDocuments });
    cleanups.unshift(() => http.stop());
    const adminSocket = await embeddedAdminSocket(config, db, authenticator, logger);
    if (adminSocket) cleanups.unshift(adminSocket);
    if (config.harvest.intervalMs) {
      const schedule = startHarvestSchedule(
        { config, db, baseUrls: upstreamUrls, logger, buildUpstreams: (c) => buildUpstreams(config, upstreamUrls, c, logger) },
        config.harvest.intervalMs,
      );
      cleanups.unshift(() => schedule.stop());
    }
    return {
      url: http.url,
      db,
      sandboxes,
      upstreamUrls,
      stop: () => runAll(cleanups),
    };
  } catch (e) {
    await runAll(cleanups);
    throw e;
  }
}

const modeOf = (config: Config, name: UpstreamName): UpstreamMode => (config.upstreams[name].kind === 'sandbox' ? 'sandbox' : 'configured');

export interface Upstreams {
  sources: Record<UpstreamName, UpstreamSource>;
  clients: AdapterClients;
}

/** Every registered adapter's source (HTTP client behind the shared cache) and client, once per process. */
export function buildUpstreams(config: Config, baseUrls: Record<UpstreamName, string[]>, cache: DataCache, logger: Logger): Upstreams {
  const sources = {} as Record<UpstreamName, UpstreamSource>;
  const clients = {} as Record<UpstreamName, unknown>;
  const freeText = new FreeTextGuard(config.protection.freeText);
  for (const name of UPSTREAMS) {
    const adapter: AnyAdapter = ADAPTERS[name];
    const section = config.adapters[name];
    const mode = modeOf(config, name);
    sources[name] = createSource(adapter, section, {
      baseUrls: baseUrls[name],
      mode,
      cache,
      logger,
      production: config.production,
      requestTimeoutMs: config.requestTimeoutMs,
      freeText,
    });
    clients[name] = adapter.client({ config: section, source: sources[name], mode });
  }
  return { sources, clients: clients as AdapterClients };
}

/** The long-lived services the resolvers use, from the configuration and the already built upstreams. */
export function buildServices(config: Config, upstreams: Upstreams, cache: DataCache, purgeResponses: () => number | Promise<number>, db?: Database): Services {
  const municipalities = new MunicipalityService(municipalityDirectory());
  return {
    municipalities,
    availability: db ? new AvailabilityService(db, municipalityDirectory(), municipalities) : undefined,
    harvest: db ? new HarvestStatus(db, config.harvest.intervalMs) : undefined,
    snapshot: db ? new SnapshotFallbackSource(db) : undefined,
    upstreams: upstreams.sources,
    clients: upstreams.clients,
    cache,
    db,
    ops: {
      production: config.production,
      adminTokenConfigured: config.adminToken !== undefined,
      upstreamModes: Object.fromEntries(UPSTREAMS.map((n) => [n, modeOf(config, n)])) as Record<UpstreamName, UpstreamMode>,
      purgeResponses,
    },
  };
}

/**
 * In order (HTTP drains before the pools it uses close), and every step even when one fails, so a
 * failing close cannot keep another resource open.
 */
async function runAll(steps: (() => Promise<unknown>)[]): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      first ??= e;
    }
  }
  if (first) throw first;
}

export type { HttpGateway };
