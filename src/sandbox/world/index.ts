import type {
  DvdvCertificate,
  DvdvOrganization,
  GeoRecord,
  OgcService,
  OnlineService,
  OrganisationUnit,
  Responsibility,
  World,
  WorldDistrict,
  WorldMunicipality,
  WorldService,
  WorldVerband,
} from './types';

export * from './types';
export { buildWorld, defaultWorld, worldDigest, type BuildWorldOptions } from './generate';
export {
  DEFAULT_AS_OF,
  DEFAULT_SEED,
  SANDBOX_ORIGINS,
  VOCABULARY_HOSTS,
  WorldOptionError,
  isReservedHost,
  isSandboxLeikaKey,
  rebaseUrl,
  type SandboxOriginName,
} from './constants';
export { CSW_URL, GEOPROXY_BASE, RESOURCE_NAMESPACE, cswRecordUrl } from './geo';
export { dvdvKeyFor } from './dvdv';
export { UNKNOWN_SANDBOX_LEIKA_KEY } from './defects';
export { canonicalJson } from './digest';

/** Lookup tables over a world, for the sandbox servers (built once per world object). */
export interface WorldIndex {
  municipalityByArs: Map<string, WorldMunicipality>;
  municipalityByAgs: Map<string, WorldMunicipality>;
  districtByArs: Map<string, WorldDistrict>;
  verbandByArs: Map<string, WorldVerband>;
  serviceByKey: Map<string, WorldService>;
  serviceById: Map<string, WorldService>;
  unitById: Map<string, OrganisationUnit>;
  /** municipality ARS → its Zuständigkeiten (all services, all roles) */
  responsibilitiesByArs: Map<string, Responsibility[]>;
  onlineServiceById: Map<string, OnlineService>;
  /** area string as stored (normally a 12-digit ARS) → online services listing it */
  onlineServicesByArea: Map<string, OnlineService[]>;
  geoRecordById: Map<string, GeoRecord>;
  ogcServiceByName: Map<string, OgcService>;
  /** organisation key → DVDV organisation */
  dvdvOrganizationByKey: Map<string, DvdvOrganization>;
  certificateByFingerprint: Map<string, DvdvCertificate>;
}

const indexes = new WeakMap<World, WorldIndex>();

export function indexWorld(world: World): WorldIndex {
  const cached = indexes.get(world);
  if (cached) return cached;
  const group = <T>(items: T[], key: (t: T) => string[]) => {
    const m = new Map<string, T[]>();
    for (const it of items) for (const k of key(it)) (m.get(k) ?? m.set(k, []).get(k)!).push(it);
    return m;
  };
  const idx: WorldIndex = {
    municipalityByArs: new Map(world.municipalities.map((m) => [m.ars, m])),
    municipalityByAgs: new Map(world.municipalities.map((m) => [m.ags, m])),
    districtByArs: new Map(world.districts.map((d) => [d.ars, d])),
    verbandByArs: new Map(world.verbaende.map((v) => [v.ars, v])),
    serviceByKey: new Map(world.services.map((s) => [s.leikaKey, s])),
    serviceById: new Map(world.services.map((s) => [s.id, s])),
    unitById: new Map(world.organisationUnits.map((u) => [u.id, u])),
    responsibilitiesByArs: group(world.responsibilities, (r) => [r.areaArs]),
    onlineServiceById: new Map(world.onlineServices.map((o) => [o.id, o])),
    onlineServicesByArea: group(world.onlineServices, (o) => o.areas),
    geoRecordById: new Map(world.geo.records.map((r) => [r.fileIdentifier, r])),
    ogcServiceByName: new Map(world.geo.ogcServices.map((s) => [s.name, s])),
    dvdvOrganizationByKey: new Map(world.dvdv.organizations.flatMap((o) => o.organizationKeys.map((k) => [k, o] as const))),
    certificateByFingerprint: new Map(world.dvdv.certificates.map((c) => [c.fingerprint, c])),
  };
  indexes.set(world, idx);
  return idx;
}
