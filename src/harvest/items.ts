import type { IsoRecord } from '../formats/iso19139/iso19139';
import type { CategoryDto, OrganizationDto, ServiceDto } from '../upstreams/dvdv/mapper/directory';
import type { OgcCapabilities } from '../upstreams/geoproxy/capabilities';
import type { GeoproxyServiceConfig } from '../upstreams/geoproxy/config';
import type { FeedOrphans } from '../formats/xzufi/bulk';
import type { OnlineServiceDto, ServiceDetail, ServiceSummary, UnitDetail, UnitTitle } from '../upstreams/pvog/mapper';
import type { CatalogueEntry, CatalogueWarning } from '../upstreams/thavel/mapper';

/**
 * What a snapshot stores per upstream item: the adapter's own DTO, wrapped with the place it was asked for
 * where the upstream answers per place. Item keys (stable identities) are given beside each type.
 */

/**
 * `service:<ars>:<lbId>` — a Leistung PVOG lists at the municipality; `online:<ars>:<id>` — an online service PVOG lists
 * there; `responsibility:<ars>:<lbId>` — the Organisationseinheiten PVOG names for the Leistung there (titles endpoint,
 * possibly none); `detail:<ars>:<lbId>` — the Leistung's description at the place (`/v6/…/detail`; per-ARS harvest
 * only: the bulk feed carries no Suchdienst description); `unit:<unitId>` — one Organisationseinheit
 * (`/v5/organisationunits/detail` without `ars`/`lbId`, as the live loader asks; from the feed: name and address only);
 * `feed:orphans` — what of the bulk feed points nowhere (only a bulk-feed harvest writes it, src/harvest/pvog-bulk.ts).
 */
export type PvogItem =
  | { kind: 'service'; ars: string; service: ServiceSummary }
  | { kind: 'online'; ars: string; onlineService: OnlineServiceDto }
  | { kind: 'responsibility'; ars: string; lbId: string; units: UnitTitle[] }
  | { kind: 'detail'; ars: string; lbId: string; detail: ServiceDetail }
  | { kind: 'unit'; unit: UnitDetail }
  | { kind: 'feed-orphans'; orphans: FeedOrphans };

/**
 * `entry:<id>` — one Onlinedienst of the ThAVEL catalogue (Leistung references resolved to LeiKa keys);
 * `warnings:<id>` — what the catalogue reader dropped from that Onlinedienst (malformed areas, Leistung references
 * without a LeiKa key), present only when there is something; `catalogue-warnings` — warnings about
 * no single Onlinedienst (elements the reader skipped, e.g. a Leistung with a malformed referenzLeiKa). The conformance
 * rules P-1/P-5 read them from the snapshot (src/conformance/from-snapshot.ts).
 */
export type ThavelItem = CatalogueEntry | ThavelWarningsItem;

export interface ThavelWarningsItem {
  warnings: CatalogueWarning[];
}

/** Item key prefixes of the ThAVEL upstream: entries are what loaders and facts read; warnings feed conformance only. */
export const THAVEL_PREFIX = { entry: 'entry:', warnings: 'warnings:', catalogueWarnings: 'catalogue-warnings' } as const;

/** `record:<fileIdentifier>` — one ISO 19139 record of GeoMIS.Th. */
export type GeomisItem = IsoRecord;

/** `capabilities:<service name>` — the capabilities of one configured Geoproxy service. */
export interface GeoproxyItem {
  service: GeoproxyServiceConfig;
  capabilities: OgcCapabilities;
}

/**
 * `org:<ags>:<id>` — a DVDV organisation carrying the municipality's key `ags:<ags>`. For conformance checks
 * only: live DVDV answers are never served from a snapshot (4-hour limit, BSI TR-03132).
 */
export interface DvdvItem {
  ags: string;
  organizationKey: string;
  organization: OrganizationDto;
}

/**
 * The directory lookups the conformance D-rules read (src/conformance/collect.ts `dvdvFromSnapshot`), harvested per
 * district (unit `dvdv:<Kreis-ARS>`) for every key the reviewed mapping (src/conformance/dvdv-mapping.ts) can expect
 * there, whether or not PVOG offers the Leistung today — so the snapshot answers whatever the PVOG listings ask:
 * `authority:<Kreis-ARS>:<category>|<key>` — `findauthoritydescription(category, key)` (organization null = not found);
 * `lookup-service:<Kreis-ARS>:<key>|<uri>` — `findservicedescription(key, uri)` of each organisation found (by its
 * first key) and specification URI of its category's mapping entries; `categories` — `/categories` (unit `dvdv:categories`).
 * No retrieval time in the payloads (unchanged answers are not written again): the DVDV phase's `harvestedAt`
 * (snapshot counts) is when they were read. Conformance only, like `org:` (4-hour limit, BSI TR-03132).
 */
export type DvdvLookupItem =
  | { kind: 'categories'; categories: CategoryDto[] }
  | { kind: 'authority'; category: string; organizationKey: string; organization: OrganizationDto | null }
  | { kind: 'service'; organizationKey: string; serviceUri: string; service: ServiceDto | null; warning: string | null };

/** Item key prefixes of the DVDV upstream. */
export const DVDV_PREFIX = { org: 'org:', categories: 'categories', authority: 'authority:', service: 'lookup-service:' } as const;

export interface HarvestItemTypes {
  pvog: PvogItem;
  thavel: ThavelItem;
  geomis: GeomisItem;
  geoproxy: GeoproxyItem;
  dvdv: DvdvItem | DvdvLookupItem;
}

export const itemKey = {
  service: (ars: string, id: string) => `service:${ars}:${id}`,
  online: (ars: string, id: string) => `online:${ars}:${id}`,
  responsibility: (ars: string, lbId: string) => `responsibility:${ars}:${lbId}`,
  detail: (ars: string, lbId: string) => `detail:${ars}:${lbId}`,
  unit: (id: string) => `unit:${id}`,
  feedOrphans: () => 'feed:orphans',
  entry: (id: string) => `entry:${id}`,
  warnings: (id: string) => `warnings:${id}`,
  record: (id: string) => `record:${id}`,
  capabilities: (name: string) => `capabilities:${name}`,
  org: (ags: string, id: string) => `org:${ags}:${id}`,
  authority: (districtArs: string, category: string, key: string) => `authority:${districtArs}:${category}|${key}`,
  lookupService: (districtArs: string, key: string, uri: string) => `lookup-service:${districtArs}:${key}|${uri}`,
} as const;
