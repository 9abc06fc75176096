import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AvailabilityMatrixRow, AvailabilityReport, SizeClass } from '../../src/availability/types';
import { defaultWorld } from '../../src/sandbox/world';
import { parseCsv } from '../../src/util/csv';

/** The sandbox key of "Wohnsitz anmelden" (eWA), the key the acceptance criteria of issue 11 use. */
export const EWA_KEY = '99999001001000';
export const AS_OF = new Date('2026-11-01T06:00:00Z');

export interface RefMunicipality { ars: string; ags: string; name: string; districtArs: string; districtName: string; population: number }

/** The shipped Destatis list, read straight from the CSV file (not through the gateway's directory). */
export function referenceMunicipalities(): RefMunicipality[] {
  const text = readFileSync(join(__dirname, '../../data/thueringen-gemeinden.csv'), 'utf8');
  return parseCsv(text).map((r) => ({
    ars: r.ars, ags: r.ags, name: r.name, districtArs: r.kreis_key, districtName: r.kreis_name, population: Number(r.population),
  }));
}

/**
 * The online set of the test: every municipality ARS that the sandbox world lists in the areas of an online
 * service carrying the key. (Rendering only needs a clearly defined subset; planted defects may add an area.)
 */
export function worldOnlineSet(leikaKey: string): Set<string> {
  const set = new Set<string>();
  for (const os of defaultWorld().onlineServices) if (os.leikaKeys.includes(leikaKey)) for (const a of os.areas) set.add(a);
  return set;
}

export const sizeClassOf = (population: number): SizeClass =>
  population < 1000 ? 'UNDER_1000' : population <= 5000 ? 'FROM_1000_TO_5000' : 'OVER_5000';

const count = (ms: RefMunicipality[], online: Set<string>) => {
  const n = ms.filter((m) => online.has(m.ars)).length;
  return { total: ms.length, online: n, share: ms.length ? n / ms.length : 0 };
};

/** An AvailabilityReport for the whole Land (or the municipalities under `scope`), built from data/ and the world. */
export function buildReport(leikaKey = EWA_KEY, scope: string | null = null): AvailabilityReport {
  const online = worldOnlineSet(leikaKey);
  const all = referenceMunicipalities().filter((m) => !scope || m.ars.startsWith(scope));
  const districts = new Map<string, RefMunicipality[]>();
  for (const m of all) (districts.get(m.districtArs) ?? districts.set(m.districtArs, []).get(m.districtArs)!).push(m);
  const classes: SizeClass[] = ['UNDER_1000', 'FROM_1000_TO_5000', 'OVER_5000'];
  return {
    leikaKey,
    serviceName: defaultWorld().services.find((s) => s.leikaKey === leikaKey)?.name ?? null,
    asOf: AS_OF,
    scopeArs: scope,
    ...count(all, online),
    byDistrict: [...districts].map(([ars, ms]) => ({ ars, name: ms[0].districtName, ...count(ms, online) })),
    bySizeClass: classes.map((sizeClass) => ({ sizeClass, ...count(all.filter((m) => sizeClassOf(m.population) === sizeClass), online) })),
    missing: all
      .filter((m) => !online.has(m.ars))
      .sort((a, b) => a.ars.localeCompare(b.ars))
      .map(({ ars, ags, name, districtArs, population }) => ({ ars, ags, name, districtArs, population })),
  };
}

export function buildMatrix(leikaKeys: string[], scope: string | null = null): AvailabilityMatrixRow[] {
  const ms = referenceMunicipalities().filter((m) => !scope || m.ars.startsWith(scope));
  return leikaKeys.flatMap((leikaKey) => {
    const online = worldOnlineSet(leikaKey);
    return ms.map((m) => ({
      ars: m.ars, ags: m.ags, name: m.name, districtArs: m.districtArs, population: m.population,
      sizeClass: sizeClassOf(m.population), leikaKey, online: online.has(m.ars),
    }));
  });
}
