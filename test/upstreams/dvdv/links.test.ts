import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDvdvHarness, type DvdvHarness } from './gateway-helpers';

// Links from PVOG Organisationseinheiten to their DVDV entries (PVOG and DVDV sandboxes over loopback).
let h: DvdvHarness;
beforeAll(async () => {
  h = await startDvdvHarness({ withPvog: true });
});
afterAll(() => h?.close());

describe('OrganisationUnit.directoryOrganizations', () => {
  it('links Erfurt’s registration office unit to its Melde-, Pass- and Personalausweisbehörde entries', async () => {
    const melde = h.sandboxes.world.dvdv.organizations.find((o) => o.organizationKeys.includes('ags:16051000') && o.category === 'Meldebehörde')!;
    const expected = h.sandboxes.world.dvdv.organizations.filter((o) => o.unitId === melde.unitId && o.organizationKeys.some((k) => k.endsWith('16051000') || k.endsWith('16051000_00')));
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const r = await h.exec(`query($id: ID!) { organisationUnit(id: $id) { name directoryOrganizations { key category name } } }`, 'integrator', { id: melde.unitId });
    expect(r.errors).toBeUndefined();
    const unit = (r.data as any).organisationUnit;
    expect(unit.directoryOrganizations.map((o: any) => o.category).sort()).toEqual(expected.map((o) => o.category).sort());
    expect(unit.directoryOrganizations.every((o: any) => o.name === unit.name)).toBe(true);
  });

  it('is FORBIDDEN for the public role while the unit itself stays readable', async () => {
    const melde = h.sandboxes.world.dvdv.organizations.find((o) => o.organizationKeys.includes('ags:16051000') && o.category === 'Meldebehörde')!;
    const r = await h.exec(`query($id: ID!) { organisationUnit(id: $id) { name dvdv: directoryOrganizations { key } } }`, 'public', { id: melde.unitId });
    expect((r.data as any).organisationUnit.name).toBe(melde.nameDe);
    expect((r.data as any).organisationUnit.dvdv).toBeNull();
    expect(r.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
  });
});
