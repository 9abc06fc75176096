import { ADAPTERS } from '../upstreams/registry';
import { UPSTREAMS, type UpstreamName } from '../upstreams/runtime/names';
import { toFaultPlan, type FaultPlan } from './faults';
import { json, startSandboxServer, type SandboxRoute, type SandboxServer } from './http';
import { buildWorld, worldDigest } from './world/generate';
import { mutateWorld, type MutationSummary } from './world/mutate';
import type { World } from './world/types';

/** Each adapter contributes the routes of its upstream's sandbox (`sandbox` in src/upstreams/<name>/adapter.ts). */
const ROUTES: Record<UpstreamName, (world: World) => SandboxRoute[]> = Object.fromEntries(
  Object.values(ADAPTERS).map((a) => [a.name, (world: World) => a.sandbox(world)]),
) as Record<UpstreamName, (world: World) => SandboxRoute[]>;

export interface SandboxWorld {
  /** The world served now (replaced by `mutate`). */
  world: World;
  digest: string;
  /** Changes `share` (0..1) of the entries of every upstream, served from the next request on (see world/mutate.ts). */
  mutate(share: number, seed?: string): MutationSummary;
  servers: Record<UpstreamName, SandboxServer>;
  urls: Record<string, string>;
  setFaults(plan: FaultPlan | string | undefined): void;
  close(): Promise<void>;
}

export interface StartSandboxesOptions {
  seed?: string;
  /** Only these upstreams (embedded mode starts only the ones not configured with a real URL). */
  only?: readonly string[];
  faults?: FaultPlan | string;
  /**
   * Fixed ports for external tools: upstream i of UPSTREAMS (pvog, thavel, geomis, geoproxy, dvdv) listens on
   * portBase + i. Unset = free ports.
   */
  portBase?: number;
}

/** The port of each upstream for a port base (pvog N, thavel N+1, geomis N+2, geoproxy N+3, dvdv N+4). */
export function sandboxPorts(portBase: number): Record<UpstreamName, number> {
  if (!Number.isInteger(portBase) || portBase < 1 || portBase + UPSTREAMS.length - 1 > 65535) {
    throw new RangeError(`port base must be an integer from 1 to ${65535 - UPSTREAMS.length + 1}, got ${portBase}`);
  }
  return Object.fromEntries(UPSTREAMS.map((n, i) => [n, portBase + i])) as Record<UpstreamName, number>;
}

export async function startSandboxes(opts: StartSandboxesOptions = {}): Promise<SandboxWorld> {
  let world = buildWorld({ seed: opts.seed });
  let digest = worldDigest(world);
  const faults = toFaultPlan(opts.faults); // parse once: a bad plan fails before any port is opened
  const names = UPSTREAMS.filter((n) => !opts.only || opts.only.includes(n));
  const ports = opts.portBase === undefined ? undefined : sandboxPorts(opts.portBase);
  const servers = {} as Record<UpstreamName, SandboxServer>;
  const routesOf = (name: UpstreamName): SandboxRoute[] => {
      const info: SandboxRoute = {
        method: 'GET',
        path: '/__sandbox',
        name: 'sandbox-info',
        handler: () => json({ upstream: name, sandbox: true, seed: world.seed, digest, asOf: world.asOf }),
      };
      // Ground truth for conformance checks: what the world deliberately gets wrong, as data.
      const defects: SandboxRoute = {
        method: 'GET',
        path: '/__sandbox/defects',
        name: 'sandbox-defects',
        handler: () => json({ seed: world.seed, digest, defects: world.defects.filter((d) => d.upstream === name) }),
      };
      // Control: change a share of every upstream's entries (incremental-harvest tests), e.g. POST /__sandbox/mutate?share=0.01
      const mutateRoute: SandboxRoute = {
        method: 'POST',
        path: '/__sandbox/mutate',
        name: 'sandbox-mutate',
        handler: (req) => {
          const share = Number(req.query.get('share') ?? 'NaN');
          if (!(share >= 0 && share <= 1)) return json({ error: 'share must be a number from 0 to 1' }, 400);
          return json(mutate(share, req.query.get('seed') ?? undefined));
        },
      };
      // Bench P2 (issue 15): which requests the gateway made, so the harness can tell repeated requests (N+1) from
      // distinct (endpoint, key) pairs; the control routes themselves are left out.
      const requestsRoute: SandboxRoute = {
        method: 'GET',
        path: '/__sandbox/requests',
        name: 'sandbox-requests',
        handler: () =>
          json({
            requests: (servers[name]?.requests() ?? [])
              .filter((r) => !r.path.startsWith('/__sandbox'))
              .map((r) => ({ method: r.method, path: r.path, search: r.search, at: r.at })),
          }),
      };
      return [info, defects, mutateRoute, requestsRoute, ...ROUTES[name](world)];
  };
  const mutate = (share: number, seed?: string): MutationSummary => {
    const next = mutateWorld(world, share, { seed });
    world = next.world;
    digest = worldDigest(world);
    for (const name of names) servers[name]?.setRoutes(routesOf(name));
    return next.summary;
  };
  try {
    for (const name of names) {
      servers[name] = await startSandboxServer({ name, routes: routesOf(name), faults, port: ports?.[name] });
    }
  } catch (e) {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    throw e;
  }
  return {
    get world() {
      return world;
    },
    get digest() {
      return digest;
    },
    mutate,
    servers,
    urls: Object.fromEntries(Object.entries(servers).map(([n, s]) => [n, s.url])),
    setFaults: (plan) => Object.values(servers).forEach((s) => s.setFaults(plan)),
    close: async () => void (await Promise.all(Object.values(servers).map((s) => s.close()))),
  };
}
