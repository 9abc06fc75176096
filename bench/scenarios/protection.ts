import { ARS, body, fmt, post, upstreamRequests, type BenchContext, type Scenario } from '../lib/context';
import { PROTECTION_CONFIG_VARS } from '../../src/config/protection';
import { fixedRate } from '../lib/fixed-rate';

/** Issue 13: the anonymous fan-out that once took 10 s and starved every other client. */
const FANOUT = '{ municipalities(first: 605){ edges{ node{ services{ edges { node { name } } } } } } }';
/** Another client's simple query: one PVOG request (a new text filter each time, so no cache answers it). */
const SIMPLE = `{ services(ars:"${ARS}", query:"zz[<id>]", first:5){ totalCount } }`;
/** The flooding client's query, within the cost limit: ten places, one PVOG request each, none cached. */
const FLOOD = '{ municipalities(first: 10){ edges{ node{ services(query:"zz[<id>]", first:5){ totalCount } } } } }';
/** TEST-NET-1 addresses (RFC 5737): two anonymous clients behind one trusted proxy (TRUST_PROXY=1). */
const CLIENT_A = '192.0.2.10';
const CLIENT_B = '192.0.2.20';
/** B is a normal client: a few requests a second, so alone it never queues on this 2-core machine. */
const B_RATE = 10;

/**
 * Issue 13's figures for the closing note: (1) the 605-municipality fan-out is rejected by the cost analysis before
 * execution — its rejection time and 0 upstream requests (from /metrics); (2) fair upstream use — another client's
 * simple query keeps its p99 within 2 × idle while one client floods the same upstream. Measured twice: with the
 * rate limits lifted above the run's volume (as for every scenario), so the flood reaches execution and the
 * per-client execution share (src/server/protection/execution-share.ts) and upstream share decide; and with the
 * default rate limits, the realistic configuration, where most of the flood is answered 429 by the rate limit.
 * `EXECUTIONS_PER_CLIENT=0 npm run bench -- --only I13` measures the same without the execution share,
 * `REFUSAL_DELAY_MS=0` without the pacing of repeated refusals (src/server/protection/refusal-pacing.ts).
 */
export const protection: Scenario = {
  ids: ['I13'],
  async run(ctx) {
    const sb = await ctx.sandbox(ctx.opt.upstreamLatencyMs);
    const gw = await ctx.gateway(sb, { TRUST_PROXY: '1', ...SHARE });

    // (1) fan-out rejection
    const sample = await post(gw.endpoint, FANOUT);
    const err = (JSON.parse(sample.text) as { errors?: { message: string; extensions?: Record<string, unknown> }[] }).errors?.[0];
    const before = await upstreamRequests(gw.url);
    const count = ctx.opt.quick ? 50 : 200;
    const rej = await fixedRate({ url: gw.endpoint, body: body(FANOUT), rate: 0, count, warmup: 10, headers: { 'x-forwarded-for': CLIENT_A } });
    const made = (await upstreamRequests(gw.url)) - before;
    const rejected = err?.extensions?.code === 'QUERY_TOO_COMPLEX' && rej.graphqlErrors === rej.sent && rej.firstErrorCode === 'QUERY_TOO_COMPLEX';
    ctx.log(`I13 fan-out rejection p50 ${fmt(rej.p50Ms, 2)} ms p99 ${fmt(rej.p99Ms, 2)} ms, ${made} upstream requests`);

    // (2) fair share: B alone, then B while A floods — rate limits lifted (the flood reaches execution), then again
    // on a gateway with the default rate limits (the realistic configuration: most of the flood is answered 429).
    // 100 of B's requests in the default run (50 with --quick): enough for a p99, and short enough for a default run under 10 minutes.
    const seconds = (ctx.opt.quick ? 50 : 100) / B_RATE;
    const lifted = await fairShare(ctx, gw.endpoint, seconds, 'lifted rate limits');
    await ctx.stopAll();
    const sb2 = await ctx.sandbox(ctx.opt.upstreamLatencyMs);
    const gw2 = await ctx.gateway(sb2, { TRUST_PROXY: '1', ...SHARE, ...DEFAULT_RATE_LIMITS });
    const realistic = await fairShare(ctx, gw2.endpoint, seconds, 'default rate limits');
    const share = `EXECUTIONS_PER_CLIENT=${process.env.EXECUTIONS_PER_CLIENT ?? PROTECTION_CONFIG_VARS.EXECUTIONS_PER_CLIENT.default}, EXECUTION_QUEUE_PER_CLIENT=${process.env.EXECUTION_QUEUE_PER_CLIENT ?? PROTECTION_CONFIG_VARS.EXECUTION_QUEUE_PER_CLIENT.default}, REFUSAL_DELAY_MS=${process.env.REFUSAL_DELAY_MS ?? PROTECTION_CONFIG_VARS.REFUSAL_DELAY_MS.default}`;
    const fairCheck = (f: FairShare, how: string) => ({
      id: 'I13',
      target: `fair share (${how}): another client's simple query p99 during one client's flood ≤ 2 × idle`,
      measured: `${fmt(f.ratio, 2)} × idle (p99 ${fmt(f.during.p99Ms, 1)} ms vs ${fmt(f.idle.p99Ms, 1)} ms; p50 ${fmt(f.during.p50Ms, 1)} vs ${fmt(f.idle.p50Ms, 1)} ms); B failed ${bFailed(f.during)} of ${f.during.sent}${f.during.firstErrorCode ? ` (first: ${f.during.firstErrorCode})` : ''}; flood ${fmt(f.aRps)} req/s, ${statuses(f.flood)}, ${f.flood.graphqlErrors} with errors (${f.flood.firstErrorCode ?? 'none'}); ${share}`,
      met: f.ratio <= 2 && bFailed(f.idle) + bFailed(f.during) === 0,
    });
    const rows = (f: FairShare, how: string) => [
      `| client B idle (${how}) | ${fmt(f.idle.p50Ms, 1)} | ${fmt(f.idle.p90Ms, 1)} | ${fmt(f.idle.p99Ms, 1)} | ${fmt(f.idle.maxMs, 1)} | ${f.idle.sent} / ${bFailed(f.idle)} |`,
      `| client B during A's flood (${how}) | ${fmt(f.during.p50Ms, 1)} | ${fmt(f.during.p90Ms, 1)} | ${fmt(f.during.p99Ms, 1)} | ${fmt(f.during.maxMs, 1)} | ${f.during.sent} / ${bFailed(f.during)} |`,
      `| client A (flood, closed loop; ${how}) | ${fmt(f.flood.p50Ms)} | ${fmt(f.flood.p90Ms)} | ${fmt(f.flood.p99Ms)} | ${fmt(f.flood.maxMs)} | ${f.flood.sent}: ${statuses(f.flood)}, ${f.flood.errors} failed, ${f.flood.graphqlErrors} with GraphQL errors (first: ${f.flood.firstErrorCode ?? 'none'}) |`,
    ];

    return {
      checks: [
        {
          id: 'I13',
          target: 'the 605-municipality fan-out is rejected (QUERY_TOO_COMPLEX) before execution: 0 upstream requests; rejection time reported',
          measured: `rejection p50 ${fmt(rej.p50Ms, 2)} ms, p99 ${fmt(rej.p99Ms, 2)} ms over ${rej.sent} requests; ${made} upstream requests; HTTP ${Object.entries(rej.status).map(([s, n]) => `${s}×${n}`).join(', ')}; cost ${String(err?.extensions?.cost ?? '?')} > max ${String(err?.extensions?.maximum ?? err?.extensions?.max ?? '?')}`,
          met: rejected && made === 0,
        },
        fairCheck(lifted, 'rate limits lifted'),
        fairCheck(realistic, 'default rate limits'),
      ],
      sections: [
        [
          `## Issue 13: fan-out rejection and fair upstream use (upstream latency ${ctx.opt.upstreamLatencyMs} ms)`,
          '',
          `Fan-out \`${FANOUT}\` sent ${rej.sent} times one after the other (anonymous, default MAX_QUERY_COST). First answer: HTTP ${sample.status}, \`${(err?.message ?? sample.text).slice(0, 300)}\`.`,
          '',
          `Fair share: TRUST_PROXY=1, two anonymous clients told apart by \`X-Forwarded-For\` (${CLIENT_A} floods, ${CLIENT_B} measured). ` +
            `B sends \`${SIMPLE}\` at a fixed ${B_RATE} req/s for ${seconds} s (one PVOG request each, new filter every time), alone and then while A floods with ` +
            `\`${FLOOD}\` (${ctx.opt.connections} senders in a closed loop, a new filter per request: ten PVOG requests each, none cached). ` +
            `Measured twice, each on a fresh gateway: with the rate limits lifted (the flood reaches execution) and with the default rate limits (${Object.entries(DEFAULT_RATE_LIMITS).map(([k, v]) => `${k}=${v}`).join(', ')}). ${share}.`,
          '',
          '| | p50 ms | p90 ms | p99 ms | max ms | requests / failed |',
          '|---|---|---|---|---|---|',
          `| fan-out rejection | ${fmt(rej.p50Ms, 2)} | ${fmt(rej.p90Ms, 2)} | ${fmt(rej.p99Ms, 2)} | ${fmt(rej.maxMs, 2)} | ${rej.sent} / ${rej.errors} |`,
          ...rows(lifted, 'lifted'),
          ...rows(realistic, 'default limits'),
        ].join('\n'),
      ],
      data: { fanout: { sample: { status: sample.status, error: err }, probe: rej, upstreamRequests: made }, fairShare: { lifted, realistic } },
    };
  },
};

/** The gateway's own rate-limit defaults (the bench lifts them for every other scenario). */
/** The execution share as configured (production defaults unless the environment sets them): what I13 measures. */
const SHARE = Object.fromEntries(
  (['EXECUTIONS_PER_CLIENT', 'EXECUTION_QUEUE_PER_CLIENT', 'REFUSAL_DELAY_MS'] as const).map((k) => [k, process.env[k] ?? PROTECTION_CONFIG_VARS[k].default]),
);
const DEFAULT_RATE_LIMITS = Object.fromEntries(
  (['RATE_LIMIT_PER_MINUTE', 'RATE_LIMIT_PER_MINUTE_PUBLIC', 'RATE_LIMIT_PER_MINUTE_INTEGRATOR', 'RATE_LIMIT_PER_MINUTE_ADMIN'] as const).map((k) => [k, PROTECTION_CONFIG_VARS[k].default]),
);

type Probe = Awaited<ReturnType<typeof fixedRate>>;
interface FairShare {
  idle: Probe;
  during: Probe;
  flood: Probe;
  aRps: number;
  ratio: number;
}

const bFailed = (r: Probe) => r.errors + r.graphqlErrors + Object.entries(r.status).filter(([s]) => s !== '200').reduce((x, [, n]) => x + n, 0);
const statuses = (r: Probe) => Object.entries(r.status).map(([s, n]) => `HTTP ${s}×${n}`).join(', ');

/** B alone at a fixed rate, then B while A floods in a closed loop (ctx.opt.connections senders). */
async function fairShare(ctx: BenchContext, endpoint: string, seconds: number, how: string): Promise<FairShare> {
  for (const q of [SIMPLE, FLOOD]) {
    const r = await post(endpoint, q.replace('[<id>]', 'check'));
    if (r.status !== 200 || r.text.includes('"errors"')) throw new Error(`query failed: ${q}: ${r.status} ${r.text.slice(0, 300)}`);
  }
  // Enough of B's requests for a p99 (100 in the default run): the fixed-rate probe's p99 of 50 is its second-highest.
  const probeB = () => fixedRate({ url: endpoint, body: body(SIMPLE), rate: B_RATE, seconds, headers: { 'x-forwarded-for': CLIENT_B } });
  await fixedRate({ url: endpoint, body: body(SIMPLE), rate: B_RATE, seconds: ctx.opt.warmupSeconds, headers: { 'x-forwarded-for': CLIENT_B } });
  const idle = await probeB();
  ctx.log(`I13 (${how}) client B idle p99 ${fmt(idle.p99Ms, 1)} ms`);
  const flooding = fixedRate({ url: endpoint, body: body(FLOOD), rate: 0, concurrency: ctx.opt.connections, connections: ctx.opt.connections, seconds: seconds + 3, headers: { 'x-forwarded-for': CLIENT_A } });
  await new Promise((r) => setTimeout(r, 1500)); // the flood is under way before B starts
  const during = await probeB();
  const flood = await flooding;
  const aRps = flood.sent / (seconds + 3);
  ctx.log(`I13 (${how}) client B during flood p99 ${fmt(during.p99Ms, 1)} ms (A: ${fmt(aRps)} req/s, ${statuses(flood)})`);
  return { idle, during, flood, aRps, ratio: during.p99Ms / idle.p99Ms };
}
