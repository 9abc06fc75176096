import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UPSTREAMS } from '../../src/upstreams/runtime/names';
import { projectRoot } from '../../src/util/paths';
import type { BenchOptions } from './options';
import { freePort, startNode, type Proc } from './proc';

/**
 * What every scenario (bench/scenarios/*.ts) gets from run.ts: options, a scratch directory, and helpers that start
 * servers in their own processes. Every process started through `ctx.start`/`sandbox`/`gateway` is stopped by run.ts
 * when the scenario ends, also when it fails.
 */
export interface TargetCheck {
  /** Scenario id as in issue 15 (P1 … P8) or I13 for issue 13's figures. */
  id: string;
  target: string;
  measured: string;
  /** null = not measured. */
  met: boolean | null;
}

export interface ScenarioResult {
  checks: TargetCheck[];
  /** Markdown sections for the report (each starts with a `## ` heading). */
  sections: string[];
  /** Raw figures for the JSON report. */
  data: unknown;
  notes?: string[];
}

export interface Scenario {
  /** Ids this scenario measures; `--only` selects by them. */
  ids: string[];
  run(ctx: BenchContext, selected: ReadonlySet<string>): Promise<ScenarioResult>;
}

export interface Gateway {
  proc: Proc;
  url: string;
  endpoint: string;
  readyMs: number;
}

export const ARS = '160510000000';
export const QUERY = `{ municipality(ars:"${ARS}"){ name services(first:20){ edges{ node{ leikaKey name onlineServiceLinks{ title url } onlineServices{ title url } } } } } }`;
// `upstreams` carries no cache hint, so the response cache is bypassed and the request executes (data cache warm).
export const QUERY_FULL = QUERY.replace(/ }$/, ' upstreams { name } }');
export const body = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables ? { query, variables } : { query });
/** Per minute: above any run's volume, so a 429 would be a finding. */
export const RATE_LIMIT = '10000000';
/**
 * Operations of the one benchmark client that may wait for one of its EXECUTIONS_PER_CLIENT slots: above the
 * connections of any load run, so the execution share stays on (EXECUTIONS_PER_CLIENT at its default) but never
 * refuses the benchmark client — like the rate limit, a 429 here would be a finding, not a throughput figure.
 */
export const EXECUTION_QUEUE = '100000';

export const bin = join(projectRoot(), 'bin', 'thuegate.js');
/**
 * The Node flags the gateway ships with (`npm start` in package.json; the Docker image sets the same through
 * NODE_OPTIONS, test/deploy/compose.test.ts): the bench starts `thuegate serve` as it is deployed.
 */
export const SERVE_NODE_FLAGS: string[] = serveNodeFlags(readFileSync(join(projectRoot(), 'package.json'), 'utf8'));

export function serveNodeFlags(packageJson: string): string[] {
  const start = (JSON.parse(packageJson) as { scripts: Record<string, string> }).scripts.start;
  const m = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+bin\/thuegate\.js serve\b/.exec(start);
  if (!m) throw new Error(`package.json scripts.start does not run \`node … bin/thuegate.js serve\`: ${start}`);
  return m[1].trim().split(/\s+/).filter(Boolean);
}
export const anchorsDir = join(__dirname, '..', 'anchors');

export function gatewayEnv(sb: Proc, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PGLITE_DIR: 'memory://',
    LOG_LEVEL: 'error',
    REDIS_URL: '',
    DATABASE_URL: '',
    RATE_LIMIT_PER_MINUTE: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_PUBLIC: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_INTEGRATOR: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_ADMIN: RATE_LIMIT,
    EXECUTION_QUEUE_PER_CLIENT: EXECUTION_QUEUE,
    // The sandbox is reached by URL, so the real PVOG's client-side limit (5 requests/s per instance) would apply and
    // every scenario that reaches PVOG would measure that queue, not the gateway (the harvest tests lift it too).
    PVOG_MAX_RPS: '1000',
  };
  // DVDV takes a list of directory servers (DVDV_BASE_URLS); the others one base URL each.
  for (const [name, url] of Object.entries(sb.urls)) env[`${name.toUpperCase()}_BASE_URL${name === 'dvdv' ? 'S' : ''}`] = url;
  return env;
}

export class BenchContext {
  private readonly procs: Proc[] = [];
  /**
   * Figures one scenario leaves for a later one of the same run (e.g. P1's bare anchor and anonymous hit, which
   * the P1 variants compare against instead of measuring them a second time).
   */
  readonly shared = new Map<string, unknown>();

  constructor(
    readonly opt: BenchOptions,
    /** Scratch directory of this run (temp files, composed supergraph, PGlite data). */
    readonly work: string,
  ) {}

  log(s: string): void {
    process.stderr.write(`[bench] ${s}\n`);
  }

  /** `node <args>` in its own process, stopped when the scenario ends. */
  async start(name: string, args: string[], opts: Parameters<typeof startNode>[2] = {}): Promise<Proc> {
    const p = await startNode(name, args, opts);
    this.procs.push(p);
    return p;
  }

  /** Stops one process now (e.g. before the next phase of a scenario needs the CPU). */
  async stop(p: Proc): Promise<void> {
    await p.stop();
    const i = this.procs.indexOf(p);
    if (i >= 0) this.procs.splice(i, 1);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.procs.splice(0).map((p) => p.stop().catch(() => undefined)));
  }

  /** The sandbox upstreams (`thuegate sandbox`) in their own process, every answer delayed by `latencyMs`. */
  sandbox(latencyMs: number): Promise<Proc> {
    const args = [bin, 'sandbox'];
    if (latencyMs > 0) args.push('--faults', `*:*=latency:${latencyMs}ms`);
    // Every upstream's URL line: on a loaded machine the later lines arrive after the first two, and a gateway
    // started before them is configured with `sandbox` for the rest (rejected in production).
    return this.start(`sandbox${latencyMs ? `+${latencyMs}ms` : ''}`, args, { waitFor: [...UPSTREAMS], env: { LOG_LEVEL: 'error' } });
  }

  /** `thuegate serve` over the sandbox (NODE_ENV=production, PGlite in memory, rate limits above the run's volume), ready at /readyz. */
  async gateway(sb: Proc, extraEnv: NodeJS.ProcessEnv = {}, name = 'gateway'): Promise<Gateway> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const t0 = performance.now();
    const proc = await this.start(name, [...SERVE_NODE_FLAGS, bin, 'serve'], {
      env: { ...gatewayEnv(sb, port), ...extraEnv },
      ready: async () => (await fetch(`${url}/readyz`)).status === 200,
      timeoutMs: 300_000, // minutes on a loaded shared machine; seconds on an idle one
    });
    return { proc, url, endpoint: `${url}/graphql`, readyMs: performance.now() - t0 };
  }
}

export async function post(
  url: string,
  query: string,
  opts: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body: body(query, opts.variables) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Upstream requests the gateway made so far, summed over upstreams (or for one), from its /metrics. */
export async function upstreamRequests(url: string, upstream?: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^thuegate_upstream_requests_total\{([^}]*)\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/gm)) {
    if (upstream && !m[1].includes(`upstream="${upstream}"`)) continue;
    sum += Number(m[2]);
  }
  return sum;
}

/** Response-cache misses by the path that served them (src/server/compiled-execution/: `compiled` or Apollo's reason). */
export async function compiledPaths(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const paths: Record<string, number> = {};
  for (const m of text.matchAll(/^thuegate_graphql_compiled_path_total\{[^}]*\bpath="([^"]*)"[^}]*\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/gm)) paths[m[1]] = Number(m[2]);
  return paths;
}

/** Percentile (nearest rank) of a sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : String(n));
