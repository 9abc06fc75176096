import type { MunicipalityService } from '../services/municipalities';

export type Role = 'public' | 'integrator' | 'admin';

/** Long-lived services, built once per process and shared by all requests. */
export interface Services {
  municipalities: MunicipalityService;
}

/** Per-request context: who asks, until when, and the services/loaders to ask with. */
export interface GatewayContext {
  requestId: string;
  role: Role;
  /** Aborts when the client goes away or the request deadline passes; handed to every upstream call. */
  signal: AbortSignal;
  deadline: number;
  services: Services;
}
