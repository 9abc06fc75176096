import type { FeedOrphans } from '../formats/xzufi/bulk';
import type { MunicipalityRecord } from '../reference/municipalities';
import type { IsoRecord } from '../formats/iso19139/iso19139';
import type { OgcCapabilities, OgcKind } from '../upstreams/geoproxy/capabilities';
import type { CategoryDto, OrganizationDto, ServiceDto } from '../upstreams/dvdv/mapper/directory';
import type { ServiceDetail, ServiceSummary, UnitDetail, UnitTitle } from '../upstreams/pvog/mapper';
import type { Catalogue } from '../upstreams/thavel/mapper';
import type { UpstreamName } from '../upstreams/runtime/names';

/**
 * Everything the conformance rules look at, as plain JSON made of the adapters' own DTOs. A producer fills it:
 * `collectFromUpstreams` (./collect.ts) asks the configured upstreams through the adapter clients; a producer
 * over a stored harvest snapshot only has to map the snapshot's DTO files into the same shape. Rules never do
 * I/O on this (the optional live probes of ./probes.ts are separate and allow-listed).
 */
export interface ConformanceInput {
  /** When the data was collected (ISO 8601 instant). */
  collectedAt: string;
  /**
   * The instant time-dependent rules measure against (certificate expiry, DVDV age): the collection time for real
   * upstreams, the sandbox world's reference date when the DVDV data comes from the sandbox.
   */
  asOf: string;
  /** Base URL(s) per upstream the data came from (coupling rules recognise Geoproxy/GeoMIS URLs by them). */
  upstreamUrls: Partial<Record<UpstreamName, string[]>>;
  /**
   * URL prefixes the documents use for a configured upstream and the base they stand for: none against real
   * upstreams (their documents name the configured hosts); the sandbox world's canonical origins in embedded mode.
   */
  urlAliases: { upstream: UpstreamName; from: string; to: string }[];
  /** The reference register (Destatis GV-ISys) in scope. */
  municipalities: MunicipalityRecord[];
  pvog: PvogInput;
  thavel: { catalogue: Catalogue } | null;
  geomis: { records: IsoRecord[] } | null;
  geoproxy: { services: GeoproxyServiceInput[] } | null;
  dvdv: DvdvInput | null;
  /** What could not be collected: rules over that part report `not-evaluated` rather than passing. */
  gaps: { upstream: UpstreamName; what: string; error: string }[];
  /** Which data the findings rest on: a harvest snapshot (and which) or live upstream reads — stated in every report. */
  basis?: ConformanceBasis;
}

export interface ConformanceBasis {
  source: 'snapshot' | 'live';
  /** The harvest snapshot read (src/harvest/), null for a live collection. */
  snapshotId: number | null;
  /** When that snapshot was completed (ISO 8601): the "as of" of every finding over snapshot data. */
  snapshotFinishedAt: string | null;
  /** When each upstream was last harvested into that snapshot. */
  harvestedAt: Partial<Record<UpstreamName, string>>;
  /** What was read live because the snapshot does not hold it (or everything, for a live collection). */
  live: string[];
}

export interface PvogInput {
  /** `/v7/servicedescriptions/{ars}` per municipality ARS. */
  servicesByArs: { ars: string; services: ServiceSummary[] }[];
  /** `/v2/organisationunits/titles` per (ARS, Leistung): the units and their roles there. */
  unitsByService: { ars: string; lbId: string; leikaKey: string | null; units: UnitTitle[] }[];
  /** `/v6/…/detail`, once per Leistung (at the first place it is offered): text modules. */
  details: ServiceDetail[];
  /** `/v5/organisationunits/detail` of every unit seen above. */
  units: UnitDetail[];
  /** What of the Bereitstelldienst bulk feed points nowhere (P-12); absent when PVOG was not read from the feed. */
  feedOrphans?: FeedOrphans;
}

export interface GeoproxyServiceInput {
  name: string;
  kind: OgcKind;
  version: string;
  /** The GetCapabilities URL the data came from. */
  url: string;
  capabilities: OgcCapabilities | null;
  /** Why there are no capabilities (401/403 protected, upstream error). */
  error: string | null;
  protected: boolean;
}

export interface DvdvInput {
  /** When the directory was read (ISO 8601): D-7 measures the age of DVDV data by it. */
  retrievedAt: string;
  categories: CategoryDto[];
  /** `findauthoritydescription(category, key)` for every key the reviewed mapping expects; null = not found. */
  authorities: { category: string; organizationKey: string; leikaKeys: string[]; ars: string[]; organization: OrganizationDto | null }[];
  /** `findservicedescription(key, uri)` per organisation found (by its first key) and expected specification URI. */
  services: { organizationKey: string; serviceUri: string; service: ServiceDto | null; warning: string | null }[];
}
