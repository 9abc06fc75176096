import { ARS, body, fmt, post, upstreamRequests, type Scenario } from '../lib/context';
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
const B_RATE = 5;

/**
 * Issue 13's figures for the closing note: (1) the 605-municipality fan-out is rejected by the cost analysis before
 * execution — its rejection time and 0 upstream requests (from /metrics); (2) fair upstream use — another client's
 * simple query keeps its p99 within 2 × idle while one client floods the same upstream. Rate limits are lifted above
 * the run's volume (as for every scenario), so the flood reaches the upstream's concurrency: with the default
 * anonymous limit it would mostly be answered 429, which would hide what the fair share does.
 */
export const protection: Scenario = {
  ids: ['I13'],
  async run(ctx) {
    const sb = await ctx.sandbox(ctx.opt.upstreamLatencyMs);
    const gw = await ctx.gateway(sb, { TRUST_PROXY: '1' });

    // (1) fan-out rejection
    const sample = await post(gw.endpoint, FANOUT);
    const err = (JSON.parse(sample.text) as { errors?: { message: string; extensions?: Record<string, unknown> }[] }).errors?.[0];
    const before = await upstreamRequests(gw.url);
    const count = ctx.opt.quick ? 50 : 200;
    const rej = await fixedRate({ url: gw.endpoint, body: body(FANOUT), rate: 0, count, warmup: 10, headers: { 'x-forwarded-for': CLIENT_A } });
    const made = (await upstreamRequests(gw.url)) - before;
    const rejected = err?.extensions?.code === 'QUERY_TOO_COMPLEX' && rej.graphqlErrors === rej.sent && rej.firstErrorCode === 'QUERY_TOO_COMPLEX';
    ctx.log(`I13 fan-out rejection p50 ${fmt(rej.p50Ms, 2)} ms p99 ${fmt(rej.p99Ms, 2)} ms, ${made} upstream requests`);

    // (2) fair share: B alone, then B while A floods
    for (const q of [SIMPLE, FLOOD]) {
      const r = await post(gw.endpoint, q.replace('[<id>]', 'check'));
      if (r.status !== 200 || r.text.includes('"errors"')) throw new Error(`query failed: ${q}: ${r.status} ${r.text.slice(0, 300)}`);
    }
    // Enough of B's requests for a p99 (100 in the default run): the fixed-rate probe's p99 of 50 is its second-highest.
    const seconds = ctx.opt.quick ? 10 : 20;
    const probeB = () => fixedRate({ url: gw.endpoint, body: body(SIMPLE), rate: B_RATE, seconds, headers: { 'x-forwarded-for': CLIENT_B } });
    await fixedRate({ url: gw.endpoint, body: body(SIMPLE), rate: B_RATE, seconds: ctx.opt.warmupSeconds, headers: { 'x-forwarded-for': CLIENT_B } });
    const idle = await probeB();
    ctx.log(`I13 client B idle p99 ${fmt(idle.p99Ms, 1)} ms`);
    const flood = fixedRate({ url: gw.endpoint, body: body(FLOOD), rate: 0, concurrency: ctx.opt.connections, connections: ctx.opt.connections, seconds: seconds + 3, headers: { 'x-forwarded-for': CLIENT_A } });
    await new Promise((r) => setTimeout(r, 1500)); // the flood is under way before B starts
    const during = await probeB();
    const a = await flood;
    const aRps = a.sent / (seconds + 3);
    ctx.log(`I13 client B during flood p99 ${fmt(during.p99Ms, 1)} ms (A: ${fmt(aRps)} req/s)`);
    const bFailed = (r: typeof idle) => r.errors + r.graphqlErrors + Object.entries(r.status).filter(([s]) => s !== '200').reduce((x, [, n]) => x + n, 0);
    const ratio = during.p99Ms / idle.p99Ms;

    return {
      checks: [
        {
          id: 'I13',
          target: 'the 605-municipality fan-out is rejected (QUERY_TOO_COMPLEX) before execution: 0 upstream requests; rejection time reported',
          measured: `rejection p50 ${fmt(rej.p50Ms, 2)} ms, p99 ${fmt(rej.p99Ms, 2)} ms over ${rej.sent} requests; ${made} upstream requests; HTTP ${Object.entries(rej.status).map(([s, n]) => `${s}×${n}`).join(', ')}; cost ${String(err?.extensions?.cost ?? '?')} > max ${String(err?.extensions?.maximum ?? err?.extensions?.max ?? '?')}`,
          met: rejected && made === 0,
        },
        {
          id: 'I13',
          target: "fair share: another client's simple query p99 during one client's flood ≤ 2 × idle",
          measured: `${fmt(ratio, 2)} × idle (p99 ${fmt(during.p99Ms, 1)} ms vs ${fmt(idle.p99Ms, 1)} ms; p50 ${fmt(during.p50Ms, 1)} vs ${fmt(idle.p50Ms, 1)} ms); B failed ${bFailed(during)} of ${during.sent}${during.firstErrorCode ? ` (first: ${during.firstErrorCode})` : ''}; flood ${fmt(aRps)} req/s, ${a.graphqlErrors} of ${a.sent} with errors (${a.firstErrorCode ?? 'none'})`,
          met: ratio <= 2 && bFailed(idle) + bFailed(during) === 0,
        },
      ],
      sections: [
        [
          `## Issue 13: fan-out rejection and fair upstream use (upstream latency ${ctx.opt.upstreamLatencyMs} ms)`,
          '',
          `Fan-out \`${FANOUT}\` sent ${rej.sent} times one after the other (anonymous, default MAX_QUERY_COST). First answer: HTTP ${sample.status}, \`${(err?.message ?? sample.text).slice(0, 300)}\`.`,
          '',
          `Fair share: TRUST_PROXY=1, two anonymous clients told apart by \`X-Forwarded-For\` (${CLIENT_A} floods, ${CLIENT_B} measured). ` +
            `B sends \`${SIMPLE}\` at a fixed ${B_RATE} req/s for ${seconds} s (one PVOG request each, new filter every time), alone and then while A floods with ` +
            `\`${FLOOD}\` (${ctx.opt.connections} senders in a closed loop, a new filter per request: ten PVOG requests each, none cached).`,
          '',
          '| | p50 ms | p90 ms | p99 ms | max ms | requests / failed |',
          '|---|---|---|---|---|---|',
          `| fan-out rejection | ${fmt(rej.p50Ms, 2)} | ${fmt(rej.p90Ms, 2)} | ${fmt(rej.p99Ms, 2)} | ${fmt(rej.maxMs, 2)} | ${rej.sent} / ${rej.errors} |`,
          `| client B idle | ${fmt(idle.p50Ms, 1)} | ${fmt(idle.p90Ms, 1)} | ${fmt(idle.p99Ms, 1)} | ${fmt(idle.maxMs, 1)} | ${idle.sent} / ${bFailed(idle)} |`,
          `| client B during A's flood | ${fmt(during.p50Ms, 1)} | ${fmt(during.p90Ms, 1)} | ${fmt(during.p99Ms, 1)} | ${fmt(during.maxMs, 1)} | ${during.sent} / ${bFailed(during)} |`,
          `| client A (flood, closed loop) | ${fmt(a.p50Ms)} | ${fmt(a.p90Ms)} | ${fmt(a.p99Ms)} | ${fmt(a.maxMs)} | ${a.sent} / ${a.errors} failed, ${a.graphqlErrors} with GraphQL errors (first: ${a.firstErrorCode ?? 'none'}) |`,
        ].join('\n'),
      ],
      data: { fanout: { sample: { status: sample.status, error: err }, probe: rej, upstreamRequests: made }, fairShare: { idle, during, flood: a } },
    };
  },
};
