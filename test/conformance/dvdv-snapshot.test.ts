import { expect, it } from 'vitest';
import { dvdvFromSnapshot, type DvdvSnapshot } from '../../src/conformance/collect';
import { DVDV_MAPPING, dvdvKey } from '../../src/conformance/dvdv-mapping';
import { d2 } from '../../src/conformance/rules/d-2';
import { municipalityDirectory } from '../../src/reference/municipalities';
import type { OrganizationDto } from '../../src/upstreams/dvdv/mapper/directory';
import type { ServiceSummary } from '../../src/upstreams/pvog/mapper';
import type { ConformanceInput } from '../../src/conformance/input';

// The snapshot producer's DVDV part (src/conformance/collect.ts dvdvFromSnapshot): what a harvest did not look up must
// not read as "no DVDV entry" — a D-2 error a municipality would have to answer for.
const m = municipalityDirectory().all[0];
const pass = DVDV_MAPPING.find((e) => e.category === 'Passbehörde')!;
const key = dvdvKey(pass, { ags: m.ags, districtArs: m.district.ars });
const pvog = { servicesByArs: [{ ars: m.ars, services: [{ id: 'LB-1', leikaKey: pass.leikaKey } as unknown as ServiceSummary] }] };
const snap = (authorities: [string, OrganizationDto | null][]): DvdvSnapshot => ({ retrievedAt: '2026-01-01T00:00:00.000Z', categories: [], authorities: new Map(authorities), services: new Map() });
const d2Subjects = (dvdv: ConformanceInput['dvdv']) => {
  const out = d2.check({ input: { dvdv } as ConformanceInput } as Parameters<typeof d2.check>[0]);
  return Array.isArray(out) ? out.map((f) => f.subject) : out;
};

it('a harvested "not found" is a D-2 finding for the expected key', () => {
  const { dvdv, missing } = dvdvFromSnapshot({ municipalities: [m] }, pvog, snap([[`Passbehörde|${key}`, null]]));
  expect(missing).toEqual([]);
  expect(dvdv.authorities).toMatchObject([{ category: 'Passbehörde', organizationKey: key, ars: [m.ars], organization: null }]);
  expect(d2Subjects(dvdv)).toEqual([key]);
});

it('a lookup the snapshot lacks is named as missing and yields no finding', () => {
  const { dvdv, missing } = dvdvFromSnapshot({ municipalities: [m] }, pvog, snap([]));
  expect(missing).toEqual([`findauthoritydescription(Passbehörde, ${key})`]);
  expect(dvdv.authorities).toEqual([]);
  expect(d2Subjects(dvdv)).toEqual([]);
});

it('a snapshot without the /categories answer cannot feed the D-rules', () => {
  expect(() => dvdvFromSnapshot({ municipalities: [m] }, pvog, { ...snap([]), categories: null })).toThrow(/categories/);
});
