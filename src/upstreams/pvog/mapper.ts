import type { UpstreamResponse } from '../runtime/http';
import { htmlToText } from './html';

/**
 * PVOG Suchdienst JSON → our DTOs. Field names as listed in docs/upstreams/portal-pvog.md ([third-party]/[published]);
 * where the sources name a response but not its inner fields, the field names chosen here are marked
 * [sandbox] — the adapter and the sandbox agree on them, and they must be checked against the live
 * OpenAPI (`/v3/api-docs/suchen`) before production use. Every parser returns plain JSON (it is cached).
 */

export interface OnlineServiceLink {
  title: string;
  url: string;
}

export interface ServiceSummary {
  id: string; // PVOG Leistungs-ID (lbId)
  leikaKey: string | null;
  /** Plain text: PVOG names may carry markup; it is taken out once here, not on every request that lists the service. */
  name: string;
  lastUpdate: string | null;
  onlineServiceLinks: OnlineServiceLink[];
}

export interface TextModuleDto {
  code: string; // LeiKa text-module code, e.g. "05"
  kind: string | null; // code-list name, e.g. "kurztext"
  languageCode: string;
  html: string; // raw upstream HTML: sanitise before output
}

export interface ServiceDetail extends ServiceSummary {
  validFrom: string | null;
  textModules: TextModuleDto[];
  fees: { description: string; amount: number | null; currency: string | null }[];
  deadlines: { description: string }[];
  processingTime: { description: string | null; min: number | null; max: number | null; unit: string | null } | null;
  legalBasis: string[];
  forms: { title: string; url: string }[];
  writtenFormRequired: boolean | null;
  release: { date: string | null; by: string | null } | null;
  organisations: UnitTitle[];
}

export interface UnitRole {
  code: string; // "01" Zuständige Stelle, "02" Ansprechpunkt, "03" …
  name: string | null;
}

export interface UnitTitle {
  id: string;
  title: string;
  role: UnitRole | null;
}

export interface AddressDto {
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  city: string | null;
  ars: string | null;
  ags: string | null;
}

export interface UnitDetail {
  id: string;
  name: string;
  shortName: string | null;
  languages: string[];
  lastUpdate: string | null;
  addresses: AddressDto[];
  openingHours: { day: string; opens: string; closes: string }[];
  openingHoursNote: string | null;
  contact: { phone: string | null; fax: string | null; email: string | null; website: string | null };
  role: UnitRole | null;
}

export interface Location {
  ars: string;
  ags: string | null;
  name: string;
  postalCode: string | null;
}

export interface OnlineServiceDto {
  id: string;
  name: string;
  links: OnlineServiceLink[];
  leikaKeys: string[];
}

export interface SpringPage<T> {
  items: T[];
  totalElements: number;
  totalPages: number;
}

export interface OnlineServicesPage {
  items: OnlineServiceDto[];
  totalHits: number;
  nextPageToken: string | null;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A response whose shape we cannot read is the upstream's fault: UPSTREAM_BAD_RESPONSE naming pvog. */
function shapeError(res: UpstreamResponse, what: string): never {
  throw res.error('UPSTREAM_BAD_RESPONSE', { internal: { reason: `unexpected ${what} shape` } });
}

function link(v: unknown): OnlineServiceLink | null {
  if (!isObj(v)) return null;
  const url = str(v.uri) ?? str(v.url);
  return url ? { title: str(v.title) ?? url, url } : null;
}

function summary(v: unknown): ServiceSummary | null {
  if (!isObj(v) || !str(v.id)) return null;
  return {
    id: str(v.id)!,
    leikaKey: str(v.leikaId), // [sandbox] name of the LeiKa field
    name: htmlToText(str(v.name) ?? ''),
    lastUpdate: str(v.lastUpdate),
    onlineServiceLinks: arr(v.onlineServiceLinks).map(link).filter((l): l is OnlineServiceLink => l !== null),
  };
}

function role(v: unknown): UnitRole | null {
  return isObj(v) && str(v.code) ? { code: str(v.code)!, name: str(v.name) } : null;
}

function unitTitle(v: unknown): UnitTitle | null {
  if (!isObj(v) || !str(v.id)) return null;
  return { id: str(v.id)!, title: str(v.title) ?? '', role: role(v.role) };
}

function body(res: UpstreamResponse): unknown {
  return res.json();
}

/** Spring-Data page (`content[]`, `totalElements`, `totalPages`) of service summaries. */
export function parseServicePage(res: UpstreamResponse): SpringPage<ServiceSummary> {
  const b = body(res);
  if (!isObj(b) || !Array.isArray(b.content)) shapeError(res, 'servicedescriptions page');
  const items = b.content.map(summary).filter((s): s is ServiceSummary => s !== null);
  const totalElements = num(b.totalElements) ?? items.length;
  return { items, totalElements, totalPages: num(b.totalPages) ?? 1 };
}

export function parseServiceDetail(res: UpstreamResponse): ServiceDetail {
  const b = body(res);
  const base = summary(b);
  if (!base || !isObj(b)) shapeError(res, 'service detail');
  const pt = isObj(b.processingTime) ? b.processingTime : null;
  const rel = isObj(b.release) ? b.release : null;
  return {
    ...base,
    validFrom: str(b.validFrom),
    textModules: arr(b.details).flatMap((d): TextModuleDto[] => {
      if (!isObj(d) || typeof d.text !== 'string') return [];
      const type = isObj(d.type) ? d.type : {};
      const code = str(type.code);
      return code ? [{ code, kind: str(type.name), languageCode: str(d.languageCode) ?? 'de', html: d.text }] : [];
    }),
    fees: arr(b.costs).flatMap((c) => (isObj(c) && str(c.description) !== null ? [{ description: str(c.description)!, amount: num(c.amount), currency: str(c.currency) }] : [])),
    deadlines: arr(b.deadlines).flatMap((d) => (isObj(d) && str(d.description) ? [{ description: str(d.description)! }] : [])),
    processingTime: pt ? { description: str(pt.description), min: num(pt.min), max: num(pt.max), unit: str(pt.unit) } : null,
    legalBasis: arr(b.legalBases).flatMap((l) => (isObj(l) && str(l.title) ? [str(l.title)!] : [])),
    forms: arr(b.forms).flatMap((f) => {
      const l = link(f);
      return l ? [l] : [];
    }),
    writtenFormRequired: typeof b.writtenFormRequired === 'boolean' ? b.writtenFormRequired : null,
    release: rel ? { date: str(rel.date), by: str(rel.by) } : null,
    organisations: arr(b.organisations).map(unitTitle).filter((u): u is UnitTitle => u !== null),
  };
}

export function parseUnitTitles(res: UpstreamResponse): UnitTitle[] {
  const b = body(res);
  if (!Array.isArray(b)) shapeError(res, 'organisationunits titles');
  return b.map(unitTitle).filter((u): u is UnitTitle => u !== null);
}

const CHANNELS: Record<string, keyof UnitDetail['contact']> = { TELEFON: 'phone', PHONE: 'phone', FAX: 'fax', EMAIL: 'email', WEB: 'website', URL: 'website' };

/** `/v5/organisationunits/detail`: top-level fields as in the published sample; inner fields [sandbox]. */
export function parseUnitDetail(res: UpstreamResponse): UnitDetail | null {
  if (res.status === 404) return null;
  const b = body(res);
  if (!isObj(b) || !str(b.id) || typeof b.title !== 'string') shapeError(res, 'organisationunit detail');
  const locations = arr(b.location).filter(isObj);
  const contact: UnitDetail['contact'] = { phone: null, fax: null, email: null, website: null };
  for (const c of arr(b.communicationSystems)) {
    if (!isObj(c)) continue;
    const key = CHANNELS[String(c.channel ?? '').toUpperCase()];
    if (key && contact[key] === null) contact[key] = str(c.value);
  }
  const first = locations[0] ?? {};
  return {
    id: str(b.id)!,
    name: b.title,
    shortName: str(b.shortTitle),
    languages: arr(b.languages).map(str).filter((l): l is string => l !== null),
    lastUpdate: str(b.lastUpdate),
    addresses: locations.flatMap((l) => {
      const a = isObj(l.address) ? l.address : null;
      return a ? [{ street: str(a.street), houseNumber: str(a.houseNumber), postalCode: str(a.zipCode), city: str(a.city), ars: str(a.ars), ags: str(a.ags) }] : [];
    }),
    openingHours: arr(first.openingHours).flatMap((h) =>
      isObj(h) && str(h.day) && str(h.from) && str(h.to) ? [{ day: str(h.day)!, opens: str(h.from)!, closes: str(h.to)! }] : [],
    ),
    openingHoursNote: str(first.openingHoursNote) ?? str(b.additionalInformation),
    contact,
    role: role(b.role),
  };
}

export function parseLocations(res: UpstreamResponse): Location[] {
  const b = body(res);
  if (!Array.isArray(b)) shapeError(res, 'locations');
  return b.flatMap((l) => (isObj(l) && str(l.ars) ? [{ ars: str(l.ars)!, ags: str(l.ags), name: str(l.name) ?? '', postalCode: str(l.zip) }] : []));
}

/** `/v1beta2/onlineservices`: note the lowercase `onlineservices` array. */
export function parseOnlineServicesPage(res: UpstreamResponse): OnlineServicesPage {
  const b = body(res);
  if (!isObj(b) || !Array.isArray(b.onlineservices)) shapeError(res, 'onlineservices page');
  return {
    totalHits: num(b.totalHits) ?? b.onlineservices.length,
    nextPageToken: str(b.nextPageToken) || null,
    items: b.onlineservices.flatMap((o) =>
      isObj(o) && str(o.id)
        ? [
            {
              id: str(o.id)!,
              name: str(o.name) ?? '',
              links: arr(o.links).map(link).filter((l): l is OnlineServiceLink => l !== null),
              leikaKeys: arr(o.serviceDescriptions).flatMap((d) => (isObj(d) && str(d.leikaId) ? [str(d.leikaId)!] : [])),
            },
          ]
        : [],
    ),
  };
}
