import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { parseCsv } from '../../src/util/csv';
import { dataPath } from '../../src/util/paths';
import {
  SANDBOX_ORIGINS,
  WorldOptionError,
  buildWorld,
  defaultWorld,
  indexWorld,
  rebaseUrl,
  worldDigest,
  type DefectKind,
  type PlantedDefect,
  type World,
} from '../../src/sandbox/world';

// Hosts that may appear only inside vocabulary identifiers (INSPIRE code lists, CRS and licence URIs, WSDL
// namespaces). Kept here, not imported, so the test does not trust the generator's own list.
const VOCABULARY = new Set(['inspire.ec.europa.eu', 'www.opengis.net', 'www.govdata.de', 'www.osci.de', 'www.bsi.de']);
const reserved = (host: string) => /\.invalid$/.test(host) || /(^|\.)example\.(org|com|net)$/.test(host);

const ARS_RE = /^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/;
const agsOf = (ars: string) => ars.slice(0, 5) + ars.slice(9, 12);
const CATALOGUE_RULES = new Set([
  ...['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R9b', 'R10', 'R10b', 'R10c', 'R11', 'R12', 'R13', 'R13b', 'R14', 'R15', 'R16', 'R17', 'R18'],
  ...['XG1', 'XG2', 'XG3', 'XG4', 'XG5', 'XG6', 'XG7', 'XG8'],
  ...['P-1', 'P-2', 'P-3', 'P-3b', 'P-4', 'P-5', 'P-6', 'P-7', 'P-8', 'P-9', 'P-10', 'P-11', 'P-12'],
  ...['D-1', 'D-2', 'D-3', 'D-4', 'D-5', 'D-6', 'D-7', 'D-8', 'F-1', 'F-2', 'U-1'],
]);

let world: World;
beforeAll(() => {
  world = defaultWorld();
});
afterEach(() => vi.restoreAllMocks());

describe('determinism', () => {
  it('same seed gives a deep-equal world and the same digest; another seed or day gives another world', () => {
    const a = buildWorld({ seed: 'alpha' });
    const b = buildWorld({ seed: 'alpha' });
    expect(b).toEqual(a);
    expect(worldDigest(b)).toBe(worldDigest(a));
    const c = buildWorld({ seed: 'beta' });
    expect(worldDigest(c)).not.toBe(worldDigest(a));
    // different seeds really change choices, not just the stored seed
    const ewa = (w: World) => w.registrationOffices.filter((o) => o.ewaOnlineServiceId).map((o) => o.unitId).join();
    expect(ewa(c)).not.toBe(ewa(a));
    expect(c.defects.map((d) => d.subject)).not.toEqual(a.defects.map((d) => d.subject));
    expect(worldDigest(buildWorld({ seed: 'alpha', asOf: '2027-01-15' }))).not.toBe(worldDigest(a));
  });

  it('defaultWorld is the memoised, frozen world of the default seed and day', () => {
    expect(defaultWorld()).toBe(world);
    expect(world.seed).toBe('thuegate-sandbox');
    expect(world.asOf).toBe('2026-11-01');
    expect(worldDigest(world)).toBe(worldDigest(buildWorld()));
    expect(worldDigest(world)).toMatch(/^[0-9a-f]{64}$/);
    expect(() => {
      (world.services as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('uses neither Math.random nor the clock, and builds well under a second', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used');
    });
    const t0 = process.hrtime.bigint();
    const w = buildWorld({ seed: 'clockless' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(w.municipalities).toHaveLength(605);
    expect(ms).toBeLessThan(1000);
  });

  it('rejects malformed options with an error naming the field', () => {
    expect(() => buildWorld({ asOf: '01.11.2026' })).toThrow(WorldOptionError);
    expect(() => buildWorld({ asOf: '2026-02-30' })).toThrow(/'asOf'/);
    expect(() => buildWorld({ seed: '' })).toThrow(/'seed'/);
  });
});

describe('regions and organisation units', () => {
  it('carries exactly the real municipality list with consistent AGS/ARS', () => {
    const ref = municipalityDirectory().all;
    expect(world.municipalities.map((m) => [m.ars, m.ags, m.name, m.districtArs, m.verbandArs])).toEqual(
      ref.map((m) => [m.ars, m.ags, m.name, m.district.ars, m.verband?.ars ?? null]),
    );
    for (const m of world.municipalities) expect(m.ags).toBe(agsOf(m.ars));
    expect(world.districts).toHaveLength(22);
    expect(world.districts.filter((d) => d.urban).map((d) => d.ars)).toEqual(['16051', '16052', '16053', '16054', '16055']);
    expect(world.verbaende.filter((v) => v.kind === 'VG')).toHaveLength(42);
    expect(world.verbaende.filter((v) => v.kind === 'EG')).toHaveLength(38);
    expect(world.districts.flatMap((d) => d.municipalityArs).sort()).toEqual(ref.map((m) => m.ars));
  });

  it('gives every municipality exactly one local administration, which serves it', () => {
    const idx = indexWorld(world);
    const servedBy = new Map<string, string[]>();
    for (const u of world.organisationUnits.filter((x) => x.functions.includes('local-administration'))) {
      for (const a of u.servedArs) servedBy.set(a, [...(servedBy.get(a) ?? []), u.id]);
    }
    for (const m of world.municipalities) {
      expect(servedBy.get(m.ars)).toEqual([m.localAdministrationUnitId]);
      const unit = idx.unitById.get(m.localAdministrationUnitId)!;
      expect(unit.districtArs).toBe(m.districtArs);
    }
    // a VG administration serves its members; an erfüllende Gemeinde serves the others of its Verband and itself
    for (const v of world.verbaende) {
      const unit = idx.unitById.get(v.administrationUnitId)!;
      expect(unit.kind).toBe(v.kind === 'VG' ? 'vg' : 'eg');
      expect([...unit.servedArs].sort()).toEqual([...v.memberArs].sort());
      expect(v.memberArs).toContain(unit.seatArs);
    }
  });

  it('uses real names and postcodes with sandbox contacts; addresses code AGS and ARS consistently', () => {
    const idx = indexWorld(world);
    const mismatch = new Set(world.defects.filter((d) => d.kind === 'unit-ags-ars-mismatch').map((d) => d.subject));
    const ids = new Set<string>();
    for (const u of world.organisationUnits) {
      expect(u.id).toMatch(/^SBX16\.OE\.\d+$/);
      expect(ids.has(u.id)).toBe(false);
      ids.add(u.id);
      const seat = idx.municipalityByArs.get(u.seatArs)!;
      expect(u.address.postalCode).toBe(seat.postalCode);
      expect(seat.name.startsWith(u.address.city)).toBe(true);
      expect(u.address.ars).toBe(u.seatArs);
      if (!mismatch.has(u.id)) expect(u.address.ags).toBe(agsOf(u.address.ars));
      expect(u.contact.email).toMatch(/@[a-z0-9-]+\.example\.org$/);
      expect(u.contact.phone).toMatch(/^\+49 \d{4} 0\d{5}$/);
      expect(u.openingHours.length).toBeGreaterThan(0);
      if (u.parentId) expect(idx.unitById.has(u.parentId)).toBe(true);
    }
  });
});

describe('services and responsibilities', () => {
  it('lists every real LeiKa key with its name, and sandbox keys only from the reserved range', () => {
    const real = parseCsv(readFileSync(dataPath('leika-seen.csv'), 'utf8'));
    const byKey = new Map(world.services.map((s) => [s.leikaKey, s]));
    for (const r of real) {
      expect(byKey.get(r.leika_key)?.name).toBe(r.name);
      expect(byKey.get(r.leika_key)?.sandboxKey).toBe(false);
    }
    const realKeys = new Set(real.map((r) => r.leika_key));
    const sandbox = world.services.filter((s) => !realKeys.has(s.leikaKey));
    expect(sandbox.length).toBeGreaterThanOrEqual(10);
    for (const s of sandbox) {
      expect(s.leikaKey).toMatch(/^99999\d{9}$/);
      expect(s.name.startsWith('[Sandbox] ')).toBe(true);
      expect(s.sandboxKey).toBe(true);
    }
    for (const k of realKeys) expect(k.startsWith('99999')).toBe(false);
    expect(new Set(world.services.map((s) => s.leikaKey)).size).toBe(world.services.length);
    for (const s of world.services) {
      expect(s.id).toMatch(/^SBX16\.LB\.\d+$/);
      expect(s.textModules.find((t) => t.code === '03')?.html).toBe(s.name);
    }
    const names = sandbox.map((s) => s.name).join('|');
    for (const needed of ['Wohnsitz anmelden', 'Meldebescheinigung', 'Baugenehmigung', 'Fahrzeug zulassen']) expect(names).toContain(needed);
  });

  it('every Zuständigkeit refers to an existing Leistung, OE and municipality', () => {
    const idx = indexWorld(world);
    for (const r of world.responsibilities) {
      expect(idx.serviceByKey.get(r.leikaKey)?.id).toBe(r.serviceId);
      expect(idx.unitById.has(r.unitId)).toBe(true);
      expect(idx.municipalityByArs.has(r.areaArs)).toBe(true);
      expect(['01', '02']).toContain(r.role);
    }
    expect(new Set(world.responsibilities.map((r) => r.id)).size).toBe(world.responsibilities.length);
  });

  it('district-level services are inherited by every municipality of the district, from a unit of that district', () => {
    const idx = indexWorld(world);
    const planted = new Set(world.defects.filter((d) => d.kind === 'missing-competent-authority').map((d) => d.subject));
    const districtServices = world.services.filter((s) => s.level === 'district');
    expect(districtServices.length).toBeGreaterThanOrEqual(5);
    for (const s of districtServices) {
      for (const m of world.municipalities) {
        const competent = (idx.responsibilitiesByArs.get(m.ars) ?? []).filter((r) => r.leikaKey === s.leikaKey && r.role === '01');
        if (planted.has(`${s.leikaKey}@${m.ars}`)) {
          expect(competent).toHaveLength(0);
          continue;
        }
        expect(competent).toHaveLength(1);
        const unit = idx.unitById.get(competent[0].unitId)!;
        expect(unit.districtArs).toBe(m.districtArs);
        expect(competent[0].inheritedFrom).toBe('district');
      }
    }
    // local-level services go to the municipality's own administration; Land services reach all 605
    for (const s of world.services.filter((x) => x.level === 'verband')) {
      for (const m of world.municipalities) {
        const competent = (idx.responsibilitiesByArs.get(m.ars) ?? []).filter((r) => r.leikaKey === s.leikaKey && r.role === '01');
        expect(competent.map((r) => r.unitId)).toEqual([m.localAdministrationUnitId]);
      }
    }
    for (const s of world.services.filter((x) => x.level === 'land')) {
      expect(new Set(world.responsibilities.filter((r) => r.leikaKey === s.leikaKey && r.role === '01').map((r) => r.areaArs)).size).toBe(605);
    }
  });

  it('has about 180 registration offices, about 100 of them with eWA', () => {
    const idx = indexWorld(world);
    const offices = world.registrationOffices;
    expect(offices.length).toBeGreaterThanOrEqual(170);
    expect(offices.length).toBeLessThanOrEqual(200);
    const withEwa = offices.filter((o) => o.ewaOnlineServiceId);
    expect(withEwa.length).toBeGreaterThanOrEqual(90);
    expect(withEwa.length).toBeLessThanOrEqual(110);
    expect(offices.flatMap((o) => o.servedArs).sort()).toEqual(world.municipalities.map((m) => m.ars));
    const anmeldung = world.services.find((s) => s.name.includes('Wohnsitz anmelden'))!;
    for (const o of withEwa) {
      const os = idx.onlineServiceById.get(o.ewaOnlineServiceId!)!;
      expect(os.leikaKeys).toEqual([anmeldung.leikaKey]);
      expect(os.operatorUnitId).toBe(o.unitId);
      expect([...os.areas].sort()).toEqual([...o.servedArs].sort());
    }
    for (const m of world.municipalities) expect(m.registrationOfficeUnitId).toBe(m.localAdministrationUnitId);
  });
});

describe('online services', () => {
  it('district forms for vehicle registration and building applications cover every municipality', () => {
    const zulassung = world.services.find((s) => s.name === '[Sandbox] Fahrzeug zulassen')!;
    const bau = world.services.find((s) => s.name.startsWith('[Sandbox] Baugenehmigung'))!;
    for (const key of [zulassung.leikaKey, bau.leikaKey]) {
      for (const d of world.districts) {
        const forms = world.onlineServices.filter((o) => o.leikaKeys.includes(key) && o.scope.ars === d.ars);
        expect(forms).toHaveLength(1);
        expect([...forms[0].areas].sort()).toEqual([...d.municipalityArs].sort());
      }
    }
  });

  it('online services are well-formed apart from the planted defects, and sources mostly agree', () => {
    const idx = indexWorld(world);
    const planted = new Set(world.defects.filter((d) => d.upstream === 'thavel' || d.upstream === 'pvog').map((d) => d.subject));
    let both = 0;
    for (const o of world.onlineServices) {
      expect(o.id).toMatch(/^SBX16\.OD\.\d+$/);
      expect(o.announcedIn.pvog || o.announcedIn.thavel).toBe(true);
      if (o.announcedIn.pvog && o.announcedIn.thavel) both++;
      if (o.provider.kind !== 'THAVEL') expect(o.announcedIn.thavel).toBe(false);
      if (planted.has(o.id)) continue;
      for (const k of o.leikaKeys) expect(idx.serviceByKey.has(k)).toBe(true);
      for (const a of o.areas) expect(idx.municipalityByArs.has(a)).toBe(true);
      expect(o.links.length).toBeGreaterThan(0);
      for (const l of o.links) {
        expect(l.url.startsWith('https://')).toBe(true);
        expect(l.type.listURI).toBe('urn:xoev-de:fim:codeliste:onlinedienstlinktyp');
      }
      expect(o.trustLevel?.code).toBeTruthy();
      if (o.operatorUnitId) expect(idx.unitById.has(o.operatorUnitId)).toBe(true);
    }
    expect(both).toBeGreaterThan(300);
  });
});

describe('geo', () => {
  it('records are sandbox UUIDs; couplings and MetadataURLs resolve apart from the planted defects', () => {
    const idx = indexWorld(world);
    const planted = new Set(world.defects.filter((d) => d.upstream === 'geomis' || d.upstream === 'geoproxy').map((d) => d.subject));
    expect(idx.geoRecordById.size).toBe(world.geo.records.length);
    for (const r of world.geo.records) expect(r.fileIdentifier).toMatch(/^5a4db0c5-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const services = world.geo.records.filter((r) => r.service !== null); // not by hierarchyLevel: the planted R3 defect types a service record dataset
    expect(services).toHaveLength(world.geo.ogcServices.length);
    expect(world.geo.records.filter((r) => r.hierarchyLevel === 'dataset').length).toBeGreaterThanOrEqual(50);
    for (const r of services) {
      if (planted.has(r.fileIdentifier)) continue;
      for (const op of r.service!.operatesOn) expect(idx.geoRecordById.get(op.uuidref)?.hierarchyLevel).toMatch(/^(dataset|series)$/);
    }
    for (const s of world.geo.ogcServices) {
      expect(s.url).toBe(`${SANDBOX_ORIGINS.geoproxy}/geoproxy/services/${s.name}`);
      for (const l of s.layers) {
        if (planted.has(`${s.name}#${l.name}`)) continue;
        expect(l.metadataUrls.length).toBeGreaterThan(0);
        const ds = idx.geoRecordById.get(l.datasetId!)!;
        expect(ds.hierarchyLevel).toBe('dataset');
        const u = l.metadataUrls[0];
        if (u.form === 'csw') expect(new URL(u.url).searchParams.get('ID')).toBe(ds.fileIdentifier);
        else expect(u.url).toBe(ds.resourceIdentifier!.code);
      }
    }
    // at least one WFS 1.1.0, one protected service and one MetadataURL in identifier form, as on the real Geoproxy
    expect(world.geo.ogcServices.some((s) => s.kind === 'WFS' && s.versions.join() === '1.1.0')).toBe(true);
    expect(world.geo.ogcServices.some((s) => s.protected)).toBe(true);
    expect(world.geo.ogcServices.some((s) => s.layers.some((l) => l.metadataUrls[0]?.form === 'identifier'))).toBe(true);
  });

  it('dataset boxes derive from the municipality coordinates', () => {
    const idx = indexWorld(world);
    const planted = new Set(world.defects.map((d) => d.subject));
    const municipal = world.geo.records.filter((r) => r.areaArs?.length === 12 && !planted.has(r.fileIdentifier));
    expect(municipal.length).toBeGreaterThan(20);
    for (const r of municipal) {
      const m = idx.municipalityByArs.get(r.areaArs!)!;
      expect(r.bbox!.west).toBeLessThan(m.lon);
      expect(r.bbox!.east).toBeGreaterThan(m.lon);
      expect(r.bbox!.south).toBeLessThan(m.lat);
      expect(r.bbox!.north).toBeGreaterThan(m.lat);
    }
  });
});

describe('DVDV', () => {
  it('Meldebehörden, Pass- and Personalausweisbehörden carry keys for every municipality they serve', () => {
    const idx = indexWorld(world);
    const plantedKeys = new Set(world.defects.filter((d) => d.rule === 'D-2').map((d) => d.subject));
    for (const m of world.municipalities) {
      for (const key of [`ags:${m.ags}`, `psb:${m.ags}_00`, `pab:${m.ags}_00`]) {
        const org = idx.dvdvOrganizationByKey.get(key);
        if (plantedKeys.has(key)) {
          expect(org).toBeUndefined();
          continue;
        }
        expect(org?.unitId).toBe(m.registrationOfficeUnitId);
      }
    }
    for (const d of world.districts) {
      expect(idx.dvdvOrganizationByKey.get(`ubb:${d.ars}0000000`)?.unitId).toBe(d.departmentUnitIds['building-authority']);
    }
  });

  it('orgs reference known certificates, use sandbox intermediaries and sandbox ids', () => {
    const idx = indexWorld(world);
    for (const o of world.dvdv.organizations) {
      expect(String(o.id)).toMatch(/^1699\d{5}$/);
      for (const fp of o.clientCertificateFingerprints) expect(idx.certificateByFingerprint.has(fp)).toBe(true);
      for (const s of o.services) {
        expect(String(s.id)).toMatch(/^1698\d{5}$/);
        for (const e of s.serviceElements) {
          for (const fp of [e.cipherCertificateFingerprint, e.signatureCertificateFingerprint]) if (fp) expect(idx.certificateByFingerprint.has(fp)).toBe(true);
          if (e.serviceElementType === 'OSCI_INTERMEDIARY') expect(new URL(e.serviceElementUri!).hostname).toMatch(/^intermediaer(-testa)?\.sandbox\.invalid$/);
        }
      }
    }
    for (const c of world.dvdv.certificates) {
      expect(c.nameIssuer).toContain('SANDBOX');
      expect(c.fingerprint).toMatch(/^[0-9a-f]{40}$/);
      expect(c.serialHex.startsWith('5a4db0c5')).toBe(true);
      expect(BigInt(`0x${c.serialHex}`).toString()).toBe(c.serial);
    }
  });
});

describe('hosts', () => {
  it('uses only reserved host names (vocabulary URIs aside) and only reserved ones for endpoints', () => {
    const hosts = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string') {
        for (const m of v.matchAll(/\bhttps?:\/\/([^/\s?#"'<>:]+)/g)) hosts.add(m[1].toLowerCase());
        for (const m of v.matchAll(/[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g)) hosts.add(m[1].toLowerCase());
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(world);
    const foreign = [...hosts].filter((h) => !reserved(h) && !VOCABULARY.has(h));
    expect(foreign).toEqual([]);

    const endpoints = [
      ...world.onlineServices.flatMap((o) => o.links.map((l) => l.url)),
      ...world.organisationUnits.map((u) => u.contact.website),
      ...world.services.flatMap((s) => s.forms.map((f) => f.url)),
      ...world.geo.ogcServices.flatMap((s) => [s.url, ...s.layers.flatMap((l) => l.metadataUrls.map((m) => m.url))]),
      ...world.geo.records.flatMap((r) => [
        ...r.onlineResources.map((o) => o.url),
        ...(r.service?.operatesOn.map((o) => o.href).filter(Boolean) ?? []), // '' = uuidref only (planted R11 defect)
        ...(r.service?.operations.map((o) => o.url) ?? []),
      ]),
      ...world.dvdv.organizations.flatMap((o) => o.services.flatMap((s) => s.serviceElements.map((e) => e.serviceElementUri).filter((u): u is string => !!u))),
      ...world.dvdv.intermediaries.map((i) => i.uri),
      world.geo.cswUrl,
    ];
    expect(endpoints.length).toBeGreaterThan(1000);
    for (const u of endpoints) expect(reserved(new URL(u).hostname)).toBe(true);
  });

  it('rebaseUrl swaps a sandbox origin for a listening address', () => {
    const u = world.geo.ogcServices[0].layers[0].metadataUrls[0].url;
    const r = rebaseUrl(u, { geomis: 'http://127.0.0.1:40123/' });
    expect(r.startsWith('http://127.0.0.1:40123/geonetwork/srv/ger/csw?')).toBe(true);
    expect(rebaseUrl(u, { pvog: 'http://127.0.0.1:1' })).toBe(u);
  });
});

// ---------------------------------------------------------------- planted defects against the data

/** Independent scanners: every subject in the world that shows the defect. */
function scan(w: World): Record<DefectKind, Set<string>> {
  const idx = indexWorld(w);
  const asOf = Date.parse(`${w.asOf}T00:00:00Z`);
  const out = {} as Record<DefectKind, Set<string>>;
  const put = (k: DefectKind, s: string) => (out[k] ??= new Set()).add(s);

  for (const s of w.services) {
    if (s.textModules.some((t) => /<script\b/i.test(t.html))) put('unsafe-html-script', s.leikaKey);
    if (s.textModules.some((t) => /<[^>]+\son[a-z]+\s*=/i.test(t.html))) put('unsafe-html-handler', s.leikaKey);
    if (!s.textModules.some((t) => t.code === '05' || t.code === '06')) put('service-missing-text', s.leikaKey);
  }
  const pairs = new Map<string, string[]>();
  for (const r of w.responsibilities) pairs.set(`${r.leikaKey}@${r.areaArs}`, [...(pairs.get(`${r.leikaKey}@${r.areaArs}`) ?? []), r.role]);
  for (const [pair, roles] of pairs) if (!roles.includes('01')) put('missing-competent-authority', pair);
  for (const u of w.organisationUnits) if (u.address.ags !== agsOf(u.address.ars)) put('unit-ags-ars-mismatch', u.id);

  for (const o of w.onlineServices) {
    for (const k of o.leikaKeys) {
      if (!/^99\d{12}$/.test(k)) put('online-malformed-leika', o.id);
      else if (!idx.serviceByKey.has(k)) put('online-unknown-leika', o.id);
      else for (const a of o.areas) if (idx.municipalityByArs.has(a) && !pairs.has(`${k}@${a}`)) put('online-area-not-offered', o.id);
    }
    if (o.areas.some((a) => !ARS_RE.test(a))) put('online-malformed-ars', o.id);
    if (o.links.length === 0) put('online-no-link', o.id);
    else if (o.links.some((l) => !l.url.startsWith('https://'))) put('online-http-link', o.id);
    if (!o.trustLevel?.code || !o.trustLevel.listURI) put('online-no-trust-level', o.id);
    if (o.provider.kind === 'THAVEL' && !o.announcedIn.thavel) put('online-only-pvog', o.id);
    if (!o.announcedIn.pvog) put('online-only-thavel', o.id);
    if (o.thavelVariant?.title && o.thavelVariant.title !== o.title) put('online-title-mismatch', o.id);
    if (o.links.some((l) => l.retired)) put('online-link-broken', o.id);
    if (o.areas.some((a) => !a.startsWith('16') && a !== '000000000000')) put('online-foreign-ars', o.id);
    // 12 digits, not in the register, but its AGS part (digits 1–5 + 10–12) is a municipality: a wrongly padded key
    if (o.areas.some((a) => a.length === 12 && !idx.municipalityByArs.has(a) && w.municipalities.some((m) => m.ags === agsOf(a)))) put('online-padded-ars', o.id);
  }

  const TH = { west: 9.8, east: 12.7, south: 50.2, north: 51.7 };
  const codes = new Map<string, string[]>();
  for (const r of w.geo.records) {
    if (!r.bbox) put('geo-missing-bbox', r.fileIdentifier);
    else if (r.bbox.east < TH.west || r.bbox.west > TH.east || r.bbox.north < TH.south || r.bbox.south > TH.north) put('geo-bbox-outside', r.fileIdentifier);
    if (!r.abstract.trim()) put('geo-missing-abstract', r.fileIdentifier);
    if (!r.metadataContact.email) put('geo-contact-no-email', r.fileIdentifier);
    if (!r.pointOfContact.email) put('geo-poc-no-email', r.fileIdentifier);
    if ((r.hierarchyLevel === 'service') !== (r.service !== null)) put('geo-hierarchy-level-mismatch', r.fileIdentifier);
    const ofType = (t: string) => r.dates.filter((d) => d.type === t).length;
    if (ofType('revision') > 1 || ofType('creation') > 1 || (r.dates.length === 0 && !r.temporalExtent)) put('geo-two-revision-dates', r.fileIdentifier);
    if (!r.service && (!r.lineage || r.topicCategories.length === 0)) put('geo-no-lineage', r.fileIdentifier);
    if (r.inspire && !r.conformity.some((c) => c.title.includes(r.service ? '976/2009' : '1089/2010'))) put('geo-conformity-wrong-regulation', r.fileIdentifier);
    if (!r.accessConstraints.includes('otherRestrictions') || r.otherConstraints.length === 0) put('geo-no-access-constraints', r.fileIdentifier);
    if (r.service && r.service.operatesOn.length > 0 && r.service.operatesOn.every((o) => !o.href)) put('geo-operates-on-no-href', r.fileIdentifier);
    if (r.areaArs === null) put('geo-missing-ars', r.fileIdentifier);
    else if (!idx.municipalityByArs.has(r.areaArs) && r.areaArs.length === 12 && w.municipalities.some((m) => m.ags === agsOf(r.areaArs!))) put('geo-padded-ars', r.fileIdentifier);
    if (r.service && r.inspire && !r.onlineResources.some((o) => /[?&]REQUEST=GetCapabilities/i.test(o.url))) put('geo-no-capabilities-link', r.fileIdentifier);
    const t = Date.parse(r.dateStamp);
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(r.dateStamp) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== r.dateStamp.slice(0, 10)) {
      put('geo-invalid-datestamp', r.fileIdentifier);
    }
    if (r.resourceIdentifier) {
      codes.set(r.resourceIdentifier.code, [...(codes.get(r.resourceIdentifier.code) ?? []), r.fileIdentifier]);
      if (!/^https:\/\/[^/]+\/id\/[^/]+\/.+/.test(r.resourceIdentifier.code)) put('geo-identifier-no-namespace', r.fileIdentifier);
    }
    const opendataKeyword = r.keywords.some((g) => !g.thesaurus && g.keywords.some((k) => k.text === 'opendata'));
    const licenceJson = r.otherConstraints.some((c) => {
      try {
        const j = JSON.parse(c.text) as { id?: string; url?: string };
        return !!j.id && !!j.url;
      } catch {
        return false;
      }
    });
    if (opendataKeyword !== licenceJson) put('geo-opendata-no-licence', r.fileIdentifier);
    for (const op of r.service?.operatesOn ?? []) {
      const target = idx.geoRecordById.get(op.uuidref);
      if (!target) put('geo-operates-on-unknown', r.fileIdentifier);
      else if (target.hierarchyLevel === 'service') put('geo-operates-on-service', r.fileIdentifier);
    }
  }
  for (const [code, ids] of codes) if (ids.length > 1) put('geo-duplicate-identifier', code);

  const byCode = new Map(w.geo.records.filter((r) => r.resourceIdentifier).map((r) => [r.resourceIdentifier!.code, r]));
  for (const s of w.geo.ogcServices) {
    const record = w.geo.records.find((r) => r.service?.ogcServiceName === s.name)!;
    const fromCaps = new Set<string>();
    for (const l of s.layers) {
      if (l.metadataUrls.length === 0) put('ogc-layer-no-metadata-url', `${s.name}#${l.name}`);
      for (const m of l.metadataUrls) {
        const target = m.form === 'csw' ? idx.geoRecordById.get(new URL(m.url).searchParams.get('ID') ?? '') : byCode.get(m.url);
        if (!target) put('ogc-metadata-url-unknown', `${s.name}#${l.name}`);
        else fromCaps.add(target.fileIdentifier);
      }
    }
    const fromRecord = new Set(
      record.service!.operatesOn.map((o) => idx.geoRecordById.get(o.uuidref)).filter((r) => r && r.hierarchyLevel !== 'service').map((r) => r!.fileIdentifier),
    );
    if (fromCaps.size !== fromRecord.size || [...fromCaps].some((x) => !fromRecord.has(x))) put('ogc-coupling-asymmetric', record.fileIdentifier);
    if (s.serviceRecordId && idx.geoRecordById.get(s.serviceRecordId)?.hierarchyLevel !== 'service') put('ogc-service-metadata-not-service', s.name);
    const crs = new Set([...s.crs, ...s.layers.flatMap((l) => l.crs)]);
    if (!['EPSG:25832', 'EPSG:4258', 'EPSG:25833'].some((c) => crs.has(c))) put('ogc-no-etrs89-crs', s.name);
    if (record.service!.serviceType !== (s.kind === 'WMS' ? 'view' : 'download')) put('ogc-service-type-mismatch', record.fileIdentifier);
    const capsLinks = record.onlineResources.filter((o) => /[?&]REQUEST=GetCapabilities/i.test(o.url)).map((o) => o.url.split('?')[0]);
    if ([...capsLinks, ...record.service!.operations.map((o) => o.url)].some((u) => u !== s.url)) put('ogc-record-endpoint-mismatch', record.fileIdentifier);
    for (const l of s.layers) {
      const ds = l.datasetId ? idx.geoRecordById.get(l.datasetId) : undefined;
      if (l.identifier && ds?.resourceIdentifier && l.identifier.code !== ds.resourceIdentifier.code) put('ogc-layer-identifier-mismatch', `${s.name}#${l.name}`);
    }
    const lb = s.layers.map((l) => l.bbox);
    const rb = record.bbox;
    if (rb && lb.length && (Math.min(...lb.map((b) => b.west)) > rb.east || Math.max(...lb.map((b) => b.east)) < rb.west || Math.min(...lb.map((b) => b.south)) > rb.north || Math.max(...lb.map((b) => b.north)) < rb.south)) {
      put('ogc-record-extent-disjoint', record.fileIdentifier);
    }
  }

  const meldeOrgOfUnit = new Map(w.dvdv.organizations.filter((o) => o.category === 'Meldebehörde').map((o) => [o.unitId, o]));
  for (const office of w.registrationOffices) {
    const org = meldeOrgOfUnit.get(office.unitId);
    for (const a of office.servedArs) {
      const key = `ags:${agsOf(a)}`;
      if (!org) put('dvdv-missing-organization', key);
      else if (!org.organizationKeys.includes(key)) put('dvdv-missing-member-key', key);
    }
  }
  const valid = (from: string | null, to: string | null) => (!from || Date.parse(from) <= asOf) && (!to || Date.parse(to) > asOf);
  // the service specification each category must offer, from the Leistungen's DVDV requirements
  const requiredUri = new Map(w.services.filter((s) => s.dvdvRequirement).map((s) => [s.dvdvRequirement!.category, s.dvdvRequirement!.serviceSpecificationUri]));
  for (const o of w.dvdv.organizations) {
    const uri = requiredUri.get(o.category);
    if (uri && !o.services.some((s) => s.serviceSpecificationUri === uri && valid(s.validFrom, s.validTo))) put('dvdv-service-not-valid', o.organizationKeys[0]);
    for (const s of o.services) {
      for (const e of s.serviceElements.filter((x) => x.serviceElementType === 'OSCI_ADDRESSEE')) {
        const separate = s.serviceElements.some(
          (x) => x.serviceElementType === 'CIPHER_CERTIFICATE' && x.serviceElementDescriptionName === e.serviceElementDescriptionName && x.cipherCertificateFingerprint,
        );
        if (!e.cipherCertificateFingerprint && !separate) put('dvdv-addressee-no-cipher', o.organizationKeys[0]);
      }
    }
    for (const k of o.organizationKeys) if (!/^[a-z]{3}:[^:]+$/.test(k) || k.length < 6 || k.length > 255) put('dvdv-malformed-key', k);
    if (o.locationStateId !== 16) put('dvdv-wrong-state', o.organizationKeys[0]);
  }
  for (const c of w.dvdv.certificates) {
    const to = Date.parse(c.validTo);
    if (c.revocationDate) put('dvdv-cert-revoked', c.fingerprint);
    else if (to <= asOf) put('dvdv-cert-expired', c.fingerprint);
    else if (to < asOf + 30 * 86_400_000) put('dvdv-cert-expiring', c.fingerprint);
  }
  // PVOG feed extras: a transfer Zuständigkeit pointing at a Leistung or parent object the world lacks; deletes of unknown ids.
  const unitIds = new Set(w.organisationUnits.map((u) => u.id));
  for (const z of w.bulkFeed.orphanResponsibilities) if (!idx.serviceById.has(z.leistungId) || !unitIds.has(z.parentId)) put('bulk-orphan-responsibility', z.id);
  const written = new Set(w.responsibilities.map((r) => r.id));
  if (w.bulkFeed.orphanDeleteIds.some((id) => !written.has(id))) put('bulk-orphan-deletes', 'loesche');
  return out;
}

/** The subject a scanner reports for a manifest entry (duplicates are found by their shared code). */
function scanSubject(w: World, d: PlantedDefect): string {
  if (d.kind === 'geo-duplicate-identifier') return indexWorld(w).geoRecordById.get(d.subject)!.resourceIdentifier!.code;
  return d.subject;
}

/** The service record a coupling (XG4) finding about this defect's subject lands on. */
function couplingRecord(w: World, d: PlantedDefect): string {
  const svc = d.subject.includes('#') ? d.subject.split('#')[0] : d.subject;
  return w.geo.records.find((r) => r.service?.ogcServiceName === svc)?.fileIdentifier ?? d.subject;
}

describe('planted defects', () => {
  const check = (w: World) => {
    const found = scan(w);
    const kinds = new Set(w.defects.map((d) => d.kind));
    for (const kind of kinds) {
      const entries = w.defects.filter((d) => d.kind === kind);
      const expected = new Set(entries.map((d) => scanSubject(w, d)));
      // coupling asymmetry is also the stated consequence of other coupling defects
      if (kind === 'ogc-coupling-asymmetric') {
        for (const d of w.defects.filter((x) => x.alsoViolates.includes('XG4'))) expected.add(couplingRecord(w, d));
      }
      expect({ kind, subjects: [...(found[kind] ?? [])].sort() }).toEqual({ kind, subjects: [...expected].sort() });
    }
    // no scanner finds anything of a kind the manifest does not list
    for (const [kind, subjects] of Object.entries(found)) if (subjects.size) expect(kinds.has(kind as DefectKind)).toBe(true);
  };

  it('every manifest entry is present in the data, and nothing unplanted shows the same defect (default world)', () => {
    check(world);
  });

  it('holds for other seeds too', () => {
    for (const seed of ['s1', 's2', 'another seed']) check(buildWorld({ seed }));
  });

  it('covers every upstream and all defect families the conformance rules need, with catalogue rule ids', () => {
    expect(new Set(world.defects.map((d) => d.upstream))).toEqual(new Set(['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv']));
    expect(new Set(world.defects.map((d) => d.id)).size).toBe(world.defects.length);
    for (const d of world.defects) {
      if (d.rule !== null) expect(CATALOGUE_RULES.has(d.rule)).toBe(true);
      for (const r of d.alsoViolates) expect(CATALOGUE_RULES.has(r)).toBe(true);
      expect(d.description.length).toBeGreaterThan(10);
    }
    const kinds = new Set(world.defects.map((d) => d.kind));
    for (const k of [
      'online-unknown-leika', 'dvdv-missing-organization', 'geo-missing-bbox', 'geo-operates-on-unknown', 'ogc-metadata-url-unknown',
      'dvdv-cert-expired', 'dvdv-cert-expiring', 'dvdv-cert-revoked', 'online-only-pvog', 'online-only-thavel', 'unsafe-html-script', 'unsafe-html-handler',
    ] as DefectKind[]) expect(kinds.has(k)).toBe(true);
    expect(world.defects.filter((d) => d.kind === 'dvdv-cert-revoked')).toHaveLength(1);
  });
});
