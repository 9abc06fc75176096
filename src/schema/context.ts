import type { DataCache } from '../cache';
import type { GeoproxyServiceConfig } from '../upstreams/geoproxy/client';
import type { MunicipalityService } from '../services/municipalities';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { UpstreamSource } from '../upstreams/runtime/source';
import type { RequestLoaders } from './loaders';

export type Role = 'public' | 'integrator' | 'admin';

/** Long-lived services, built once per process and shared by all requests. */
export interface Services {
  municipalities: MunicipalityService;
  /** One source per upstream (HTTP client behind the shared cache); adapters build on these. */
  upstreams: Record<UpstreamName, UpstreamSource>;
  cache: DataCache;
  /** The configured Geoproxy services (GEOPROXY_SERVICES); the only ones the gateway will query. */
  geoproxyServices: readonly GeoproxyServiceConfig[];
  /** Operational status and controls for the `upstreams` query and admin mutations (absent in bare test setups). */
  ops?: OpsServices;
}

export interface OpsServices {
  production: boolean;
  /** False when ADMIN_TOKEN is not configured: admin operations are switched off. */
  adminEnabled: boolean;
  upstreamModes: Record<UpstreamName, 'sandbox' | 'configured'>;
  /** Drops this process's cached GraphQL responses; returns how many were held. */
  purgeResponses(): number;
}

/** Per-request context: who asks, until when, and the services/loaders to ask with. */
export interface GatewayContext {
  requestId: string;
  role: Role;
  /** Aborts when the client goes away or the request deadline passes; handed to every upstream call. */
  signal: AbortSignal;
  deadline: number;
  services: Services;
  loaders: RequestLoaders;
  /** What this request's upstream calls reported about the response as a whole (read by the response cache). */
  response?: { servedStale: boolean };
}
