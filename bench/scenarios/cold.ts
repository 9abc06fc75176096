import { ARS, fmt, post, upstreamRequests, type Scenario } from '../lib/context';
import { median } from '../lib/load';

const nested = (first: number) =>
  `{ municipality(ars:"${ARS}"){ name services(first:${first}){ edges{ node{ leikaKey name responsibilities{ organisationUnit{ name onlineServices{ title url } } } onlineServices{ title url } } } } } }`;

/**
 * P7 cold start to /readyz 200, and P2 the cold nested query against upstreams with added latency: upstream
 * requests per GraphQL request must be the number of distinct batches, the same for 20 services as for 2 (no N+1).
 */
export const cold: Scenario = {
  ids: ['P7', 'P2'],
  async run(ctx) {
    const slow = await ctx.sandbox(ctx.opt.upstreamLatencyMs);
    const starts: number[] = [];
    const notes: string[] = [];
    const p2: { first: number; upstreamRequests: number; latencyMs: number; errors: number }[] = [];
    for (let i = 0; i < ctx.opt.coldStarts; i++) {
      // The nested query is far above the anonymous cost limit (it asks 20 × (responsibilities + units + online
      // services)); P2 is about batching, so this gateway lets it run.
      const gw = await ctx.gateway(slow, { MAX_QUERY_COST: '10000000' });
      starts.push(gw.readyMs);
      ctx.log(`P7 cold start ${gw.readyMs.toFixed(0)} ms`);
      if (i < 2) {
        const first = i === 0 ? 20 : 2;
        const before = await upstreamRequests(gw.url);
        const t0 = performance.now();
        const r = await post(gw.endpoint, nested(first));
        const latencyMs = performance.now() - t0;
        const n = (await upstreamRequests(gw.url)) - before;
        const parsed = JSON.parse(r.text) as { errors?: unknown[] };
        p2.push({ first, upstreamRequests: n, latencyMs, errors: r.status === 200 ? (parsed.errors?.length ?? 0) : 1 });
        if (r.status !== 200 || parsed.errors) notes.push(`P2 (first:${first}) answered ${r.status}: ${r.text.slice(0, 300)}`);
        ctx.log(`P2 first:${first} → ${n} upstream requests, ${latencyMs.toFixed(0)} ms`);
      }
      await ctx.stop(gw.proc);
    }
    const p7 = median(starts);
    const [a, b] = p2;
    const noNPlus1 = !!a && !!b && a.errors === 0 && b.errors === 0 && a.upstreamRequests === b.upstreamRequests;
    return {
      checks: [
        { id: 'P7', target: 'cold start to /readyz 200 ≤ 1500 ms', measured: `${fmt(p7)} ms (median of ${starts.length}: ${starts.map((s) => fmt(s)).join(', ')})`, met: p7 <= 1500 },
        {
          id: 'P2',
          target: 'cold nested query: upstream requests per GraphQL request = distinct batches (no N+1: same count for 20 services as for 2)',
          measured: a && b ? `${a.upstreamRequests} upstream requests for 20 services, ${b.upstreamRequests} for 2; cold latency ${fmt(a.latencyMs)} ms with ${ctx.opt.upstreamLatencyMs} ms upstream latency` : 'not measured',
          met: noNPlus1,
        },
      ],
      sections: [
        [
          '## P2 cold nested query',
          '',
          `Query: \`${nested(20)}\` on a freshly started gateway (empty caches), upstreams with ${ctx.opt.upstreamLatencyMs} ms latency.`,
          '',
          '| services | upstream requests (from /metrics) | latency ms | GraphQL errors |',
          '|---|---|---|---|',
          ...p2.map((r) => `| ${r.first} | ${r.upstreamRequests} | ${fmt(r.latencyMs)} | ${r.errors} |`),
        ].join('\n'),
      ],
      data: { coldStartsMs: starts, p2 },
      notes,
    };
  },
};
