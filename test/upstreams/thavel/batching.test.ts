import { afterAll, beforeAll, expect, it } from 'vitest';
import { MunicipalitiesOnlineBatchDocument } from '../../../client/generated/graphql';
import { indexWorld } from '../../../src/sandbox/world';
import { MALFORMED_ENTRIES, CATALOGUE_PAGE_OBJECTS, thavelCatalogueServices } from '../../../src/upstreams/thavel/sandbox';
import { ONLINE_PAGE_SIZE } from '../../../src/upstreams/pvog/sandbox';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

const N = 20;
let gw: TestGateway;
beforeAll(async () => void (gw = await startTestGateway()), 60_000);
afterAll(async () => gw?.stop());

it(`municipalities(first: ${N}) → onlineServices + digitalOffer: the ThAVEL catalogue is read once, PVOG once per (endpoint, place, page)`, async () => {
  const { pvog, thavel } = gw.sandboxes!.servers;
  const world = gw.sandboxes!.world;
  pvog.resetCounts();
  thavel.resetCounts();
  const r = await gw.gql(MunicipalitiesOnlineBatchDocument, { first: N });
  expect(r.errors).toBeUndefined();
  const nodes = r.data!.municipalities.edges.map((e) => e.node);
  expect(nodes).toHaveLength(N);

  const ix = indexWorld(world);
  let pvogPages = 0;
  for (const n of nodes) {
    const here = (ix.onlineServicesByArea.get(n.ars) ?? []).filter((o) => o.announcedIn.pvog || o.announcedIn.thavel);
    expect(n.onlineServices!.edges.map((e) => e.node.onlineServiceId)).toEqual(here.map((o) => o.id).sort());
    pvogPages += Math.max(1, Math.ceil(here.filter((o) => o.announcedIn.pvog).length / ONLINE_PAGE_SIZE));
  }
  const catalogue = thavelCatalogueServices(world);
  const objects = new Set(catalogue.flatMap((o) => o.leikaKeys)).size + catalogue.length + MALFORMED_ENTRIES.length;
  // The catalogue once for the whole request, not once per municipality (onlineServices and digitalOffer share it).
  expect(thavel.requestCount('catalogue')).toBe(Math.ceil(objects / CATALOGUE_PAGE_OBJECTS));
  // PVOG: onlineServices and digitalOffer share one /onlineservices read per place; one listing per place for digitalOffer.
  expect(pvog.requestCount('onlineservices')).toBe(pvogPages);
  expect(pvog.requestCount('servicedescriptions.byArs')).toBe(N);
  expect(pvog.requestCount()).toBe(pvogPages + N);
  const seen = [...pvog.requests(), ...thavel.requests()].map((q) => `${q.path}${q.search}`);
  expect(new Set(seen).size).toBe(seen.length);

  // A second request within the TTL is served from the shared data cache: no upstream traffic at all.
  pvog.resetCounts();
  thavel.resetCounts();
  const again = await gw.raw('{ municipalities(first: 20) { edges { node { ars digitalOffer { servicesOnline } } } } }');
  expect(again.errors).toBeUndefined();
  expect(thavel.requestCount()).toBe(0);
  expect(pvog.requestCount()).toBe(0);
}, 60_000);
