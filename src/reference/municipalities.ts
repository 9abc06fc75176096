import { readFileSync } from 'node:fs';
import { parseCsv } from '../util/csv';
import { dataPath } from '../util/paths';

/** One row of the Destatis GV-ISys list (Gebietsstand 31.12.2024), typed. */
export interface MunicipalityRecord {
  ags: string; // 8 digits
  ars: string; // 12 digits
  name: string; // official form, e.g. "Erfurt, Stadt"
  district: { ars: string; name: string; urban: boolean }; // Landkreis or kreisfreie Stadt
  verband: { ars: string; name: string } | null; // Verwaltungsgemeinschaft / erfüllende Gemeinde
  population: number;
  areaKm2: number;
  postalCode: string;
  lat: number;
  lon: number;
}

/** Code space (scheme URN) of the Destatis Regionalschlüssel (ARS), as XZuFi `gebietID` schemeIDs and FIT-Connect areas use it. */
export const ARS_CODE_SPACE = 'urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs';

export const REFERENCE_SOURCE =
  'Statistisches Bundesamt (Destatis), Gemeindeverzeichnis-Informationssystem GV-ISys, Gebietsstand 31.12.2024';
export const REFERENCE_AS_OF = new Date('2024-12-31T00:00:00Z');

export class MunicipalityDirectory {
  readonly all: readonly MunicipalityRecord[];
  private readonly byArs = new Map<string, MunicipalityRecord>();
  private readonly byAgs = new Map<string, MunicipalityRecord>();

  constructor(records: MunicipalityRecord[]) {
    // Sorted by ARS so cursors and pages are stable across processes.
    this.all = [...records].sort((a, b) => (a.ars < b.ars ? -1 : a.ars > b.ars ? 1 : 0));
    for (const m of this.all) {
      this.byArs.set(m.ars, m);
      this.byAgs.set(m.ags, m);
    }
  }

  static fromCsv(text: string): MunicipalityDirectory {
    return new MunicipalityDirectory(parseCsv(text).map(toRecord));
  }

  getByArs(ars: string): MunicipalityRecord | undefined { return this.byArs.get(ars); }
  getByAgs(ags: string): MunicipalityRecord | undefined { return this.byAgs.get(ags); }

  /** Municipalities whose ARS starts with the given region key (Land, district, Verband). */
  within(regionArs: string): MunicipalityRecord[] {
    return this.all.filter((m) => m.ars.startsWith(regionArs));
  }

  districts(): { ars: string; name: string; urban: boolean }[] {
    const seen = new Map<string, MunicipalityRecord['district']>();
    for (const m of this.all) seen.set(m.district.ars, m.district);
    return [...seen.values()];
  }
}

function toRecord(r: Record<string, string>): MunicipalityRecord {
  if (!/^\d{8}$/.test(r.ags) || !/^\d{12}$/.test(r.ars)) throw new Error(`bad key in municipality row ${r.ags}/${r.ars}`);
  return {
    ags: r.ags,
    ars: r.ars,
    name: r.name,
    // Kreisfreie Städte carry the suffix ", Stadt" in the district name as well as in the municipality name.
    district: { ars: r.kreis_key, name: r.kreis_name, urban: r.ars.endsWith('0000000') },
    verband: r.verband_key ? { ars: r.verband_key, name: r.verband_name } : null,
    population: Number(r.population),
    areaKm2: Number(r.area_km2),
    postalCode: r.postal_codes,
    lat: Number(r.lat),
    lon: Number(r.lon),
  };
}

let shared: MunicipalityDirectory | undefined;

/** The shipped reference list, read once per process. */
export function municipalityDirectory(): MunicipalityDirectory {
  shared ??= MunicipalityDirectory.fromCsv(readFileSync(dataPath('thueringen-gemeinden.csv'), 'utf8'));
  return shared;
}

/**
 * The Amtlicher Regionalschlüssel (ARS) and its levels: 2 digits Land, 3 Regierungsbezirk, 5 Kreis,
 * 9 Gemeindeverband, 12 Gemeinde (docs/upstreams/portal-pvog.md §6). The one definition of a valid ARS: the
 * GraphQL scalar, the municipality lookup and the service portal all test against it.
 */
export const ARS_LENGTHS = { land: 2, regierungsbezirk: 3, kreis: 5, gemeindeverband: 9, gemeinde: 12 } as const;
export type ArsLevel = keyof typeof ARS_LENGTHS;

const LEVEL_BY_LENGTH = new Map(Object.entries(ARS_LENGTHS).map(([level, n]) => [n as number, level as ArsLevel]));

/** The level of a well-formed ARS, or undefined when `v` is not one (wrong length, non-digits). */
export function arsLevel(v: string): ArsLevel | undefined {
  return /^\d+$/.test(v) ? LEVEL_BY_LENGTH.get(v.length) : undefined;
}

export const isArs = (v: string): boolean => arsLevel(v) !== undefined;
