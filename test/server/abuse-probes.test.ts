import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway';
import { projectRoot } from '../../src/util/paths';
import { scrapeSum } from '../helpers/metrics';
import { startProductionGateway } from './production-gateway';

/**
 * The attacker's and the careless client's requests, each over HTTP against a production-mode gateway: every one
 * gets a fast, clear refusal (4xx with a GraphQL error naming what is wrong) and costs no upstream request, while a
 * normal query sent at the same moment is answered as usual. The probe table is printed with the timings.
 */
let gw: TestGateway;
let upstreamUrls: string[];
beforeAll(async () => {
  const p = await startProductionGateway();
  gw = p.gw;
  upstreamUrls = Object.values(p.sandboxes.urls);
}, 60_000);
afterAll(async () => { await gw?.stop(); });

interface Probe {
  name: string;
  init: () => { method?: string; path?: string; headers?: Record<string, string>; body?: string };
  status: number;
  /** What the answer must say: the error code, or a fragment of the message. */
  says: RegExp;
  /** What the answer must not say. */
  never?: RegExp;
}

const json = (query: string, variables?: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
const chain = (levels: number): string => (levels === 0 ? '{ id }' : `{ ${levels % 2 ? 'services' : 'datasets'} ${chain(levels - 1)} }`);

const PROBES: Probe[] = [
  { name: 'alias overloading (100 aliases)', init: () => json(`{ ${Array.from({ length: 100 }, (_, i) => `a${i}: municipality(ags: "16051000") { name }`).join(' ')} }`), status: 400, says: /"limit":"aliases"/ },
  { name: 'field duplication (6,000 × name)', init: () => json(`{ municipality(ags: "16051000") { ${'name '.repeat(6000)} } }`), status: 400, says: /"limit":"tokens"/ },
  { name: 'deep nesting (depth 40)', init: () => json(`{ geoRecord(id: "x") ${chain(38)} }`), status: 400, says: /"limit":"depth"/ },
  { name: 'directive overloading (100 × @include)', init: () => json(`{ __typename ${'@include(if: true) '.repeat(100)} }`), status: 400, says: /"limit":"directives"/ },
  { name: 'circular introspection', init: () => json('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }'), status: 400, says: /introspection is not allowed/ },
  { name: 'batching (2 operations in an array)', init: () => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) }), status: 400, says: /batching/i },
  { name: 'GET mutation', init: () => ({ method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { purgeCache(upstream: "pvog") { purged } }')}`, headers: { 'apollo-require-preflight': '1' } }), status: 405, says: /mutation.*GET|GET.*mutation/i },
  { name: 'url-encoded POST (CSRF)', init: () => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent('{ __typename }')}` }), status: 400, says: /CSRF/ },
  { name: 'text/plain POST (CSRF)', init: () => ({ headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) }), status: 400, says: /CSRF/ },
  { name: 'introspection', init: () => json('{ __schema { types { name } } }'), status: 400, says: /introspection is not allowed/ },
  { name: 'field suggestions', init: () => json('{ municipalitie(ags: "16051000") { name } }'), status: 400, says: /Cannot query field \\"municipalitie\\"/, never: /Did you mean/ },
  { name: 'oversize body (300 kB)', init: () => json(`{ __typename } # ${'x'.repeat(300_000)}`), status: 413, says: /too large/i },
  { name: 'malformed JSON', init: () => ({ headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typename }"' }), status: 400, says: /JSON|parse/i },
  { name: 'wrong content type (application/xml)', init: () => ({ headers: { 'content-type': 'application/xml' }, body: '<query>{ __typename }</query>' }), status: 400, says: /Content-Type|body/i },
  { name: 'invalid variables', init: () => json('query ($ags: AGS!) { municipality(ags: $ags) { name } }', { ags: 16051000 }), status: 400, says: /BAD_USER_INPUT/ },
  { name: 'fan-out: 605 municipalities × services', init: () => json('{ municipalities(first: 605) { edges { node { services { edges { node { leikaKey name } } } } } } }'), status: 400, says: /"limit":"cost","max":3000,"cost":74416/ },
  {
    name: 'fan-out: 30 aliases × 605 × random search',
    init: () => json(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: municipalities(first: 605) { edges { node { services(query: "${Math.random().toString(36).slice(2)}") { totalCount } } } }`).join(' ')} }`),
    status: 400,
    says: /"limit":"cost"/,
  },
  {
    name: 'fan-out: 10,000 leikaKeys in variables',
    init: () => json('query ($k: [LeikaKey!]) { services(ars: "160510000000", leikaKeys: $k) { edges { node { name } } } }', { k: Array.from({ length: 10_000 }, (_, i) => `99${String(i).padStart(12, '0')}`) }),
    status: 400,
    says: /"limit":"cost"/,
  },
];

/** A normal portal query that needs PVOG (another place and search each time: no response-cache hit). */
// Every 100th municipality of the shipped Destatis list (data/thueringen-gemeinden.csv).
const PLACES = readFileSync(join(projectRoot(), 'data/thueringen-gemeinden.csv'), 'utf8').split('\n').slice(1).filter((_, i) => i % 100 === 0).map((l) => l.split(',')[1]);
let next = 0;
async function normalQuery(): Promise<{ ms: number; ok: boolean }> {
  const ars = PLACES[next++ % PLACES.length];
  const started = performance.now();
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ municipality(ars: "${ars}") { name services(first: 3, query: "a${next}") { totalCount } } }` }),
  });
  const body = (await res.json()) as { data?: { municipality?: { name: string } }; errors?: unknown[] };
  if (body.errors) console.log('normal query errors', JSON.stringify(body.errors).slice(0, 300));
  return { ms: performance.now() - started, ok: res.status === 200 && !body.errors && !!body.data?.municipality?.name };
}

describe('abuse probes against a production-mode gateway', () => {
  it('refuses every probe quickly and clearly, without an upstream request, while normal queries keep flowing', async () => {
    for (let i = 0; i < 3; i++) await normalQuery(); // warm up
    const idle: number[] = [];
    for (let i = 0; i < 6; i++) idle.push((await normalQuery()).ms);
    const rows: string[] = [];
    const failures: string[] = [];
    for (const probe of PROBES) {
      const { method = 'POST', path = '/graphql', headers, body } = probe.init();
      const upstreamBefore = await scrapeSum(gw.url, 'thuegate_upstream_requests_total');
      const started = performance.now();
      const [res, normal] = await Promise.all([
        fetch(`${gw.url}${path}`, { method, headers, body }).then(async (r) => ({ status: r.status, text: await r.text(), headers: r.headers, ms: performance.now() - started })),
        normalQuery(),
      ]);
      // The normal query made its own upstream requests; the probe's share is what remains after subtracting at most those.
      const probeOnly = await scrapeSum(gw.url, 'thuegate_upstream_requests_total').then((n) => n - upstreamBefore);
      const code = /"code":"([^"]+)"/.exec(res.text)?.[1] ?? '';
      const limit = /"limit":"([a-z-]+)"/.exec(res.text)?.[1] ?? '';
      rows.push(`| ${probe.name} | ${res.status} | ${code}${limit ? ` (${limit})` : ''} | ${res.ms.toFixed(1)} | ${normal.ms.toFixed(1)} ${normal.ok ? 'ok' : 'FAILED'} |`);
      if (res.status !== probe.status) failures.push(`${probe.name}: status ${res.status}, expected ${probe.status}: ${res.text.slice(0, 200)}`);
      if (probe.never?.test(res.text)) failures.push(`${probe.name}: answer says ${probe.never}`);
      if (!probe.says.test(res.text)) failures.push(`${probe.name}: answer does not say ${probe.says}: ${res.text.slice(0, 300)}`);
      if (!/^application\/(graphql-response\+)?json/.test(res.headers.get('content-type') ?? '')) failures.push(`${probe.name}: not a JSON answer (${res.headers.get('content-type')})`);
      if (/\bat .*\.(js|ts):\d+|stacktrace/.test(res.text)) failures.push(`${probe.name}: stack trace in the answer`);
      if (upstreamUrls.some((u) => res.text.includes(u))) failures.push(`${probe.name}: upstream base URL in the answer`);
      if (res.headers.get('x-content-type-options') !== 'nosniff') failures.push(`${probe.name}: no X-Content-Type-Options`);
      if (res.ms > 2000) failures.push(`${probe.name}: took ${res.ms.toFixed(0)} ms`);
      if (!normal.ok) failures.push(`${probe.name}: the concurrent normal query failed`);
      // A refused probe costs nothing upstream: the only upstream requests in this window are the normal query's (≤ 2).
      if (probeOnly > 2) failures.push(`${probe.name}: ${probeOnly} upstream requests during the probe`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      [
        `Abuse probes, production mode (normal query idle: median ${median(idle).toFixed(1)} ms)`,
        '| probe | status | code (limit) | refusal ms | normal query ms |',
        '|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
    expect(failures).toEqual([]);
  }, 120_000);
});
