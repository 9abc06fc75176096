import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { indexWorld } from '../../../src/sandbox/world';
import { pvogGraph } from './helpers';

// Issue 16 item 13: one Organisationseinheit detail per distinct unit and request, counted where the data cache
// cannot hide a duplicate: at the calls the PVOG client makes into the cache (its single-flight would merge
// duplicate upstream requests, so counting at the sandbox alone passed even without the loader's dedupe).

const PERSONALAUSWEIS = '99008001012000';
const N = 30;
let sb: SandboxWorld;
beforeAll(async () => void (sb = await startSandboxes({ only: ['pvog'] })));
afterAll(async () => sb?.close());

it(`${N} municipalities' competent units: one detail call per distinct unit, though several places share one`, async () => {
  const g = pvogGraph(sb);
  try {
    const { result } = await g.exec(`{ municipalities(first: ${N}) { edges { node { ars responsibleUnit(leikaKey: "${PERSONALAUSWEIS}") { pvogId } } } } }`);
    expect(result.errors).toBeUndefined();
    const nodes = (result.data as any).municipalities.edges.map((e: any) => e.node);
    // Expected from the sandbox world: the competent unit (role 01) for the Leistung at each place.
    const ix = indexWorld(sb.world);
    const competent = nodes.map((n: any) => ix.responsibilitiesByArs.get(n.ars)!.find((r) => r.leikaKey === PERSONALAUSWEIS && r.role === '01')?.unitId ?? null);
    expect(nodes.map((n: any) => n.responsibleUnit?.pvogId ?? null)).toEqual(competent);
    const distinct = new Set(competent.filter((u: string | null) => u !== null));
    expect(distinct.size).toBeLessThan(competent.filter((u: string | null) => u !== null).length); // shared units: dedupe is real
    const detailCalls = g.calls.filter((c) => c.startsWith('organisationunits.detail|'));
    expect(detailCalls).toHaveLength(distinct.size);
    expect(new Set(detailCalls).size).toBe(detailCalls.length);
  } finally {
    await g.close();
  }
}, 90_000);
