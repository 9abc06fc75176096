import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { indexWorld } from '../../../src/sandbox/world';
import { windowFilled } from '../../../src/upstreams/pvog/client';
import { builtLoaders } from '../../../src/schema/context-factory';
import { pvogGraph } from './helpers';

// Issue 10: `services(first: 5)` reads only the PVOG listing pages the slice needs, with the right totalCount,
// and the query builds the PVOG loaders only. The gateway schema over the PVOG sandbox on a loopback socket,
// with a small page size (5, the Suchdienst's minimum) so the 26 services of the example place span 6 pages.
// Counted twice, so the data cache cannot hide a page read: at the sandbox (a fresh cache per harness) and at
// the calls the client makes into the cache layer.

const ARS = '160720011011';
const PAGE = 5;

let sb: SandboxWorld;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => void (sb = await startSandboxes({ only: ['pvog'] })));
afterEach(async () => void (await Promise.all(closers.splice(0).map((c) => c()))));
afterAll(async () => sb?.close());

function harness() {
  const g = pvogGraph(sb, PAGE);
  closers.push(g.close);
  return g;
}

/** Listing pages the sandbox served since the last reset, by page number. */
const pagesRead = () =>
  sb.servers.pvog
    .requests()
    .filter((r) => r.route === 'servicedescriptions.byArs')
    .map((r) => Number(new URLSearchParams(r.search).get('page')));

/** The place's services from the sandbox world itself, ordered by PVOG id (the order the API promises). */
function worldServices() {
  const ix = indexWorld(sb.world);
  const ids = [...new Set(ix.responsibilitiesByArs.get(ARS)!.map((r) => r.serviceId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.map((id) => ix.serviceById.get(id)!);
}

const page = (first: number, after?: string) =>
  `{ municipality(ars: "${ARS}") { services(first: ${first}${after ? `, after: "${after}"` : ''}) { totalCount pageInfo { hasNextPage endCursor } edges { node { pvogId leikaKey name } } } } }`;

describe('services(first: N) reads only the listing pages it needs', () => {
  it('first: 5 reads one page of six, and totalCount is the whole listing (PVOG totalElements)', async () => {
    const world = worldServices();
    expect(world.length).toBeGreaterThan(5 * PAGE); // the place really spans more than five pages
    const h = harness();
    sb.servers.pvog.resetCounts();
    const { result, ctx } = await h.exec(page(5));
    expect(result.errors).toBeUndefined();
    const services = (result.data as any).municipality.services;
    expect(services.edges.map((e: any) => e.node.leikaKey)).toEqual(world.slice(0, 5).map((s) => s.leikaKey));
    expect(services.totalCount).toBe(world.length);
    expect(services.pageInfo.hasNextPage).toBe(true);
    expect(pagesRead()).toEqual([0]);
    expect(h.calls.filter((c) => c.startsWith('servicedescriptions.byArs|'))).toHaveLength(1);
    expect(sb.servers.pvog.requestCount()).toBe(1); // nothing else of PVOG either

    // Only the PVOG loaders were built for this query; the other four upstreams' stay unbuilt getters.
    expect(builtLoaders(ctx.loaders)).toEqual(['pvog']);
  });

  it('the next page reads on from the cached first page: one more listing request, for page 1 only', async () => {
    const world = worldServices();
    const h = harness();
    const first = await h.exec(page(5));
    sb.servers.pvog.resetCounts();
    const next = await h.exec(page(5, (first.result.data as any).municipality.services.pageInfo.endCursor));
    expect(next.result.errors).toBeUndefined();
    const services = (next.result.data as any).municipality.services;
    expect(services.edges.map((e: any) => e.node.pvogId)).toEqual(world.slice(5, 10).map((s) => s.id));
    expect(services.totalCount).toBe(world.length);
    expect(pagesRead()).toEqual([1]);
  });

  it('first: 1000 reads every page, and a page that ends the listing says so', async () => {
    const world = worldServices();
    const h = harness();
    sb.servers.pvog.resetCounts();
    const { result } = await h.exec(page(1000));
    expect(result.errors).toBeUndefined();
    const services = (result.data as any).municipality.services;
    expect(services.edges.map((e: any) => e.node.pvogId)).toEqual(world.map((s) => s.id));
    expect(services.totalCount).toBe(world.length);
    expect(services.pageInfo.hasNextPage).toBe(false);
    expect(pagesRead()).toEqual(Array.from({ length: Math.ceil(world.length / PAGE) }, (_, i) => i));
  });
});

describe('windowFilled: when the pages read so far answer a slice', () => {
  const s = (id: string) => ({ id, leikaKey: null, name: id, lastUpdate: null, onlineServiceLinks: [] });
  it('is filled by enough ids after the cursor, in ascending order', () => {
    expect(windowFilled(['a1', 'a2', 'a3'].map(s), { first: 3 })).toBe(true);
    expect(windowFilled(['a1', 'a2', 'a3'].map(s), { first: 4 })).toBe(false);
    expect(windowFilled(['a1', 'a2', 'a3', 'a4'].map(s), { first: 2, after: 'a2' })).toBe(true);
    expect(windowFilled(['a1', 'a2', 'a3', 'a4'].map(s), { first: 3, after: 'a2' })).toBe(false);
  });
  it('is never filled when the upstream does not page in id order (a later page could hold a smaller id)', () => {
    expect(windowFilled(['a3', 'a1', 'a2', 'a4'].map(s), { first: 2 })).toBe(false);
    expect(windowFilled(['a1', 'a1', 'a2'].map(s), { first: 1 })).toBe(false);
  });
});
