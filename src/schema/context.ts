import type { RequestTrace } from '../observability/tracing';
import type { EntityManager } from '@mikro-orm/core';
import type { AvailabilityService } from '../availability/service';
import type { HarvestStatus } from '../harvest/status';
import type { DataCache } from '../cache';
import type { ConformanceService } from '../conformance/service';
import type { Database } from '../persistence/orm';
import type { DvdvService } from '../services/dvdv';
import type { GeoService } from '../services/geo';
import type { MunicipalityService } from '../services/municipalities';
import type { OnlineServicesService } from '../services/online-services';
import type { PortalService } from '../services/portal';
import type { AdapterClients, RequestLoaders } from '../upstreams/registry';
import type { UpstreamMode } from '../upstreams/runtime/adapter';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { FallbackNotice, SnapshotFallback, UpstreamSource } from '../upstreams/runtime/source';

export type Role = 'public' | 'integrator' | 'admin';
export type { RequestLoaders };

/** Long-lived services, built once per process in the composition root (src/server/gateway.ts) and shared by all requests. */
export interface Services {
  municipalities: MunicipalityService;
  /** One source per upstream (HTTP client behind the shared cache): status, breaker, base URL. */
  upstreams: Record<UpstreamName, UpstreamSource>;
  /** Each adapter's client, built once from its source (src/upstreams/<name>/adapter.ts). */
  clients: AdapterClients;
  cache: DataCache;
  /** Our own tables (API clients, persisted documents…); absent in bare schema test setups. */
  db?: Database;
  /** Conformance runs and findings (src/conformance/); absent without a database. */
  conformance?: ConformanceService;
  /** Operational status and controls for the `upstreams` query and admin mutations (absent in bare test setups). */
  ops?: OpsServices;
  /** Availability over the latest harvest snapshot and harvest status (src/availability/, src/harvest/); need the database. */
  availability?: AvailabilityService;
  harvest?: HarvestStatus;
  /** The latest harvest snapshot as the last resort when an upstream is down and the caches miss (runtime/fallback.ts). */
  snapshot?: SnapshotFallback;
}

export interface OpsServices {
  production: boolean;
  /** Whether ADMIN_TOKEN is configured; admin API keys work either way (named in the FORBIDDEN message). */
  adminTokenConfigured: boolean;
  upstreamModes: Record<UpstreamName, UpstreamMode>;
  /** Drops the cached GraphQL responses here, in Redis and on every other replica; returns how many this process held. */
  purgeResponses(): number | Promise<number>;
  /** Registers a trusted document and makes it usable on this replica at once (others reload on first use). */
  registerDocument?(body: string): Promise<{ hash: string; created: boolean }>;
}

/** What the HTTP layer knows about one request before the schema runs: who asks and until when. */
export interface RequestInit {
  requestId: string;
  /** The caller's role, resolved once per request by the HTTP layer. */
  role: Role;
  /** Who asks, pseudonymously (API client id or salted address hash): the unit of fair upstream shares. */
  client?: string;
  /** Aborts when the client goes away or the request deadline passes; handed to every upstream call. */
  readonly signal: AbortSignal;
  /**
   * Whether the request is cancelled already, without reading `signal`: the HTTP layer makes the signal only when
   * something reads it (server/context.ts), and a warm request, answered from fresh cache entries, never does.
   */
  aborted?(): boolean;
  deadline: number;
  /** Told when an upstream answer is served stale, so the response is not cached as fresh. */
  onStale?: () => void;
  /** The request's trace (its id is `requestId`): named by its upstream requests and their log lines. */
  trace?: RequestTrace;
}

/**
 * Per-request context (src/schema/context-factory.ts builds it): who asks, until when, and the loaders and
 * services to ask with. Loaders and services are built on first use, so a query that touches one upstream
 * builds that upstream's loaders only; all resolvers of the request share them (batching, dedupe).
 */
export interface GatewayContext extends RequestInit {
  services: Services;
  loaders: RequestLoaders;
  /** What this request's upstream calls reported about the response as a whole (read by the response cache). */
  response?: { servedStale: boolean; fallbacks?: FallbackNotice[] };
  portal: PortalService;
  onlineServices: OnlineServicesService;
  geo: GeoService;
  directory: DvdvService;
  /** A MikroORM EntityManager fork of this request (identity map per request); throws without a database. */
  em: EntityManager;
}
