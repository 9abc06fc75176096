import { Rng } from './prng';
import type { World } from './types';

export interface MutationSummary {
  share: number;
  /** What changed, per upstream, as the upstream shows it. */
  pvog: { removedResponsibilities: { areaArs: string; serviceId: string }[] };
  thavel: { retitled: string[] };
  geomis: { retitled: string[] };
  geoproxy: { retitled: string[] };
  dvdv: { renamed: number[] };
}

const pick = <T>(rng: Rng, items: readonly T[], share: number): T[] => {
  const n = Math.round(items.length * share);
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(rng.next() * pool.length), 1)[0]);
  return out;
};

/**
 * A copy of the world in which `share` (0..1) of the entries of every upstream changed, as an upstream would
 * change between two harvests: PVOG drops a share of its (municipality, Leistung) responsibilities, the ThAVEL
 * catalogue re-titles a share of its Onlinedienste (stamped `now`, so the `geaendertSeit` delta carries them),
 * GeoMIS re-titles a share of its records (dateStamp `now`), Geoproxy a share of its services, DVDV renames a
 * share of its organisations. For incremental-harvest tests (`SandboxWorld.mutate`, `POST /__sandbox/mutate`).
 */
export function mutateWorld(world: World, share: number, o: { seed?: string; now?: Date } = {}): { world: World; summary: MutationSummary } {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`share: expected a number from 0 to 1, got ${share}`);
  const w = structuredClone(world) as World;
  const rng = new Rng(`${o.seed ?? 'mutate'}|${share}|${world.seed}`);
  const now = (o.now ?? new Date()).toISOString();
  const mark = ' (geändert)';

  const pairs = [...new Map(w.responsibilities.map((r) => [`${r.areaArs}|${r.serviceId}`, { areaArs: r.areaArs, serviceId: r.serviceId }])).values()];
  const dropped = pick(rng.fork('pvog'), pairs, share);
  const drop = new Set(dropped.map((p) => `${p.areaArs}|${p.serviceId}`));
  w.responsibilities = w.responsibilities.filter((r) => !drop.has(`${r.areaArs}|${r.serviceId}`));

  const thavel = pick(rng.fork('thavel'), w.onlineServices.filter((os) => os.announcedIn.thavel), share);
  for (const os of thavel) {
    os.thavelVariant = { ...(os.thavelVariant ?? {}), title: (os.thavelVariant?.title ?? os.title) + mark };
    os.lastUpdate = now;
  }

  const records = pick(rng.fork('geomis'), w.geo.records, share);
  for (const r of records) {
    r.title += mark;
    r.dateStamp = now;
  }

  const services = pick(rng.fork('geoproxy'), w.geo.ogcServices, share);
  for (const s of services) s.title += mark;

  const orgs = pick(rng.fork('dvdv'), w.dvdv.organizations, share);
  for (const org of orgs) org.nameDe += mark;

  return {
    world: w,
    summary: {
      share,
      pvog: { removedResponsibilities: dropped },
      thavel: { retitled: thavel.map((x) => x.id) },
      geomis: { retitled: records.map((r) => r.fileIdentifier) },
      geoproxy: { retitled: services.map((s) => s.name) },
      dvdv: { renamed: orgs.map((x) => x.id) },
    },
  };
}
