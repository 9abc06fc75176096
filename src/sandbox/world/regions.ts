import type { MunicipalityRecord } from '../../reference/municipalities';
import type { BBox, VerbandKind } from './types';

export interface DistrictModel {
  ars: string;
  name: string;
  urban: boolean;
  members: MunicipalityRecord[];
  bbox: BBox;
}

export interface VerbandModel {
  ars: string;
  name: string;
  kind: VerbandKind;
  seat: MunicipalityRecord;
  members: MunicipalityRecord[];
}

/** A local administration: who runs the town hall for a set of municipalities. */
export interface AdministrationModel {
  key: string; // municipality ARS (own/city) or Verband ARS
  kind: 'municipality' | 'city' | 'vg' | 'eg';
  seat: MunicipalityRecord;
  served: MunicipalityRecord[];
  verband: VerbandModel | null;
  districtArs: string;
}

export interface RegionModel {
  municipalities: readonly MunicipalityRecord[];
  byArs: Map<string, MunicipalityRecord>;
  districts: DistrictModel[];
  verbaende: VerbandModel[];
  administrations: AdministrationModel[];
  administrationOf: Map<string, AdministrationModel>; // municipality ARS → administration
  landBbox: BBox;
}

const KM_PER_DEG_LAT = 111.32;

/** A square of the municipality's area around its centre — the sandbox stand-in for its real outline. */
export function municipalityBbox(m: Pick<MunicipalityRecord, 'lat' | 'lon' | 'areaKm2'>): BBox {
  const half = Math.sqrt(Math.max(m.areaKm2, 0.5)) / 2;
  const dLat = half / KM_PER_DEG_LAT;
  const dLon = half / (KM_PER_DEG_LAT * Math.cos((m.lat * Math.PI) / 180));
  return roundBox({ west: m.lon - dLon, east: m.lon + dLon, south: m.lat - dLat, north: m.lat + dLat });
}

export function unionBbox(boxes: BBox[]): BBox {
  return roundBox({
    west: Math.min(...boxes.map((b) => b.west)),
    east: Math.max(...boxes.map((b) => b.east)),
    south: Math.min(...boxes.map((b) => b.south)),
    north: Math.max(...boxes.map((b) => b.north)),
  });
}

function roundBox(b: BBox): BBox {
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return { west: r(b.west), east: r(b.east), south: r(b.south), north: r(b.north) };
}

const byPopulation = (a: MunicipalityRecord, b: MunicipalityRecord) => b.population - a.population || cmp(a.ars, b.ars);
export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Thuringian Verband codes 5001–5049 are Verwaltungsgemeinschaften, 5050+ erfüllende Gemeinden (checked against the
 * list: every 50xx Verband has a member named like the Verband, "EG Uder" → Uder).
 */
function verbandKind(ars: string): VerbandKind {
  return Number(ars.slice(5, 9)) >= 5050 ? 'EG' : 'VG';
}

export function buildRegions(all: readonly MunicipalityRecord[]): RegionModel {
  const municipalities = [...all].sort((a, b) => cmp(a.ars, b.ars));
  const byArs = new Map(municipalities.map((m) => [m.ars, m]));

  const districtMap = new Map<string, DistrictModel>();
  const verbandMap = new Map<string, VerbandModel>();
  for (const m of municipalities) {
    let d = districtMap.get(m.district.ars);
    if (!d) {
      d = { ars: m.district.ars, name: m.district.name, urban: m.district.urban, members: [], bbox: municipalityBbox(m) };
      districtMap.set(d.ars, d);
    }
    d.members.push(m);
    if (m.verband) {
      let v = verbandMap.get(m.verband.ars);
      if (!v) {
        v = { ars: m.verband.ars, name: m.verband.name, kind: verbandKind(m.verband.ars), seat: m, members: [] };
        verbandMap.set(v.ars, v);
      }
      v.members.push(m);
    }
  }
  const districts = [...districtMap.values()].sort((a, b) => cmp(a.ars, b.ars));
  for (const d of districts) d.bbox = unionBbox(d.members.map(municipalityBbox));

  const verbaende = [...verbandMap.values()].sort((a, b) => cmp(a.ars, b.ars));
  for (const v of verbaende) {
    const largest = [...v.members].sort(byPopulation)[0];
    if (v.kind === 'EG') {
      const own = v.name.replace(/^EG /, '');
      v.seat = v.members.find((m) => m.name === own) ?? largest;
    } else {
      v.seat = largest; // the real VG seats are not in the register; the most populous member stands in
    }
  }

  const administrations: AdministrationModel[] = [];
  for (const m of municipalities) {
    if (m.verband) continue;
    administrations.push({
      key: m.ars,
      kind: m.district.urban ? 'city' : 'municipality',
      seat: m,
      served: [m],
      verband: null,
      districtArs: m.district.ars,
    });
  }
  for (const v of verbaende) {
    administrations.push({
      key: v.ars,
      kind: v.kind === 'VG' ? 'vg' : 'eg',
      seat: v.seat,
      served: v.members,
      verband: v,
      districtArs: v.seat.district.ars,
    });
  }
  administrations.sort((a, b) => cmp(a.key, b.key));
  const administrationOf = new Map<string, AdministrationModel>();
  for (const a of administrations) for (const m of a.served) administrationOf.set(m.ars, a);

  return {
    municipalities,
    byArs,
    districts,
    verbaende,
    administrations,
    administrationOf,
    landBbox: unionBbox(districts.map((d) => d.bbox)),
  };
}
