import type { IsoRecord } from '../formats/iso19139/iso19139';
import type { OrganizationDto } from '../upstreams/dvdv/mapper/directory';
import type { OgcCapabilities } from '../upstreams/geoproxy/capabilities';
import type { GeoproxyServiceConfig } from '../upstreams/geoproxy/config';
import type { FeedOrphans } from '../formats/xzufi/bulk';
import type { OnlineServiceDto, ServiceSummary, UnitDetail, UnitTitle } from '../upstreams/pvog/mapper';
import type { CatalogueEntry } from '../upstreams/thavel/mapper';

/**
 * What a snapshot stores per upstream item: the adapter's own DTO, wrapped with the place it was asked for
 * where the upstream answers per place. Item keys (stable identities) are given beside each type.
 */

/**
 * `service:<ars>:<lbId>` — a Leistung PVOG lists at the municipality; `online:<ars>:<id>` — an online service PVOG lists
 * there; `responsibility:<ars>:<lbId>` — the units and their roles for that Leistung there; `unit:<unitId>` — one
 * Organisationseinheit; `feed:orphans` — what of the bulk feed points nowhere (only a bulk-feed harvest writes it).
 */
export type PvogItem =
  | { kind: 'service'; ars: string; service: ServiceSummary }
  | { kind: 'online'; ars: string; onlineService: OnlineServiceDto }
  | { kind: 'responsibility'; ars: string; lbId: string; units: UnitTitle[] }
  | { kind: 'unit'; unit: UnitDetail }
  | { kind: 'feed-orphans'; orphans: FeedOrphans };

/** `entry:<id>` — one Onlinedienst of the ThAVEL catalogue (Leistung references resolved to LeiKa keys). */
export type ThavelItem = CatalogueEntry;

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

export interface HarvestItemTypes {
  pvog: PvogItem;
  thavel: ThavelItem;
  geomis: GeomisItem;
  geoproxy: GeoproxyItem;
  dvdv: DvdvItem;
}

export const itemKey = {
  service: (ars: string, id: string) => `service:${ars}:${id}`,
  online: (ars: string, id: string) => `online:${ars}:${id}`,
  responsibility: (ars: string, lbId: string) => `responsibility:${ars}:${lbId}`,
  unit: (id: string) => `unit:${id}`,
  feedOrphans: () => 'feed:orphans',
  entry: (id: string) => `entry:${id}`,
  record: (id: string) => `record:${id}`,
  capabilities: (name: string) => `capabilities:${name}`,
  org: (ags: string, id: string) => `org:${ags}:${id}`,
} as const;
