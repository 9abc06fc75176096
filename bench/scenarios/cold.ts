import { ARS, fmt, post, type BenchContext, type Scenario, type TargetCheck } from '../lib/context';
import { median } from '../lib/load';
import { procStats, type Proc } from '../lib/proc';
import { setupConfig, type GatewayConfig } from '../lib/production';

const nested = (first: number) =>
  `{ municipality(ars:"${ARS}"){ name services(first:${first}){ edges{ node{ leikaKey name responsibilities{ organisationUnit{ name onlineServices{ title url } } } onlineServices{ title url } } } } } }`;

interface UpstreamRequest {
  upstream: string;
  method: string;
  path: string;
  search: string;
  at: number;
}

/** Requests the sandbox upstreams received since `since` (epoch ms; same clock: same machine), from /__sandbox/requests. */
async function sandboxRequests(sb: Proc, since: number): Promise<UpstreamRequest[]> {
  const all = await Promise.all(
    Object.entries(sb.urls).map(async ([upstream, url]) => {
      const r = (await (await fetch(`${url}/__sandbox/requests`)).json()) as { requests: Omit<UpstreamRequest, 'upstream'>[] };
      return r.requests.filter((x) => x.at >= since).map((x) => ({ upstream, ...x }));
    }),
  );
  return all.flat();
}

/**
 * No N+1 (issue 15 P2): every upstream request of one GraphQL request asks for an (endpoint, key) pair no other
 * request of it asked for — requests = distinct pairs. PVOG's unit endpoints take one id each, so 20 services with
 * 20 different units need 20 unit requests: the count for 20 services cannot equal the count for 2; what must not
 * happen is asking the same thing twice (one request per field instead of one per distinct key). The pair is the
 * request line: method, upstream, path and query (keys are in the path or the query of every upstream here).
 */
export function distinctPairs(reqs: readonly Pick<UpstreamRequest, 'upstream' | 'method' | 'path' | 'search'>[]): number {
  return new Set(reqs.map((r) => `${r.method} ${r.upstream} ${r.path}${r.search}`)).size;
}

interface Start {
  config: GatewayConfig;
  readyMs: number;
  cpuSeconds: number;
  rssMb: number;
}

async function coldStarts(ctx: BenchContext, sb: Proc, config: GatewayConfig, n: number, each: (url: string, endpoint: string, i: number) => Promise<void>): Promise<Start[]> {
  const setup = await setupConfig(config);
  const starts: Start[] = [];
  try {
    for (let i = 0; i < n; i++) {
      // The nested P2 query is far above the anonymous cost limit (it asks 20 × (responsibilities + units + online
      // services)); P2 is about batching, so this gateway lets it run.
      const gw = await ctx.gateway(sb, { MAX_QUERY_COST: '10000000', ...setup.env }, `gateway-${config}`);
      const s = procStats(gw.proc.pid);
      starts.push({ config, readyMs: gw.readyMs, cpuSeconds: s.cpuSeconds, rssMb: s.rssMb });
      ctx.log(`P7 ${config} cold start ${gw.readyMs.toFixed(0)} ms (${s.cpuSeconds.toFixed(2)} CPU s), RSS ${s.rssMb.toFixed(0)} MB`);
      await each(gw.url, gw.endpoint, i);
      await ctx.stop(gw.proc);
    }
  } finally {
    await setup.cleanup();
  }
  return starts;
}

/**
 * P7 cold start to /readyz 200 in both configurations (production: PostgreSQL + Redis, the target; embedded: PGlite
 * in the process, reported beside it), and P2 the cold nested query against upstreams with added latency.
 */
export const cold: Scenario = {
  ids: ['P7', 'P2'],
  async run(ctx) {
    const slow = await ctx.sandbox(ctx.opt.upstreamLatencyMs);
    const notes: string[] = [];
    const p2: { first: number; upstreamRequests: number; distinctPairs: number; latencyMs: number; errors: number }[] = [];
    const production = await coldStarts(ctx, slow, 'production', ctx.opt.coldStarts, async () => undefined);
    const embedded = await coldStarts(ctx, slow, 'embedded', ctx.opt.coldStarts, async (_url, endpoint, i) => {
      if (i >= 2) return;
      const first = i === 0 ? 20 : 2;
      const since = Date.now();
      const t0 = performance.now();
      const r = await post(endpoint, nested(first));
      const latencyMs = performance.now() - t0;
      const reqs = await sandboxRequests(slow, since);
      const parsed = JSON.parse(r.text) as { errors?: unknown[] };
      p2.push({ first, upstreamRequests: reqs.length, distinctPairs: distinctPairs(reqs), latencyMs, errors: r.status === 200 ? (parsed.errors?.length ?? 0) : 1 });
      if (r.status !== 200 || parsed.errors) notes.push(`P2 (first:${first}) answered ${r.status}: ${r.text.slice(0, 300)}`);
      ctx.log(`P2 first:${first} → ${reqs.length} upstream requests, ${distinctPairs(reqs)} distinct, ${latencyMs.toFixed(0)} ms`);
    });
    const p7 = (starts: Start[], what: string): TargetCheck => {
      const ready = median(starts.map((s) => s.readyMs));
      return {
        id: 'P7',
        target: `cold start to /readyz 200 ≤ 1500 ms — ${what}`,
        measured: `${fmt(ready)} ms (median of ${starts.length}: ${starts.map((s) => fmt(s.readyMs)).join(', ')}); ${fmt(median(starts.map((s) => s.cpuSeconds)), 2)} CPU s to ready, RSS at ready ${fmt(median(starts.map((s) => s.rssMb)))} MB`,
        met: ready <= 1500,
      };
    };
    const [a, b] = p2;
    const noNPlus1 = !!a && !!b && a.errors === 0 && b.errors === 0 && a.upstreamRequests === a.distinctPairs && b.upstreamRequests === b.distinctPairs;
    return {
      checks: [
        p7(production, 'production (PostgreSQL + Redis)'),
        p7(embedded, 'embedded (PGlite in memory, in-process cache; `npm start`)'),
        {
          id: 'P2',
          target: 'cold nested query: upstream requests per GraphQL request = distinct (endpoint, key) pairs (no N+1, nothing asked twice)',
          measured: a && b
            ? `${a.upstreamRequests} upstream requests for ${a.distinctPairs} distinct pairs (20 services), ${b.upstreamRequests} for ${b.distinctPairs} (2 services); cold latency ${fmt(a.latencyMs)} ms with ${ctx.opt.upstreamLatencyMs} ms upstream latency`
            : 'not measured',
          met: noNPlus1,
        },
      ],
      sections: [
        [
          '## P7 cold start (both configurations)',
          '',
          'Wall time from spawning `thuegate serve` to the first /readyz 200 (what P7 measures); CPU seconds the gateway process used by then (less sensitive to a loaded machine). ' +
            (process.env.THUEGATE_BUNDLE === '0'
              ? 'Entry: dist/src/cli.js (THUEGATE_BUNDLE=0).'
              : 'Entry: the bundle with its V8 code cache (src/boot/load.ts); a start without a cache for this bundle writes it once ready.'),
          '',
          '| configuration | ready ms (each) | CPU s to ready (each) | RSS at ready MB |',
          '|---|---|---|---|',
          ...[production, embedded].map((s) => `| ${s[0]?.config} | ${s.map((x) => fmt(x.readyMs)).join(', ')} | ${s.map((x) => fmt(x.cpuSeconds, 2)).join(', ')} | ${s.map((x) => fmt(x.rssMb)).join(', ')} |`),
        ].join('\n'),
        [
          '## P2 cold nested query',
          '',
          `Query: \`${nested(20)}\` on a freshly started embedded gateway (empty caches), upstreams with ${ctx.opt.upstreamLatencyMs} ms latency. Requests as the sandbox upstreams received them (/__sandbox/requests); a distinct pair = method, upstream, path and query.`,
          '',
          '| services | upstream requests | distinct (endpoint, key) pairs | latency ms | GraphQL errors |',
          '|---|---|---|---|---|',
          ...p2.map((r) => `| ${r.first} | ${r.upstreamRequests} | ${r.distinctPairs} | ${fmt(r.latencyMs)} | ${r.errors} |`),
        ].join('\n'),
      ],
      data: { production, embedded, p2 },
      notes,
    };
  },
};
