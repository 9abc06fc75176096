import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hiveQuery, startHive } from '../anchors/hive';
import { anchorsDir, ARS, body, compiledPaths, fmt, post, QUERY, QUERY_FULL, RATE_LIMIT, type Scenario } from '../lib/context';
import { rotated } from '../lib/rounds';

/**
 * P1 hot cached query and P1b full execution, side by side with the anchors in one rotated run: bare node:http
 * answering the identical bytes (the ceiling), Hive Gateway over a REST stand-in serving the same service list,
 * and Apollo Server 5 with a Map cache over the same stand-in (../../../shared/bench-anchors.md).
 */
export const throughput: Scenario = {
  ids: ['P1', 'P1b'],
  async run(ctx) {
    const sb = await ctx.sandbox(0);
    const gw = await ctx.gateway(sb);
    const first = await post(gw.endpoint, QUERY);
    if (first.status !== 200 || first.text.includes('"errors"')) throw new Error(`benchmark query failed: ${first.status} ${first.text.slice(0, 500)}`);
    const hot = await post(gw.endpoint, QUERY); // the bytes a response-cache hit answers with
    const full = await post(gw.endpoint, QUERY_FULL);
    if (full.status !== 200 || full.text.includes('"errors"')) throw new Error(`full-execution query failed: ${full.status} ${full.text.slice(0, 500)}`);
    const answerFile = join(ctx.work, 'answer.json');
    writeFileSync(answerFile, hot.text);
    const data = JSON.parse(hot.text) as { data: { municipality: unknown } };
    const muniFile = join(ctx.work, 'municipality.json');
    writeFileSync(muniFile, JSON.stringify({ ars: ARS, municipality: data.data.municipality }));
    const bare = await ctx.start('bare', [join(anchorsDir, 'bare.js'), answerFile, hot.type], { waitFor: ['url'] });
    const standin = await ctx.start('rest-standin', [join(anchorsDir, 'rest-standin.js'), muniFile], { waitFor: ['url'] });
    const apollo = await ctx.start('apollo', [join(anchorsDir, 'apollo.js'), standin.urls.url], { waitFor: ['url'], env: { NODE_ENV: 'production' } });
    const apolloCheck = await post(apollo.urls.url, QUERY);
    if (apolloCheck.status !== 200 || apolloCheck.text.includes('"errors"')) throw new Error(`Apollo anchor failed: ${apolloCheck.text.slice(0, 300)}`);
    const hive = await startHive(ctx, standin.urls.url);
    const hiveCheck = await post(hive.url, hiveQuery(ARS));
    const hiveServices = (JSON.parse(hiveCheck.text) as { data?: { services?: { content?: unknown[] } } }).data?.services?.content?.length ?? 0;
    if (hiveCheck.status !== 200 || hiveCheck.text.includes('"errors"') || hiveServices !== 20) throw new Error(`Hive Gateway anchor failed: ${hiveCheck.status} ${hiveCheck.text.slice(0, 300)}`);
    const gwProcs = [gw.proc, sb];
    const results = await rotated(ctx, [
      { name: 'bare node:http, identical bytes', url: bare.urls.url, body: body(QUERY), procs: [bare] },
      { name: 'thuegate, response-cache hit (P1)', url: gw.endpoint, body: body(QUERY), procs: gwProcs },
      { name: 'thuegate, full execution (P1b)', url: gw.endpoint, body: body(QUERY_FULL), procs: gwProcs },
      { name: 'Hive Gateway 2.15.1 over the REST stand-in, no cache', url: hive.url, body: body(hiveQuery(ARS)), procs: [hive.proc, standin] },
      { name: 'Apollo Server 5 + Map cache', url: apollo.urls.url, body: body(QUERY), procs: [apollo, standin] },
    ]);
    const [sBare, sHit, sFull, sHive, sApollo] = results;
    // Every miss of this run is a P1b request: which path served them (the compiled one, or Apollo and why not).
    const paths = await compiledPaths(gw.endpoint.replace(/\/graphql$/, ''));
    const misses = Object.values(paths).reduce((a, b) => a + b, 0);
    const pathText = `${fmt(paths.compiled ?? 0)} of ${fmt(misses)} misses ran compiled${Object.keys(paths).filter((k) => k !== 'compiled').map((k) => `, ${fmt(paths[k])} ${k}`).join('')}`;
    const ref = (t: typeof sBare) => ({ rps: t.rps, spreadPct: t.spreadPct, p99Ms: t.p99Ms, status429: t.status429, errors: t.errors + t.non2xx, cpuSecondsPerRound: Object.values(t.cpuPerRound)[0] ?? NaN });
    ctx.shared.set('P1', { bare: ref(sBare), anonymousOn: ref(sHit) });
    const p1 = sHit.rps / sBare.rps;
    const vsApollo = sFull.rps / sApollo.rps;
    const vsHive = sFull.rps / sHive.rps;
    const fullErrors = sFull.errors + sFull.non2xx;
    return {
      checks: [
        {
          id: 'P1',
          target: 'response-cache hit ≥ 0.8 × bare node:http, rate limiting on, 0 × 429',
          measured: `${fmt(p1, 2)} × bare (${fmt(sHit.rps)} vs ${fmt(sBare.rps)} req/s), ${sHit.status429} × 429 (anonymous client; authentication not exercised)`,
          met: p1 >= 0.8 && sHit.status429 === 0,
        },
        {
          id: 'P1b',
          target: 'full execution ≥ 3.5 × Hive Gateway 2.15.1 (same run)',
          measured: `${fmt(vsHive, 2)} × Hive Gateway (${fmt(sFull.rps)} vs ${fmt(sHive.rps)} req/s; Hive ${fmt(sHive.rps / sBare.rps, 3)} × bare), ${fullErrors} errors; ${pathText}`,
          met: vsHive >= 3.5 && fullErrors === 0,
        },
        {
          id: 'P1b',
          target: 'full execution ≥ 1 × Apollo Server 5 + Map cache',
          measured: `${fmt(vsApollo, 2)} × Apollo (${fmt(sFull.rps)} vs ${fmt(sApollo.rps)} req/s), ${fmt(sFull.rps / sBare.rps, 3)} × bare, ${fullErrors} errors`,
          met: vsApollo >= 1 && fullErrors === 0,
        },
      ],
      sections: [
        [
          '## P1 / P1b throughput (same run)',
          '',
          `Query (${Buffer.byteLength(hot.text)} bytes answer): \`${QUERY}\`. Full execution adds \`upstreams { name }\` (no cache hint → response cache bypassed; data cache warm); the gateway runs it compiled (graphql-jit, src/server/compiled-execution/; \`COMPILED_EXECUTION=false\` gives Apollo's path). ` +
            `Gateway: NODE_ENV=production, anonymous rate limit ${RATE_LIMIT}/min (on, above the run's volume). ` +
            `Hive Gateway (one worker, \`--fork 1\`) answers \`${hiveQuery(ARS)}\` from a supergraph composed at bench time over the REST stand-in, which serves the gateway's own service list; Apollo reads the same stand-in.`,
          '',
          '| server | req/s (median) | spread | × bare | p50 ms | p99 ms | errors / non-2xx / 429 | CPU s per round (server processes) | max RSS MB |',
          '|---|---|---|---|---|---|---|---|---|',
          ...results.map(
            (s) =>
              `| ${s.name} | ${fmt(s.rps)} | ${fmt(s.spreadPct)} % | ${fmt(s.rps / sBare.rps, 3)} | ${fmt(s.p50Ms)} | ${fmt(s.p99Ms)} | ${s.errors} / ${s.non2xx} / ${s.status429} | ${Object.entries(s.cpuPerRound).map(([n, v]) => `${n} ${fmt(v, 1)}`).join(', ')} | ${Object.entries(s.rssMb).map(([n, v]) => `${n} ${fmt(v)}`).join(', ')} |`,
          ),
          '',
          `Per round req/s: ${results.map((s) => `${s.name}: ${s.rounds.map((r) => fmt(r.rps)).join(' / ')}`).join('; ')}.`,
        ].join('\n'),
      ],
      data: { query: QUERY, answerBytes: Buffer.byteLength(hot.text), throughput: results },
    };
  },
};
