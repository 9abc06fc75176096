import { afterAll, beforeAll, expect, it } from 'vitest';
import { MunicipalitiesPortalBatchDocument } from '../../../client/generated/graphql';
import { indexWorld } from '../../../src/sandbox/world';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

const PERSONALAUSWEIS = '99008001012000';
const WOHNGELD = '99107023037000';
const N = 20;

let gw: TestGateway;
// PVOG is throttled to 5 req/s, so ~85 requests take ~17 s: give the request room.
beforeAll(async () => void (gw = await startTestGateway()), 60_000);
afterAll(async () => gw?.stop());

it(`municipalities → services → responsibilities/responsible unit: one upstream request per distinct (endpoint, key)`, async () => {
  const pvog = gw.sandboxes!.servers.pvog;
  pvog.resetCounts();
  const r = await gw.gql(MunicipalitiesPortalBatchDocument, { first: N, leikaKey: PERSONALAUSWEIS, otherLeikaKey: WOHNGELD });
  expect(r.errors).toBeUndefined();
  const nodes = r.data!.municipalities.edges.map((e) => e.node);
  expect(nodes).toHaveLength(N);

  // Answers agree with the world.
  const ix = indexWorld(gw.sandboxes!.world);
  const competent = new Set<string>();
  for (const n of nodes) {
    const resp = ix.responsibilitiesByArs.get(n.ars)!;
    expect(n.all!.totalCount).toBe(new Set(resp.map((x) => x.serviceId)).size);
    expect(n.services!.edges.map((e) => e.node.leikaKey).sort()).toEqual([PERSONALAUSWEIS, WOHNGELD]);
    const unit = resp.find((x) => x.leikaKey === PERSONALAUSWEIS && x.role === '01')!.unitId;
    expect(n.responsibleUnit!.pvogId).toBe(unit);
    competent.add(unit);
  }

  // Exactly: per municipality one listing, one leikaIds request for both keys, one titles request per
  // (place, Leistung); one detail per distinct unit however many municipalities share it.
  expect(pvog.requestCount('servicedescriptions.byArs')).toBe(N);
  expect(pvog.requestCount('servicedescriptions.byLeikaIds')).toBe(N);
  expect(pvog.requestCount('organisationunits.titles')).toBe(2 * N);
  expect(pvog.requestCount('organisationunits.detail')).toBe(competent.size);
  expect(competent.size).toBeLessThan(N); // VG/EG administrations serve several members: dedupe is real
  expect(pvog.requestCount('servicedescriptions.detail')).toBe(0);
  const leikaRequests = pvog.requests().filter((q) => q.route === 'servicedescriptions.byLeikaIds');
  expect(leikaRequests.every((q) => new URLSearchParams(q.search).get('leikaIds') === [PERSONALAUSWEIS, WOHNGELD].sort().join(','))).toBe(true);
  const seen = pvog.requests().map((q) => `${q.path}${q.search}`);
  expect(new Set(seen).size).toBe(seen.length);
  expect(pvog.requestCount()).toBe(3 * N + 2 * N - N + competent.size);
}, 90_000);
