import { Counter } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';
import type { UpstreamResponse } from '../runtime/http';
import { XmlError } from '../runtime/xml';
import { parseBulkEnvelope } from '../../formats/xzufi/bulk';
import { XzufiError, parseXzufiMessage, type XzufiMessage, type XzufiOnlinedienst } from '../../formats/xzufi/xzufi';
import { isArs } from '../../reference/municipalities';

/**
 * ThAVEL catalogue pages → Onlinedienst entries. The XZuFi reader already skips entries it cannot read
 * (missing id, missing leistungID…); here we add the checks the merge relies on (valid ARS, resolvable
 * Leistung) and count every skip/warning, so one broken entry never hides its valid neighbours.
 */

export const skippedEntries = registeredMetric(
  'thuegate_thavel_catalogue_skipped_total',
  () =>
    new Counter({
      name: 'thuegate_thavel_catalogue_skipped_total',
      help: 'ThAVEL catalogue problems per fetched page: entry = malformed object skipped, area = invalid gebietID dropped',
      labelNames: ['kind'] as const,
      registers: [metricsRegistry],
    }),
);

export interface CatalogueWarning {
  element: string;
  id: string | null;
  reason: string;
}

/** One page as read: plain data (it may sit in the shared cache as JSON). */
export interface CataloguePage {
  index: number;
  next: number | null;
  complete: boolean;
  onlinedienste: XzufiOnlinedienst[];
  /** leistung id → LeiKa key (only well-formed ones; the reader skips others). */
  leistungen: Record<string, string | null>;
  deletedIds: string[];
  warnings: CatalogueWarning[];
}

export interface CatalogueEntry {
  id: string;
  title: string;
  titles: Record<string, string>;
  languages: string[];
  links: { url: string; title: string | null; typeCode: string | null; languageCode: string | null }[];
  trustLevel: { code: string; listURI: string | null } | null;
  leikaKeys: string[];
  /** Valid ARS (2/3/5/9/12 digits) as declared: a district form lists the district, not every member. */
  areas: string[];
  loginMethods: string[];
  payment: { required: boolean | null; methods: string[] };
  operatorUnitId: string | null;
  providerName: string | null;
  validFrom: string | null;
  validTo: string | null;
  lastUpdate: string | null;
}

export interface Catalogue {
  entries: CatalogueEntry[];
  deletedIds: string[];
  warnings: CatalogueWarning[];
}


function bad(res: UpstreamResponse, e: Error): never {
  throw res.error('UPSTREAM_BAD_RESPONSE', { cause: e, internal: { reason: `ThAVEL catalogue: ${e.message}` } });
}

/** Envelope (JSON) or a plain XZuFi 2.2 document at the catalogue URL — both are accepted (docs/upstreams/thavel.md §2). */
export function readCataloguePage(res: UpstreamResponse, index: number): CataloguePage {
  let message: XzufiMessage;
  let next: number | null = null;
  let complete = true;
  try {
    const type = res.headers['content-type'] ?? '';
    const body = res.text().trimStart();
    if (type.includes('xml') || body.startsWith('<')) {
      message = parseXzufiMessage(body);
    } else {
      const env = parseBulkEnvelope(res.json());
      message = parseXzufiMessage(env.xzufiObjekte);
      next = env.naechsterIndex;
      complete = env.vollstaendig;
    }
  } catch (e) {
    if (e instanceof XzufiError || e instanceof XmlError) bad(res, e);
    throw e;
  }
  const warnings: CatalogueWarning[] = message.skipped.map((s) => ({ element: s.element, id: null, reason: s.reason }));
  skippedEntries.inc({ kind: 'entry' }, message.skipped.length);
  const onlinedienste: XzufiOnlinedienst[] = [];
  const leistungen: Record<string, string | null> = {};
  for (const w of message.writes) {
    if (w.kind === 'leistung') leistungen[w.id] = w.leikaKey;
    if (w.kind !== 'onlinedienst') continue;
    let dropped = 0;
    const responsibilities = w.responsibilities.map((r) => ({
      leistungId: r.leistungId,
      areaIds: r.areaIds.filter((a) => {
        if (isArs(a)) return true;
        dropped++;
        warnings.push({ element: 'onlinedienst', id: w.id, reason: `gebietID ${JSON.stringify(a)} is not an ARS of 2, 3, 5, 9 or 12 digits` });
        return false;
      }),
    }));
    skippedEntries.inc({ kind: 'area' }, dropped);
    onlinedienste.push({ ...w, responsibilities });
  }
  return {
    index,
    next,
    complete,
    onlinedienste,
    leistungen,
    deletedIds: message.deletes.filter((d) => d.klasse === 'Onlinedienst').map((d) => d.id),
    warnings,
  };
}

const pickTitle = (names: Record<string, string>) => names.de ?? Object.values(names)[0] ?? '';

/** Joins pages: Leistung references anywhere in the read resolve to LeiKa keys; later pages win per id. */
export function resolveCatalogue(pages: CataloguePage[], knownLeistungen: Record<string, string | null> = {}): Catalogue {
  const leistungen: Record<string, string | null> = { ...knownLeistungen };
  for (const p of pages) Object.assign(leistungen, p.leistungen);
  const byId = new Map<string, CatalogueEntry>();
  const warnings = pages.flatMap((p) => p.warnings);
  const deletedIds: string[] = [];
  for (const p of pages) {
    for (const od of p.onlinedienste) {
      const keys = new Set<string>();
      for (const r of od.responsibilities) {
        const key = leistungen[r.leistungId];
        if (key) keys.add(key);
        else warnings.push({ element: 'onlinedienst', id: od.id, reason: `leistungID ${JSON.stringify(r.leistungId)} has no LeiKa key in the catalogue` });
      }
      byId.set(od.id, {
        id: od.id,
        title: pickTitle(od.names),
        titles: od.names,
        languages: Object.keys(od.names).sort(),
        links: od.links,
        trustLevel: od.trustLevel ? { code: od.trustLevel, listURI: od.trustLevelList } : null,
        leikaKeys: [...keys].sort(),
        areas: [...new Set(od.responsibilities.flatMap((r) => r.areaIds))].sort(),
        loginMethods: od.loginMethods,
        payment: { required: od.paymentRequired, methods: od.paymentMethods },
        operatorUnitId: od.operatorUnitId,
        providerName: od.providerName,
        validFrom: od.validFrom,
        validTo: od.validTo,
        lastUpdate: od.lastUpdate,
      });
    }
    for (const id of p.deletedIds) {
      byId.delete(id);
      deletedIds.push(id);
    }
  }
  return { entries: [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), deletedIds, warnings };
}

/** A full list updated by a delta: changed entries replace, deleted ones go. */
export function applyDelta(base: Catalogue, delta: Catalogue): Catalogue {
  const byId = new Map(base.entries.map((e) => [e.id, e]));
  for (const e of delta.entries) byId.set(e.id, e);
  for (const id of delta.deletedIds) byId.delete(id);
  return { entries: [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), deletedIds: [], warnings: delta.warnings };
}

/** Does a declared area cover a place? A district form (5 digits) covers each member municipality. */
export const areaCovers = (area: string, ars: string) => ars.startsWith(area) || area.startsWith(ars);
