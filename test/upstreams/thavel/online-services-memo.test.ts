import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { scrapeSum } from '../../helpers/metrics';

/**
 * The ThAVEL/PVOG merge behind `onlineServices` is computed once per catalogue version (services/online-services.ts,
 * issue 15): a warm request reuses the catalogue index and the merged answer of a place; a changed catalogue is
 * indexed and merged anew, and its answer shows the change. The work done is counted in
 * `thuegate_online_services_merges_total` (kind = index | place | unit).
 */
const ADMIN_TOKEN = 'online-memo-admin-token-0123456789';
let gw: TestGateway;
beforeAll(async () => void (gw = await startTestGateway({ ADMIN_TOKEN })), 60_000);
afterAll(async () => gw?.stop());

const merges = async () => ({
  index: await scrapeSum(gw.url, 'thuegate_online_services_merges_total', { kind: 'index' }),
  place: await scrapeSum(gw.url, 'thuegate_online_services_merges_total', { kind: 'place' }),
});
const delta = (a: { index: number; place: number }, b: { index: number; place: number }) => ({ index: b.index - a.index, place: b.place - a.place });

/** `upstreams` has no cache hint, so the response cache never answers this: every request executes. */
const online = async (ars: string) => {
  const r = await gw.raw(`{ onlineServices(ars: "${ars}", first: 1000) { edges { node { onlineServiceId title sources { source title } } } } upstreams { name } }`);
  expect(r.errors).toBeUndefined();
  return r.data.onlineServices.edges.map((e: { node: { onlineServiceId: string; title: string } }) => e.node) as { onlineServiceId: string; title: string }[];
};

it('warm requests reuse the merge; a changed catalogue is merged anew and answers with the change', async () => {
  const world = gw.sandboxes!.world;
  const form = world.onlineServices.find((o) => o.announcedIn.thavel && o.scope.level === 'municipality')!;
  const ars = form.scope.ars;
  const first = await online(ars);
  expect(first.map((o) => o.onlineServiceId)).toContain(form.id);

  // Same place again, and again: nothing merged, nothing indexed, the same answer.
  const warm = await merges();
  expect(await online(ars)).toEqual(first);
  expect(await online(ars)).toEqual(first);
  expect(delta(warm, await merges())).toEqual({ index: 0, place: 0 });

  // Another place under the same catalogue version: merged once (its own answer), the index is reused.
  const other = world.municipalities.find((m) => m.ars !== ars && m.ars.startsWith(ars.slice(0, 5)))?.ars ?? world.municipalities.find((m) => m.ars !== ars)!.ars;
  const beforeOther = await merges();
  await online(other);
  await online(other);
  expect(delta(beforeOther, await merges())).toEqual({ index: 0, place: 1 });

  // The catalogue changes (ThAVEL re-titles entries) and its cached pages are purged: a new version.
  const summary = gw.sandboxes!.mutate(1, 'online-memo');
  expect(summary.thavel.retitled).toContain(form.id);
  const purge = await gw.raw('mutation { purgeCache(upstream: "thavel") { purged } }', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
  expect(purge.errors).toBeUndefined();
  const beforeChange = await merges();
  const changed = await online(ars);
  expect(delta(beforeChange, await merges())).toEqual({ index: 1, place: 1 });
  const now = changed.find((o) => o.onlineServiceId === form.id)!;
  expect(now.title).toBe(`${first.find((o) => o.onlineServiceId === form.id)!.title} (geändert)`);
  // … and that version is reused in turn.
  const afterChange = await merges();
  expect(await online(ars)).toEqual(changed);
  expect(delta(afterChange, await merges())).toEqual({ index: 0, place: 0 });
}, 120_000);
