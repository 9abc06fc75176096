import type { UpstreamName } from '../../upstreams/runtime/names';
/**
 * Plain DTOs of the sandbox world: one coherent, deterministic picture of Thüringen's base services that every
 * upstream sandbox server (PVOG, ThAVEL, GeoMIS CSW, Geoproxy OGC, DVDV) renders in its own protocol.
 *
 * Conventions:
 * - ARS are stored canonical: 12 digits for municipalities, 5 for districts, 9 for Verbände (their natural level).
 * - Dates are ISO 8601 strings: `YYYY-MM-DD` for days, `YYYY-MM-DDTHH:mm:ss.SSSZ` for instants.
 * - URLs use the sandbox origins of `constants.ts` (`*.sandbox.invalid`, `*.example.org`); servers swap the origin
 *   for their real listening address with `rebaseUrl`.
 * - Every identifier that is not a real one is recognisably sandbox (see README.md, "Identifier scheme").
 */

export type IsoDate = string;
export type IsoDateTime = string;

/** WGS84 lon/lat bounding box (the orientation of ISO 19139 EX_GeographicBoundingBox). */
export interface BBox {
  west: number;
  east: number;
  south: number;
  north: number;
}

// ---------------------------------------------------------------- regions

export interface WorldMunicipality {
  ars: string; // 12 digits, from the Destatis list
  ags: string; // 8 digits, from the Destatis list
  name: string; // official form, e.g. "Erfurt, Stadt"
  districtArs: string; // 5 digits
  verbandArs: string | null; // 9 digits (Verwaltungsgemeinschaft or erfüllende Gemeinde)
  population: number;
  areaKm2: number;
  postalCode: string;
  lat: number;
  lon: number;
  bbox: BBox; // square of the municipality's area around its centre (sandbox approximation)
  /** OE that performs the municipality's local administration (own, VG, erfüllende Gemeinde or city). */
  localAdministrationUnitId: string;
  /** OE acting as Meldebehörde for this municipality (always the local administration). */
  registrationOfficeUnitId: string;
}

export interface WorldDistrict {
  ars: string; // 5 digits
  name: string;
  urban: boolean; // kreisfreie Stadt
  /** Landratsamt, or for a kreisfreie Stadt the city administration. */
  administrationUnitId: string;
  departmentUnitIds: Record<DistrictDepartment, string>;
  municipalityArs: string[];
  bbox: BBox;
}

export type VerbandKind = 'VG' | 'EG'; // Verwaltungsgemeinschaft | erfüllende Gemeinde

export interface WorldVerband {
  ars: string; // 9 digits
  name: string;
  kind: VerbandKind;
  /** Municipality hosting the administration: the erfüllende Gemeinde itself, or (VG) the most populous member. */
  seatArs: string;
  memberArs: string[];
  administrationUnitId: string;
}

// ---------------------------------------------------------------- services (Leistungen)

/** Tier that is responsible for a service; `verband` and `municipality` both resolve to the local administration. */
export type ServiceLevel = 'federal' | 'land' | 'district' | 'verband' | 'municipality';

/** LeiKa text-module codes (`urn:de:xzufi:codeliste:leistungstextmodulleika`). */
export type TextModuleCode = '02' | '03' | '05' | '06' | '07' | '08' | '09' | '11' | '14' | '15' | '16' | '18';

export interface TextModule {
  code: TextModuleCode;
  kind: string; // code-list name, e.g. "kurztext"
  html: string; // German, may contain HTML (sanitise before output!)
}

export interface Fee {
  description: string;
  amountEur: number | null; // null = varies / see description
}

export interface ProcessingTime {
  description: string;
  minDuration: number;
  maxDuration: number;
  unit: 'day' | 'workday' | 'week' | 'month';
}

export interface DvdvRequirement {
  category: string; // DVDV category, e.g. "Meldebehörde"
  keyPrefix: string; // e.g. "ags"
  /** `municipality`: key id derived from the municipality AGS; `district`: from the district ARS. */
  keyScope: 'municipality' | 'district';
  serviceSpecificationUri: string;
}

export interface WorldService {
  id: string; // PVOG-style Leistungs-ID, `SBX16.LB.<n>`
  leikaKey: string; // 14 digits; real (data/leika-seen.csv) or reserved sandbox range 99999xxxxxxxxx
  sandboxKey: boolean; // true = reserved range, name starts with "[Sandbox]"
  name: string; // module 03
  level: ServiceLevel;
  topic: string; // Lebenslage-like grouping (German)
  textModules: TextModule[];
  fees: Fee[];
  deadline: { description: string } | null;
  processingTime: ProcessingTime | null;
  legalBasis: string[];
  forms: { title: string; url: string }[];
  writtenFormRequired: boolean;
  dvdvRequirement: DvdvRequirement | null;
  validFrom: IsoDate;
  lastUpdate: IsoDateTime;
  approvedOn: IsoDate; // fachlich freigegeben am
  approvedBy: string; // Land authority name
}

// ---------------------------------------------------------------- organisation units

export type UnitKind =
  | 'federal' // Bundesbehörde with a Thuringian seat
  | 'land' // Landesbehörde
  | 'district' // Landratsamt
  | 'city' // kreisfreie Stadt: municipal and district tier in one administration
  | 'department' // Fachbereich of a district/city administration
  | 'municipality' // kreisangehörige Gemeinde with its own administration
  | 'vg' // Verwaltungsgemeinschaft
  | 'eg'; // erfüllende Gemeinde (administration serves its Verband members)

export type DistrictDepartment =
  | 'vehicle-registration'
  | 'driving-licence'
  | 'building-authority'
  | 'housing-benefit'
  | 'youth-welfare'
  | 'foreigners';

export type UnitFunction =
  | 'registration-office' // Meldebehörde
  | 'passport-authority' // Passbehörde
  | 'id-card-authority' // Personalausweisbehörde
  | 'civil-registry' // Standesamt
  | 'local-administration'
  | 'district-administration'
  | DistrictDepartment
  | 'land-authority'
  | 'federal-authority'
  | 'geodata-provider';

export interface PostalAddress {
  street: string; // generic street name (not a real address)
  houseNumber: string;
  postalCode: string; // real postcode of the seat municipality
  city: string; // real municipality name (display form)
  /** XZuFi verwaltungspolitischeKodierung. */
  ars: string; // regionalschluessel, 12 digits
  ags: string; // gemeindeschluessel, 8 digits
  stateCode: '16';
  stateName: 'Thüringen';
}

export interface OpeningHours {
  day: 'MO' | 'TU' | 'WE' | 'TH' | 'FR';
  opens: string; // HH:mm
  closes: string; // HH:mm
}

export interface OrganisationUnit {
  id: string; // PVOG-style OE id, `SBX16.OE.<n>`
  kind: UnitKind;
  name: string;
  shortName: string | null;
  parentId: string | null;
  seatArs: string; // 12-digit ARS of the seat municipality
  districtArs: string | null; // null for Land/federal authorities
  address: PostalAddress;
  contact: { phone: string; fax: string; email: string; website: string };
  openingHours: OpeningHours[];
  openingHoursNote: string | null;
  functions: UnitFunction[];
  /** Municipalities (12-digit ARS) this unit serves in its functions. */
  servedArs: string[];
  languages: string[];
  lastUpdate: IsoDateTime;
}

/** Role code as in PVOG `role.code`: "01" Zuständige Stelle; "02" Ansprechpunkt (meaning of 02 [unverified]). */
export type ResponsibilityRole = '01' | '02';

/** One Zuständigkeit: Leistung × area (municipality ARS) × OE × role. Higher-tier services are expanded to every
 * municipality they cover, so a lookup by municipality ARS needs no inheritance logic. */
export interface Responsibility {
  id: string; // `SBX16.ZS.<n>`
  leikaKey: string;
  serviceId: string;
  unitId: string;
  areaArs: string; // 12-digit municipality ARS
  role: ResponsibilityRole;
  /** Tier the responsibility comes from (district-level services are inherited by every municipality). */
  inheritedFrom: ServiceLevel;
}

export interface RegistrationOffice {
  unitId: string;
  servedArs: string[];
  /** Online service id of the electronic residence registration (eWA), if offered. */
  ewaOnlineServiceId: string | null;
}

// ---------------------------------------------------------------- online services (ThAVEL / PVOG Onlinedienste)

export interface CodeRef {
  code: string;
  listURI: string;
  listVersionID: string | null;
}

export interface OnlineServiceLink {
  type: CodeRef; // urn:xoev-de:fim:codeliste:onlinedienstlinktyp, code "01" = start/form link
  url: string;
  title: string;
  languageCode: 'de';
  /** The page is gone: the sandbox web host answers 404 for it (planted P-3b defect). Absent = the page is served. */
  retired?: true;
}

export type LoginMethod = 'SERVICEKONTO_TH' | 'BUNDID';
export type ProviderKind = 'THAVEL' | 'EFA' | 'FEDERAL' | 'LAND';

export interface OnlineService {
  id: string; // `SBX16.OD.<n>`
  title: string;
  description: string;
  links: OnlineServiceLink[];
  /** Vertrauensniveau; sandbox code list (the real list URI is not confirmed, see docs/upstreams/thavel.md). */
  trustLevel: CodeRef | null;
  login: LoginMethod[];
  payment: { required: boolean; methods: string[] } | null;
  leikaKeys: string[];
  areas: string[]; // 12-digit municipality ARS (expanded from the scope)
  scope: { level: ServiceLevel; ars: string }; // the area as the provider declares it (2/5/9/12-digit ARS)
  provider: { kind: ProviderKind; name: string };
  operatorUnitId: string | null; // OE publishing the service; null for federal services run outside Thüringen
  validFrom: IsoDate;
  validTo: IsoDate | null;
  lastUpdate: IsoDateTime;
  /** Which catalogue announces the service: PVOG Suchdienst and/or the ThAVEL catalogue feed. */
  announcedIn: { pvog: boolean; thavel: boolean };
  /** Fields as the ThAVEL feed shows them when they differ from PVOG (planted disagreement). */
  thavelVariant: { title?: string } | null;
}

// ---------------------------------------------------------------- geo (GeoMIS CSW records, Geoproxy OGC services)

export interface GeoText {
  text: string;
  href: string | null; // set = gmx:Anchor
}

export interface GeoKeywordGroup {
  thesaurus: { title: string; date: IsoDate; dateType: 'publication' } | null;
  keywords: GeoText[];
}

export interface GeoContact {
  organisationName: string;
  email: string | null;
  role: 'pointOfContact' | 'custodian' | 'publisher';
  unitId: string | null; // world link to the OE (not part of ISO 19139)
}

export interface GeoLicence {
  id: string;
  name: string;
  url: string;
  quelle: string;
}

export interface GeoOnlineResource {
  url: string;
  protocol: string;
  name: string;
  description: string;
  function: 'information' | 'download' | 'search' | null;
  applicationProfile: string | null;
}

export interface GeoServiceInfo {
  serviceType: string; // INSPIRE SpatialDataServiceType (view/download/…)
  serviceTypeVersions: string[];
  couplingType: 'tight' | 'loose' | 'mixed';
  operatesOn: { uuidref: string; href: string; title: string }[]; // href '' = uuidref only (no xlink:href)
  operations: { name: string; dcp: 'WebServices'; url: string }[];
  ogcServiceName: string; // Geoproxy ServiceName this record describes (world link)
}

export interface GeoRecord {
  fileIdentifier: string; // sandbox UUID
  hierarchyLevel: 'dataset' | 'series' | 'service';
  hierarchyLevelName: string | null;
  parentIdentifier: string | null;
  language: 'ger';
  characterSet: 'utf8';
  subPortals: ('srv' | 'inspire')[]; // GeoNetwork sub-portals listing the record
  dateStamp: string; // normally an ISO date-time; may be malformed in a planted defect
  title: string;
  alternateTitle: string | null;
  abstract: string;
  resourceIdentifier: { code: string; codeSpace: string | null } | null; // datasets/series
  dates: { date: IsoDate; type: 'creation' | 'publication' | 'revision' }[];
  metadataContact: GeoContact;
  pointOfContact: GeoContact;
  keywords: GeoKeywordGroup[];
  topicCategories: string[];
  bbox: BBox | null;
  temporalExtent: { begin: IsoDate; end: IsoDate | null } | null;
  accessConstraints: string[]; // MD_RestrictionCode values
  useConstraints: string[];
  otherConstraints: GeoText[]; // incl. the GDI-DE licence JSON text
  licence: GeoLicence | null;
  opendata: boolean;
  inspire: boolean;
  crs: GeoText[];
  spatialResolutionDenominator: number | null;
  lineage: string | null;
  conformity: { title: string; date: IsoDate; pass: boolean | null }[];
  onlineResources: GeoOnlineResource[];
  distributionFormats: { name: string; version: string }[];
  areaArs: string | null; // Regionalschlüssel of the covered area (U-1)
  service: GeoServiceInfo | null;
}

export interface OgcMetadataUrl {
  /** `csw`: a CSW GetRecordById URL; `identifier`: a resource identifier URI (both occur in practice). */
  form: 'csw' | 'identifier';
  url: string;
  type: string; // WMS: ISO19115:2003; WFS 1.1.0: 19139
  format: 'text/xml' | 'text/html';
}

export interface OgcLayer {
  name: string; // WMS layer name or WFS feature type QName (`prefix:Local`)
  title: string;
  abstract: string;
  keywords: string[];
  queryable: boolean;
  crs: string[]; // extra CRS (WMS: added to those inherited from the service root layer); EPSG:xxxx form
  bbox: BBox;
  metadataUrls: OgcMetadataUrl[];
  datasetId: string | null; // world link: fileIdentifier of the described dataset
  identifier: { authority: string; authorityUrl: string; code: string } | null; // WMS Identifier / WFS SpatialDataSetIdentifier
}

export interface OgcService {
  name: string; // Geoproxy ServiceName (path below /geoproxy/services/)
  url: string; // endpoint base URL
  kind: 'WMS' | 'WFS';
  versions: string[];
  title: string;
  abstract: string;
  keywords: string[];
  fees: string;
  accessConstraints: string;
  /** Behind the WAS: 401/403 without credentials. */
  protected: boolean;
  /** INSPIRE ExtendedCapabilities MetadataUrl target (fileIdentifier of the service record), null = none. */
  serviceRecordId: string | null;
  contactUnitId: string;
  crs: string[]; // root-layer (WMS, inherited) or DefaultCRS+OtherCRS (WFS), EPSG:xxxx form
  bbox: BBox;
  outputFormats: string[];
  namespace: { prefix: string; uri: string } | null; // WFS feature type namespace
  layers: OgcLayer[];
}

// ---------------------------------------------------------------- DVDV

export interface DvdvCategory {
  name: string;
  prefix: string | null;
  children: DvdvCategory[];
}

export type RevocationReason = 'UNSPECIFIED' | 'KEY_COMPROMISE' | 'AFFILIATION_CHANGED' | 'SUPERSEDED' | 'CESSATION_OF_OPERATION';

/** Certificate metadata in the field names of the DVDV v2 `Certificate` schema (no DER `content`). */
export interface DvdvCertificate {
  fingerprint: string; // 40 hex (sandbox: derived hash, not of a real DER)
  serial: string; // decimal
  serialHex: string;
  emailSubject: string;
  algorithm: string;
  nameIssuer: string;
  nameSubject: string;
  organizationIssuer: string;
  organizationSubject: string;
  ouIssuer: string;
  ouSubject: string;
  validFrom: IsoDateTime;
  validTo: IsoDateTime;
  x509KeyUsage: number;
  revocationDate: IsoDateTime | null;
  revocationReason: RevocationReason | null;
}

export type DvdvServiceElementType =
  | 'OSCI_INTERMEDIARY'
  | 'OSCI_ADDRESSEE'
  | 'CIPHER_CERTIFICATE'
  | 'SIGNATURE_CERTIFICATE'
  | 'WEBSERVER'
  | 'TEXT';

export interface DvdvServiceElement {
  serviceElementId: number;
  providerId: number;
  providerNameDe: string;
  serviceElementName: string;
  serviceElementDescription: string;
  serviceElementDescriptionName: string; // e.g. InternetIntermediär, TESTAEmpfänger
  serviceElementType: DvdvServiceElementType;
  serviceElementUri: string | null;
  serviceElementText: string | null;
  /** Fingerprints into `world.dvdv.certificates` (the API carries the certificate itself). */
  cipherCertificateFingerprint: string | null;
  signatureCertificateFingerprint: string | null;
  required: boolean;
}

export interface DvdvService {
  id: number;
  validFrom: IsoDateTime | null;
  validTo: IsoDateTime | null;
  nameDe: string;
  descriptionDe: string | null;
  dvdv1Uuid: string;
  serviceDescriptionName: string;
  serviceSpecificationType: 'WSDL_OSCI' | 'MANUAL';
  serviceSpecificationUri: string;
  serviceElements: DvdvServiceElement[];
}

export interface DvdvOrganization {
  id: number;
  validFrom: IsoDateTime | null;
  validTo: IsoDateTime | null;
  nameDe: string;
  descriptionDe: string | null;
  postalAddress: string;
  locationStateId: number; // 16 = Thüringen
  dvdv1Id: string | null;
  category: string;
  organizationKeys: string[];
  clientCertificateFingerprints: string[];
  services: DvdvService[];
  /** World link to the OE (DVDV itself has no link to PVOG). */
  unitId: string;
}

export interface DvdvIntermediary {
  id: number;
  orgaProvId: number;
  provider: string;
  orgaProvName: string;
  orgaProvAddress: string;
  selName: string;
  selDescription: string;
  uri: string;
  cipherCertificateFingerprint: string;
  signatureCertificateFingerprint: string;
}

export interface DvdvWorld {
  categories: DvdvCategory[];
  organizations: DvdvOrganization[];
  certificates: DvdvCertificate[];
  intermediaries: DvdvIntermediary[];
}

// ---------------------------------------------------------------- planted defects

export type Upstream = UpstreamName;
export type Severity = 'error' | 'warning' | 'info';

export type DefectKind =
  | 'unsafe-html-script'
  | 'unsafe-html-handler'
  | 'service-missing-text'
  | 'missing-competent-authority'
  | 'unit-ags-ars-mismatch'
  | 'online-malformed-leika'
  | 'online-unknown-leika'
  | 'online-area-not-offered'
  | 'online-malformed-ars'
  | 'online-http-link'
  | 'online-no-link'
  | 'online-no-trust-level'
  | 'online-only-pvog'
  | 'online-only-thavel'
  | 'online-title-mismatch'
  | 'online-link-broken'
  | 'online-foreign-ars'
  | 'online-padded-ars'
  | 'geo-missing-bbox'
  | 'geo-bbox-outside'
  | 'geo-missing-abstract'
  | 'geo-contact-no-email'
  | 'geo-invalid-datestamp'
  | 'geo-duplicate-identifier'
  | 'geo-identifier-no-namespace'
  | 'geo-opendata-no-licence'
  | 'geo-operates-on-unknown'
  | 'geo-operates-on-service'
  | 'ogc-metadata-url-unknown'
  | 'ogc-layer-no-metadata-url'
  | 'ogc-service-metadata-not-service'
  | 'ogc-coupling-asymmetric'
  | 'ogc-no-etrs89-crs'
  | 'ogc-service-type-mismatch'
  | 'geo-hierarchy-level-mismatch'
  | 'geo-poc-no-email'
  | 'geo-two-revision-dates'
  | 'geo-no-lineage'
  | 'geo-operates-on-no-href'
  | 'geo-conformity-wrong-regulation'
  | 'geo-no-access-constraints'
  | 'geo-no-capabilities-link'
  | 'ogc-record-endpoint-mismatch'
  | 'ogc-layer-identifier-mismatch'
  | 'ogc-record-extent-disjoint'
  | 'geo-missing-ars'
  | 'geo-padded-ars'
  | 'dvdv-missing-organization'
  | 'dvdv-missing-member-key'
  | 'dvdv-service-not-valid'
  | 'dvdv-addressee-no-cipher'
  | 'dvdv-cert-expired'
  | 'dvdv-cert-expiring'
  | 'dvdv-cert-revoked'
  | 'dvdv-malformed-key'
  | 'dvdv-wrong-state'
  | 'bulk-orphan-responsibility'
  | 'bulk-orphan-deletes';

export interface PlantedDefect {
  id: string; // DEF-001 …
  kind: DefectKind;
  /** Rule id from the conformance catalogue, null where no catalogue rule fits. */
  rule: string | null;
  severity: Severity;
  upstream: Upstream;
  /**
   * What the finding is about, in the catalogue's subject forms: LeiKa key; `<leikaKey>@<ars>`; OE id; online
   * service id; record fileIdentifier; `<ogcServiceName>` or `<ogcServiceName>#<layerName>`; DVDV organisation
   * key; certificate fingerprint.
   */
  subject: string;
  description: string;
  /** Other catalogue rules the same defect necessarily trips (so a checker reporting them is not a false positive). */
  alsoViolates: string[];
}

// ---------------------------------------------------------------- PVOG bulk feed extras

/**
 * What the Bereitstelldienst feed carries besides the world's objects (docs/upstreams/portal-pvog.md §3): Zuständigkeit
 * transfer objects that point nowhere (planted P-12 defects) and `loesche` entries for ids never written.
 */
export interface BulkFeedExtras {
  orphanResponsibilities: { id: string; leistungId: string; parentId: string; areaArs: string }[];
  /** `loesche` of Zuständigkeit ids the feed never wrote ("verwaiste Löschungen"). */
  orphanDeleteIds: string[];
}

// ---------------------------------------------------------------- the world

export interface WorldMeta {
  generatorVersion: number;
  referenceSource: string;
  leikaSource: string;
}

export interface World {
  seed: string;
  asOf: IsoDate; // reference day of all relative dates
  meta: WorldMeta;
  municipalities: WorldMunicipality[];
  districts: WorldDistrict[];
  verbaende: WorldVerband[];
  services: WorldService[];
  organisationUnits: OrganisationUnit[];
  responsibilities: Responsibility[];
  registrationOffices: RegistrationOffice[];
  onlineServices: OnlineService[];
  geo: { cswUrl: string; records: GeoRecord[]; ogcServices: OgcService[] };
  dvdv: DvdvWorld;
  bulkFeed: BulkFeedExtras;
  defects: PlantedDefect[];
}
