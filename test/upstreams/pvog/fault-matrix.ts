import { expect } from 'vitest';
import { PortalFaultProbeDocument } from '../../../client/generated/graphql';
import type { TestGateway } from '../../helpers/gateway';

/**
 * One probe query touching every PVOG route the GraphQL side uses; a fault on one route must null
 * exactly the fields that depend on it, with an error naming pvog, and leave the rest intact.
 */
export const PROBE_LEIKA = '99008001012000';

export const ROUTE_CASES = [
  { route: 'servicedescriptions.byArs', glob: '/v7/servicedescriptions/*', nulls: ['municipality.services'] },
  { route: 'servicedescriptions.byLeikaIds', glob: '/v3/servicedescriptions/leikaid', nulls: ['municipality.responsibleUnit', 'service'] },
  { route: 'servicedescriptions.detail', glob: '/v6/servicedescriptions/*', nulls: ['service.shortText'] },
  { route: 'organisationunits.titles', glob: '/v2/organisationunits/titles', nulls: ['municipality.responsibleUnit'] },
  { route: 'organisationunits.detail', glob: '/v5/organisationunits/detail', nulls: ['municipality.responsibleUnit'] },
] as const;

const get = (data: any, path: string) => path.split('.').reduce((o, k) => (o == null ? o : o[k]), data);

/** Fresh municipalities, one per case: nothing cached for them, not even their competent unit. */
export function freshArs(gw: TestGateway, offset: number): () => string {
  const world = gw.sandboxes!.world;
  const units = new Set<string>();
  const all = world.municipalities.slice(offset).filter((m) => {
    const unit = world.responsibilities.find((r) => r.areaArs === m.ars && r.leikaKey === PROBE_LEIKA && r.role === '01')!.unitId;
    return !units.has(unit) && units.add(unit);
  });
  let i = 0;
  return () => all[i++].ars;
}

export async function expectPartial(gw: TestGateway, ars: string, c: (typeof ROUTE_CASES)[number], fault: string, codes: string[]) {
  const pvog = gw.sandboxes!.servers.pvog;
  pvog.setFaults(`pvog:${c.glob}=${fault}`);
  pvog.resetCounts();
  const r = await gw.gql(PortalFaultProbeDocument, { ars, leikaKey: PROBE_LEIKA });
  pvog.setFaults(undefined);
  expect(pvog.requestCount(c.route), `${c.route} was called`).toBeGreaterThan(0);
  expect(r.status).toBe(200);
  expect(r.data, 'partial data').toBeTruthy();
  for (const p of c.nulls) expect(get(r.data, p), `${p} is null`).toBeNull();
  const intact = ['municipality.name', 'municipality.services.totalCount', 'municipality.responsibleUnit.id', 'service.id', 'service.shortText.text'].filter(
    (p) => !c.nulls.some((n) => p === n || p.startsWith(n + '.')),
  );
  for (const p of intact) expect(get(r.data, p), `${p} is intact`).toBeTruthy();
  expect(r.errors?.length).toBeGreaterThan(0);
  for (const e of r.errors!) {
    expect(e.extensions).toMatchObject({ upstream: 'pvog' });
    expect(codes).toContain(e.extensions!.code);
    expect(c.nulls).toContain(e.path!.join('.'));
  }
  // Once the fault is gone the same question is answered in full (errors were not cached).
  const again = await gw.gql(PortalFaultProbeDocument, { ars, leikaKey: PROBE_LEIKA });
  expect(again.errors).toBeUndefined();
  for (const p of c.nulls) expect(get(again.data, p)).not.toBeNull();
}
