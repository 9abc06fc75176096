import {
  CONFORMITY_DATA,
  CONFORMITY_SERVICES,
  INSPIRE_THEME_THESAURUS,
  INSPIRE_THEME_THESAURUS_DATE,
  SANDBOX_ORIGINS,
  dayOffset,
  displayName,
  instantOffset,
} from './constants';
import type { SupraAuthority } from './catalogue';
import { sandboxUuid, type Rng } from './prng';
import { municipalityBbox, type RegionModel } from './regions';
import type { UnitsResult } from './units';
import type {
  BBox,
  GeoContact,
  GeoKeywordGroup,
  GeoLicence,
  GeoRecord,
  GeoText,
  OgcLayer,
  OgcMetadataUrl,
  OgcService,
  OrganisationUnit,
} from './types';

export const CSW_URL = `${SANDBOX_ORIGINS.geomis}/geonetwork/srv/ger/csw`;
export const GEOPROXY_BASE = `${SANDBOX_ORIGINS.geoproxy}/geoproxy/services`;
export const RESOURCE_NAMESPACE = `${SANDBOX_ORIGINS.registry}/id/de.th.sandbox`;

/** GetRecordById URL of a record (the form Geoproxy MetadataURLs and operatesOn hrefs use). */
export function cswRecordUrl(fileIdentifier: string): string {
  return (
    `${CSW_URL}?SERVICE=CSW&VERSION=2.0.2&REQUEST=GetRecordById&ID=${encodeURIComponent(fileIdentifier)}` +
    `&outputSchema=${encodeURIComponent('http://www.isotc211.org/2005/gmd')}&ElementSetName=full`
  );
}

const THEMES = {
  oi: 'Orthofotografie',
  cp: 'Flurstücke/Grundstücke (Katasterparzellen)',
  bu: 'Gebäude',
  lu: 'Bodennutzung',
  tn: 'Verkehrsnetze',
  us: 'Versorgungswirtschaft und staatliche Dienste',
  au: 'Verwaltungseinheiten',
} as const;
type Theme = keyof typeof THEMES;

const LICENCES: Record<'by' | 'zero', GeoLicence> = {
  by: { id: 'dl-by-de/2.0', name: 'Datenlizenz Deutschland Namensnennung 2.0', url: 'https://www.govdata.de/dl-de/by-2-0', quelle: '© GDI-Th' },
  zero: { id: 'dl-zero-de/2.0', name: 'Datenlizenz Deutschland – Zero – Version 2.0', url: 'https://www.govdata.de/dl-de/zero-2-0', quelle: '© GDI-Th' },
};
const NO_LIMITATIONS: GeoText = {
  text: 'Es gelten keine Zugriffsbeschränkungen',
  href: 'http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/noLimitations',
};
const CRS_25832: GeoText = { text: 'EPSG 25832: ETRS89 / UTM zone 32N', href: 'http://www.opengis.net/def/crs/EPSG/0/25832' };

interface DatasetSpec {
  key: string;
  title: string;
  abstract: string;
  owner: SupraAuthority | { unitId: string };
  theme: Theme | null;
  topic: string;
  keywords: string[];
  licence: 'by' | 'zero' | null;
  scale: number | null;
  parent?: string; // key of a series
  series?: boolean;
  bbox: BBox;
  areaArs: string;
}

interface LayerSpec {
  name: string;
  title: string;
  dataset: string; // dataset key
  metadataForm?: 'csw' | 'identifier';
}

interface ServiceSpec {
  name: string;
  kind: 'WMS' | 'WFS';
  versions: string[];
  title: string;
  inspire: boolean;
  protected?: boolean;
  owner: SupraAuthority | { unitId: string };
  crs: string[];
  namespace?: { prefix: string; uri: string };
  layers: LayerSpec[];
  areaArs: string;
}

const WMS_CRS = ['EPSG:25832', 'EPSG:4258', 'EPSG:4326', 'EPSG:3857'];
const WFS_CRS = ['EPSG:25832', 'EPSG:4258', 'EPSG:4326'];
const ns = (prefix: string) => ({ prefix, uri: `${SANDBOX_ORIGINS.geoproxy}/ns/${prefix}` });

function landSpecs(land: BBox): { datasets: DatasetSpec[]; services: ServiceSpec[] } {
  const d = (x: Omit<DatasetSpec, 'bbox' | 'areaArs'>): DatasetSpec => ({ ...x, bbox: land, areaArs: '16' });
  const datasets: DatasetSpec[] = [
    d({ key: 'dop20', title: 'Digitale Orthophotos DOP20 Thüringen', abstract: 'Farbige digitale Orthophotos mit 20 cm Bodenauflösung für ganz Thüringen.', owner: 'tlbg', theme: 'oi', topic: 'imageryBaseMapsEarthCover', keywords: ['Orthophoto', 'Luftbild'], licence: 'zero', scale: 1000 }),
    d({ key: 'dop200', title: 'Digitale Orthophotos DOP200 RGB Thüringen', abstract: 'Übersichtsorthophotos mit 2 m Bodenauflösung.', owner: 'tlbg', theme: 'oi', topic: 'imageryBaseMapsEarthCover', keywords: ['Orthophoto', 'Übersicht'], licence: 'zero', scale: 10000 }),
    d({ key: 'alkis-flurstuecke', title: 'ALKIS Flurstücke Thüringen', abstract: 'Flurstücke des Amtlichen Liegenschaftskatasterinformationssystems (ALKIS).', owner: 'tlbg', theme: 'cp', topic: 'planningCadastre', keywords: ['ALKIS', 'Liegenschaftskataster', 'Flurstück'], licence: 'by', scale: 1000 }),
    d({ key: 'alkis-gebaeude', title: 'ALKIS Gebäude Thüringen', abstract: 'Gebäude und Bauwerke aus dem Liegenschaftskataster (ALKIS).', owner: 'tlbg', theme: 'bu', topic: 'structure', keywords: ['ALKIS', 'Gebäude'], licence: 'by', scale: 1000 }),
    d({ key: 'alkis-nutzung', title: 'ALKIS Tatsächliche Nutzung Thüringen', abstract: 'Tatsächliche Nutzung (Siedlung, Verkehr, Vegetation, Gewässer) aus ALKIS.', owner: 'tlbg', theme: 'lu', topic: 'planningCadastre', keywords: ['ALKIS', 'Nutzung'], licence: 'by', scale: 1000 }),
    d({ key: 'inspire-cp', title: 'INSPIRE Flurstücke/Grundstücke (Katasterparzellen) Thüringen', abstract: 'Flurstücke nach dem INSPIRE-Datenmodell Cadastral Parcels, abgeleitet aus ALKIS.', owner: 'tlbg', theme: 'cp', topic: 'planningCadastre', keywords: ['INSPIRE', 'Katasterparzelle'], licence: 'by', scale: 1000 }),
    d({ key: 'strassennetz', title: 'Klassifiziertes Straßennetz Thüringen', abstract: 'Bundes-, Landes- und Kreisstraßen mit Netzknoten und Abschnitten.', owner: 'tlbv', theme: 'tn', topic: 'transportation', keywords: ['Straßennetz', 'Straßeninformationsbank'], licence: 'by', scale: 10000 }),
    d({ key: 'schulen', title: 'Schulstandorte Thüringen', abstract: 'Standorte der allgemeinbildenden und berufsbildenden Schulen.', owner: 'gdi', theme: 'us', topic: 'society', keywords: ['Schule', 'Bildung'], licence: 'by', scale: null }),
    d({ key: 'bodenrichtwerte', title: 'Bodenrichtwerte Thüringen (BORIS-TH)', abstract: 'Bodenrichtwertzonen der Gutachterausschüsse für Grundstückswerte.', owner: 'tlbg', theme: null, topic: 'planningCadastre', keywords: ['Bodenrichtwert', 'BORIS'], licence: 'by', scale: null }),
    d({ key: 'verwaltungsgrenzen', title: 'Verwaltungsgrenzen Thüringen', abstract: 'Grenzen des Landes, der Landkreise und kreisfreien Städte sowie der Gemeinden.', owner: 'tlbg', theme: 'au', topic: 'boundaries', keywords: ['Verwaltungsgrenzen', 'Gemeinde', 'Landkreis'], licence: 'by', scale: 25000 }),
    d({ key: 'dtk', series: true, title: 'Digitale Topographische Karten Thüringen', abstract: 'Serie der Digitalen Topographischen Karten in den Maßstäben 1:10 000 bis 1:100 000.', owner: 'tlbg', theme: null, topic: 'imageryBaseMapsEarthCover', keywords: ['Topographische Karte', 'DTK'], licence: 'by', scale: null }),
  ];
  for (const s of [10, 25, 50, 100]) {
    datasets.push(d({ key: `dtk${s}`, parent: 'dtk', title: `Digitale Topographische Karte 1:${s === 10 ? '10 000' : `${s} 000`} (DTK${s}) Thüringen`, abstract: `Farbige topographische Karte im Maßstab 1:${s} 000.`, owner: 'tlbg', theme: null, topic: 'imageryBaseMapsEarthCover', keywords: ['Topographische Karte', `DTK${s}`], licence: 'by', scale: s * 1000 }));
  }
  const services: ServiceSpec[] = [
    { name: 'DOP', kind: 'WMS', versions: ['1.1.1', '1.3.0'], title: 'WMS Digitale Orthophotos Thüringen', inspire: true, owner: 'tlbg', crs: WMS_CRS, areaArs: '16',
      layers: [{ name: 'th_dop', title: 'Digitale Orthophotos DOP20', dataset: 'dop20' }, { name: 'th_dop200rgb', title: 'Digitale Orthophotos DOP200 RGB', dataset: 'dop200' }] },
    { name: 'adv_alkis_wms_th', kind: 'WMS', versions: ['1.3.0'], title: 'WMS ALKIS Thüringen', inspire: false, owner: 'tlbg', crs: WMS_CRS, areaArs: '16',
      layers: [
        { name: 'adv_alkis_flurstuecke', title: 'Flurstücke', dataset: 'alkis-flurstuecke' },
        { name: 'adv_alkis_gebaeude', title: 'Gebäude', dataset: 'alkis-gebaeude' },
        { name: 'adv_alkis_gewaesser', title: 'Gewässer', dataset: 'alkis-nutzung' },
        { name: 'adv_alkis_siedlung', title: 'Siedlung', dataset: 'alkis-nutzung' },
        { name: 'adv_alkis_vegetation', title: 'Vegetation', dataset: 'alkis-nutzung' },
        { name: 'adv_alkis_verkehr', title: 'Verkehr', dataset: 'alkis-nutzung' },
      ] },
    { name: 'adv_alkis_wfs', kind: 'WFS', versions: ['2.0.0'], title: 'WFS ALKIS vereinfacht Thüringen', inspire: false, owner: 'tlbg', crs: WFS_CRS, namespace: ns('ave'), areaArs: '16',
      layers: [{ name: 'ave:Flurstueck', title: 'Flurstück', dataset: 'alkis-flurstuecke' }, { name: 'ave:GebaeudeBauwerk', title: 'Gebäude/Bauwerk', dataset: 'alkis-gebaeude' }] },
    { name: 'ALKIS_NAS_Flurstueck', kind: 'WFS', versions: ['2.0.0'], title: 'WFS ALKIS NAS Flurstücke (geschützt)', inspire: false, protected: true, owner: 'tlbg', crs: WFS_CRS, namespace: ns('adv'), areaArs: '16',
      layers: [{ name: 'adv:AX_Flurstueck', title: 'AX_Flurstueck', dataset: 'alkis-flurstuecke' }] },
    { name: 'INSPIREcp', kind: 'WMS', versions: ['1.1.1', '1.3.0'], title: 'INSPIRE-WMS Flurstücke/Grundstücke Thüringen', inspire: true, owner: 'tlbg', crs: WMS_CRS, areaArs: '16',
      layers: [{ name: 'CP.CadastralParcel', title: 'Katasterparzelle', dataset: 'inspire-cp' }] },
    { name: 'STRNETZ_wfs', kind: 'WFS', versions: ['1.1.0'], title: 'WFS Klassifiziertes Straßennetz Thüringen', inspire: true, owner: 'tlbv', crs: WFS_CRS, namespace: ns('tlbv'), areaArs: '16',
      layers: [{ name: 'tlbv:Klassifiz_StrNetz', title: 'Klassifiziertes Straßennetz', dataset: 'strassennetz' }] },
    { name: 'kommunal/komm_wfs', kind: 'WFS', versions: ['2.0.0'], title: 'WFS Kommunale Daten Thüringen', inspire: true, owner: 'gdi', crs: ['EPSG:4326', 'EPSG:25832'], namespace: ns('kommunal'), areaArs: '16',
      layers: [{ name: 'kommunal:komm_schul', title: 'Schulstandorte', dataset: 'schulen', metadataForm: 'identifier' }] },
    { name: 'boris/vBORIS_simple', kind: 'WMS', versions: ['1.3.0'], title: 'WMS Bodenrichtwerte Thüringen', inspire: false, owner: 'tlbg', crs: WMS_CRS, areaArs: '16',
      layers: [{ name: 'vBODENRICHTWERTZONE_aktuell', title: 'Bodenrichtwertzonen aktuell', dataset: 'bodenrichtwerte' }] },
    ...[10, 25, 50, 100].map((s): ServiceSpec => ({
      name: `geobasis/DTK${s}col`, kind: 'WMS', versions: ['1.3.0'], title: `WMS DTK${s} farbig Thüringen`, inspire: false, owner: 'tlbg', crs: WMS_CRS, areaArs: '16',
      layers: [{ name: `th_dtk${s}`, title: `DTK${s}`, dataset: `dtk${s}` }],
    })),
    { name: 'sandbox/verwaltungsgrenzen_wms', kind: 'WMS', versions: ['1.3.0'], title: 'WMS Verwaltungsgrenzen Thüringen (Sandbox)', inspire: true, owner: 'tlbg', crs: WMS_CRS, areaArs: '16',
      layers: [{ name: 'sbx_gemeinden', title: 'Gemeinden', dataset: 'verwaltungsgrenzen' }, { name: 'sbx_kreise', title: 'Landkreise und kreisfreie Städte', dataset: 'verwaltungsgrenzen' }] },
  ];
  return { datasets, services };
}

/** Bebauungspläne of the three most populous municipalities per district, one WMS per district. */
function districtSpecs(regions: RegionModel, u: UnitsResult): { datasets: DatasetSpec[]; services: ServiceSpec[] } {
  const datasets: DatasetSpec[] = [];
  const services: ServiceSpec[] = [];
  for (const d of regions.districts) {
    const top = [...d.members].sort((a, b) => b.population - a.population || (a.ars < b.ars ? -1 : 1)).slice(0, 3);
    const layers: LayerSpec[] = [];
    for (const m of top) {
      const key = `bplan-${m.ags}`;
      const unitId = u.localUnit.get(regions.administrationOf.get(m.ars)!.key)!;
      datasets.push({
        key,
        title: `Bebauungspläne ${displayName(m.name)}`,
        abstract: `Rechtskräftige Bebauungspläne der Gemeinde ${displayName(m.name)} (Sandbox-Datensatz).`,
        owner: { unitId },
        theme: 'lu',
        topic: 'planningCadastre',
        keywords: ['Bebauungsplan', 'Bauleitplanung', displayName(m.name)],
        licence: 'by',
        scale: 1000,
        bbox: municipalityBbox(m),
        areaArs: m.ars,
      });
      layers.push({ name: `sbx_bplan_${m.ags}`, title: `Bebauungspläne ${displayName(m.name)}`, dataset: key });
    }
    const districtUnit = u.districts.find((x) => x.ars === d.ars)!.administrationUnitId;
    services.push({
      name: `sandbox/bplan_${d.ars}`,
      kind: 'WMS',
      versions: ['1.3.0'],
      title: `WMS Bebauungspläne ${d.urban ? displayName(d.name) : `Landkreis ${d.name}`} (Sandbox)`,
      inspire: true,
      owner: { unitId: districtUnit },
      crs: WMS_CRS,
      areaArs: d.ars,
      layers,
    });
  }
  return { datasets, services };
}

export interface GeoResult {
  records: GeoRecord[];
  ogcServices: OgcService[];
}

export function buildGeo(rng: Rng, asOf: number, regions: RegionModel, u: UnitsResult): GeoResult {
  const land = landSpecs(regions.landBbox);
  const local = districtSpecs(regions, u);
  const datasetSpecs = [...land.datasets, ...local.datasets];
  const serviceSpecs = [...land.services, ...local.services];
  const unitById = new Map(u.units.map((x) => [x.id, x]));
  const ownerUnit = (o: DatasetSpec['owner']): OrganisationUnit => unitById.get(typeof o === 'string' ? u.supra[o] : o.unitId)!;
  const gdi = unitById.get(u.supra.gdi)!;
  const contact = (unit: OrganisationUnit, role: GeoContact['role']): GeoContact => ({
    organisationName: unit.name,
    email: unit.contact.email,
    role,
    unitId: unit.id,
  });

  const datasetId = (key: string) => sandboxUuid(`geo:dataset:${key}`);
  const serviceId = (name: string) => sandboxUuid(`geo:service:${name}`);
  const identifierOf = (key: string) => `${RESOURCE_NAMESPACE}/${datasetId(key)}`;

  const dates = () => {
    const revision = rng.range(10, 400);
    return {
      revision,
      list: [
        { date: dayOffset(asOf, -rng.range(2500, 5000)), type: 'creation' as const },
        { date: dayOffset(asOf, -rng.range(1000, 2400)), type: 'publication' as const },
        { date: dayOffset(asOf, -revision), type: 'revision' as const },
      ],
    };
  };
  const themeGroup = (theme: Theme): GeoKeywordGroup => ({
    thesaurus: { title: INSPIRE_THEME_THESAURUS, date: INSPIRE_THEME_THESAURUS_DATE, dateType: 'publication' },
    keywords: [{ text: THEMES[theme], href: `http://inspire.ec.europa.eu/theme/${theme}` }],
  });
  const constraints = (licence: GeoLicence | null, unit: OrganisationUnit) => {
    const l = licence ? { ...licence, quelle: licence.quelle === '© GDI-Th' && unit.kind !== 'land' ? `© ${unit.name}` : licence.quelle } : null;
    return {
      licence: l,
      otherConstraints: l
        ? [NO_LIMITATIONS, { text: JSON.stringify({ id: l.id, name: l.name, url: l.url, quelle: l.quelle }), href: null }]
        : [NO_LIMITATIONS, { text: 'Es gelten die Nutzungsbedingungen des Geoportals Thüringen (Sandbox).', href: null }],
    };
  };
  const pass = () => (rng.chance(0.75) ? true : rng.chance(0.5) ? false : null);

  // Which services show each dataset (for the dataset's online resources).
  const servicesOfDataset = new Map<string, ServiceSpec[]>();
  for (const s of serviceSpecs) for (const l of s.layers) {
    const list = servicesOfDataset.get(l.dataset) ?? [];
    if (!list.includes(s)) list.push(s);
    servicesOfDataset.set(l.dataset, list);
  }
  const serviceUrl = (s: { name: string }) => `${GEOPROXY_BASE}/${s.name}`;
  const capabilitiesUrl = (s: ServiceSpec) => `${serviceUrl(s)}?SERVICE=${s.kind}&REQUEST=GetCapabilities&VERSION=${s.versions[s.versions.length - 1]}`;

  const records: GeoRecord[] = [];
  const datasetByKey = new Map<string, GeoRecord>();
  for (const spec of datasetSpecs) {
    const owner = ownerUnit(spec.owner);
    const dt = dates();
    const inspire = spec.theme !== null;
    const c = constraints(spec.licence ? LICENCES[spec.licence] : null, owner);
    const free: GeoKeywordGroup = { thesaurus: null, keywords: [...spec.keywords, ...(c.licence ? ['opendata'] : [])].map((text) => ({ text, href: null })) };
    const rec: GeoRecord = {
      fileIdentifier: datasetId(spec.key),
      hierarchyLevel: spec.series ? 'series' : 'dataset',
      hierarchyLevelName: spec.series ? 'Kartenserie' : null,
      parentIdentifier: spec.parent ? datasetId(spec.parent) : null,
      language: 'ger',
      characterSet: 'utf8',
      subPortals: inspire ? ['srv', 'inspire'] : ['srv'],
      dateStamp: instantOffset(asOf, -dt.revision, rng.int(86_400)),
      title: spec.title,
      alternateTitle: null,
      abstract: spec.abstract,
      resourceIdentifier: { code: identifierOf(spec.key), codeSpace: RESOURCE_NAMESPACE },
      dates: dt.list,
      metadataContact: contact(gdi, 'pointOfContact'),
      pointOfContact: contact(owner, 'pointOfContact'),
      keywords: inspire ? [themeGroup(spec.theme!), free] : [free],
      topicCategories: [spec.topic],
      bbox: { ...spec.bbox },
      temporalExtent: spec.key.startsWith('dop') ? { begin: dayOffset(asOf, -rng.range(700, 1100)), end: dayOffset(asOf, -rng.range(300, 650)) } : null,
      accessConstraints: ['otherRestrictions'],
      useConstraints: ['otherRestrictions'],
      otherConstraints: c.otherConstraints,
      licence: c.licence,
      opendata: c.licence !== null,
      inspire,
      crs: [CRS_25832],
      spatialResolutionDenominator: spec.scale,
      // INSPIRE TG MD 2.0 asks a lineage statement of series as of datasets (ETS 1.11); GeoMIS series records carry one.
      lineage: spec.series
        ? `Serie aus den Einzelausgaben der Maßstabsreihe; Erfassung und laufende Fortführung durch ${owner.name}.`
        : `Erfassung und laufende Fortführung durch ${owner.name}.`,
      conformity: inspire ? [{ ...CONFORMITY_DATA, pass: pass() }] : [],
      onlineResources: (servicesOfDataset.get(spec.key) ?? []).map((s) => ({
        url: capabilitiesUrl(s),
        protocol: `OGC:${s.kind}`,
        name: s.title,
        description: s.kind === 'WMS' ? 'Darstellungsdienst' : 'Downloaddienst',
        function: 'information' as const,
        applicationProfile: null,
      })),
      distributionFormats: [{ name: 'GML', version: '3.2.1' }],
      areaArs: spec.areaArs,
      service: null,
    };
    records.push(rec);
    datasetByKey.set(spec.key, rec);
  }

  const ogcServices: OgcService[] = [];
  for (const spec of serviceSpecs) {
    const owner = ownerUnit(spec.owner);
    const dt = dates();
    const fileIdentifier = serviceId(spec.name);
    const coupled: GeoRecord[] = [];
    for (const l of spec.layers) {
      const ds = datasetByKey.get(l.dataset)!;
      if (!coupled.includes(ds)) coupled.push(ds);
    }
    const bbox = spec.areaArs === '16' ? { ...regions.landBbox } : { ...regions.districts.find((d) => d.ars === spec.areaArs)!.bbox };
    const serviceType = spec.kind === 'WMS' ? 'view' : 'download';
    const ops =
      spec.kind === 'WMS' ? ['GetCapabilities', 'GetMap', 'GetFeatureInfo'] : ['GetCapabilities', 'DescribeFeatureType', 'GetFeature'];
    const c = constraints(LICENCES.by, owner);
    records.push({
      fileIdentifier,
      hierarchyLevel: 'service',
      hierarchyLevelName: spec.kind === 'WMS' ? 'Darstellungsdienst' : 'Downloaddienst',
      parentIdentifier: null,
      language: 'ger',
      characterSet: 'utf8',
      subPortals: spec.inspire ? ['srv', 'inspire'] : ['srv'],
      dateStamp: instantOffset(asOf, -dt.revision, rng.int(86_400)),
      title: spec.title,
      alternateTitle: spec.name,
      abstract: `${spec.kind === 'WMS' ? 'Darstellungsdienst' : 'Downloaddienst'} (${spec.kind}) für: ${coupled.map((r) => r.title).join('; ')}.`,
      resourceIdentifier: null,
      dates: dt.list,
      metadataContact: contact(gdi, 'pointOfContact'),
      pointOfContact: contact(owner, 'pointOfContact'),
      keywords: [
        { thesaurus: null, keywords: [spec.kind === 'WMS' ? 'infoMapAccessService' : 'infoFeatureAccessService', spec.kind, ...(spec.protected ? [] : ['opendata'])].map((text) => ({ text, href: null })) },
      ],
      topicCategories: [],
      bbox,
      temporalExtent: null,
      accessConstraints: ['otherRestrictions'],
      useConstraints: ['otherRestrictions'],
      otherConstraints: spec.protected
        ? [{ text: 'Zugang nur für registrierte Nutzer über den Web Authentication Service (WAS).', href: null }]
        : c.otherConstraints,
      licence: spec.protected ? null : c.licence,
      opendata: !spec.protected,
      inspire: spec.inspire,
      crs: [CRS_25832],
      spatialResolutionDenominator: null,
      lineage: null,
      conformity: spec.inspire ? [{ ...CONFORMITY_SERVICES, pass: pass() }] : [],
      onlineResources: [
        {
          url: capabilitiesUrl(spec),
          protocol: `OGC:${spec.kind}`,
          name: spec.title,
          description: 'GetCapabilities',
          function: 'information',
          applicationProfile: null,
        },
      ],
      distributionFormats: [],
      areaArs: spec.areaArs,
      service: {
        serviceType,
        serviceTypeVersions: [...spec.versions],
        couplingType: 'tight',
        operatesOn: coupled.map((r) => ({ uuidref: r.fileIdentifier, href: cswRecordUrl(r.fileIdentifier), title: r.title })),
        operations: ops.map((name) => ({ name, dcp: 'WebServices' as const, url: serviceUrl(spec) })),
        ogcServiceName: spec.name,
      },
    });

    const isWfs110 = spec.kind === 'WFS' && spec.versions.length === 1 && spec.versions[0] === '1.1.0';
    const layers: OgcLayer[] = spec.layers.map((l) => {
      const ds = datasetByKey.get(l.dataset)!;
      const form = l.metadataForm ?? 'csw';
      const metadataUrl: OgcMetadataUrl = {
        form,
        url: form === 'csw' ? cswRecordUrl(ds.fileIdentifier) : ds.resourceIdentifier!.code,
        type: isWfs110 ? '19139' : 'ISO19115:2003',
        format: 'text/xml',
      };
      return {
        name: l.name,
        title: l.title,
        abstract: ds.abstract,
        keywords: ds.keywords.flatMap((g) => g.keywords.map((k) => k.text)),
        queryable: spec.kind === 'WMS' ? !l.name.startsWith('th_') : true,
        crs: [],
        bbox: { ...ds.bbox! },
        metadataUrls: [metadataUrl],
        datasetId: ds.fileIdentifier,
        identifier: { authority: 'de.th.sandbox', authorityUrl: RESOURCE_NAMESPACE, code: ds.resourceIdentifier!.code },
      };
    });
    ogcServices.push({
      name: spec.name,
      url: serviceUrl(spec),
      kind: spec.kind,
      versions: [...spec.versions],
      title: spec.title,
      abstract: records[records.length - 1].abstract,
      keywords: spec.kind === 'WMS' ? ['WMS', 'infoMapAccessService'] : ['WFS', 'infoFeatureAccessService'],
      fees: 'keine',
      accessConstraints: spec.protected ? 'Zugang nur für registrierte Nutzer (WAS).' : 'keine',
      protected: spec.protected ?? false,
      serviceRecordId: spec.inspire ? fileIdentifier : null,
      contactUnitId: owner.id,
      crs: [...spec.crs],
      bbox,
      outputFormats:
        spec.kind === 'WMS'
          ? ['image/png', 'image/jpeg']
          : isWfs110
            ? ['text/xml; subtype=gml/3.1.1']
            : ['application/gml+xml; version=3.2', 'application/json'],
      namespace: spec.namespace ?? null,
      layers,
    });
  }
  return { records, ogcServices };
}
