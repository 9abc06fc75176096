import { REFERENCE_SOURCE, municipalityDirectory } from '../../reference/municipalities';
import { DEFAULT_AS_OF, DEFAULT_SEED, GENERATOR_VERSION, WorldOptionError, parseAsOf } from './constants';
import { plantDefects } from './defects';
import { sha256OfCanonical } from './digest';
import { buildDvdv } from './dvdv';
import { CSW_URL, buildGeo } from './geo';
import { buildOnlineServices } from './online';
import { Rng } from './prng';
import { buildRegions } from './regions';
import { buildServices } from './services';
import { buildUnits } from './units';
import type { World } from './types';

export interface BuildWorldOptions {
  /** Any non-empty string; same seed (and asOf) → deep-equal world. Default 'thuegate-sandbox'. */
  seed?: string;
  /** Reference day for all relative dates (certificate validity, lastUpdate …), ISO date. Default '2026-11-01'. */
  asOf?: string;
}

/**
 * Builds the sandbox world: pure and deterministic (seeded PRNG, no clock, no Math.random, stable ordering).
 * Reads only the shipped reference data (municipality list, data/leika-seen.csv).
 */
export function buildWorld(opts: BuildWorldOptions = {}): World {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (typeof seed !== 'string' || seed.length === 0) throw new WorldOptionError('seed', 'a non-empty string', seed);
  const asOfText = opts.asOf ?? DEFAULT_AS_OF;
  const asOf = parseAsOf(asOfText);

  const root = new Rng(`thuegate-world-v${GENERATOR_VERSION}\u0000${seed}\u0000${asOfText}`);
  const regions = buildRegions(municipalityDirectory().all);
  const services = buildServices(root.fork('services'), asOf);
  const units = buildUnits(root.fork('units'), asOf, regions, services);
  const online = buildOnlineServices(root.fork('online'), asOf, regions, services, units);
  const geo = buildGeo(root.fork('geo'), asOf, regions, units);
  const dvdv = buildDvdv(root.fork('dvdv'), asOf, regions, units);

  const draft: Omit<World, 'defects'> = {
    seed,
    asOf: asOfText,
    meta: {
      generatorVersion: GENERATOR_VERSION,
      referenceSource: REFERENCE_SOURCE,
      leikaSource: 'data/leika-seen.csv (LeiKa keys seen in public sources); other keys from the reserved range 99999…',
    },
    municipalities: units.municipalities,
    districts: units.districts,
    verbaende: units.verbaende,
    services: services.map((e) => e.service),
    organisationUnits: units.units,
    responsibilities: units.responsibilities,
    registrationOffices: units.registrationOffices,
    onlineServices: online.onlineServices,
    geo: { cswUrl: CSW_URL, records: geo.records, ogcServices: geo.ogcServices },
    dvdv: dvdv.dvdv,
    bulkFeed: { orphanResponsibilities: [], orphanDeleteIds: [] },
  };
  const defects = plantDefects(root.fork('defects'), asOf, draft, dvdv.certificateOfUnit);
  return { ...draft, defects };
}

/** sha256 (hex) of the world's canonical JSON — equal digests mean equal worlds. */
export function worldDigest(world: World): string {
  return sha256OfCanonical(world);
}

let shared: World | undefined;

/** The default world (seed 'thuegate-sandbox', asOf 2026-11-01), built once per process and deep-frozen. */
export function defaultWorld(): World {
  shared ??= deepFreeze(buildWorld());
  return shared;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
