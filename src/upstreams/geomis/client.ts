import { createHash } from 'node:crypto';
import { chunk } from '../runtime/batch';
import { UpstreamError } from '../runtime/errors';
import { fetchPages } from '../runtime/paging';
import { mergeProvenance } from '../runtime/source';
import { assertNoOgcException } from '../../formats/ogc/exception';
import type { CallContext, Provenanced, UpstreamSource } from '../runtime/source';
import { xmlFromResponse, type XmlElement } from '../runtime/xml';
import type { UpstreamResponse } from '../runtime/http';
import {
  CswFormatError,
  ISO_OUTPUT_SCHEMA,
  getRecordByIdXml,
  getRecordsXml,
  nextStart,
  parseCapabilities,
  parseGetRecordById,
  parseGetRecords,
  queryablesOf,
  type CswCapabilities,
  type CswQuery,
  type CswSearchPage,
  type CswSort,
} from './csw';
import type { IsoRecord } from '../../formats/iso19139/iso19139';

/**
 * GeoMIS.Th CSW 2.0.2 client. The configured base URL is the CSW endpoint itself, so every request
 * goes to path '' (KVP GetCapabilities) or is POSTed there (GetRecords, GetRecordById). All calls
 * go through the UpstreamSource (cache, breaker, provenance); POST requests are cached under their
 * normalised body.
 */

/** GeoNetwork's default page cap; larger maxRecords are silently cut by many servers. */
export const CSW_MAX_RECORDS = 100;
/** Ids per GetRecordById request: keeps bodies and responses moderate. */
export const CSW_IDS_PER_REQUEST = 20;

export interface HarvestLimits {
  pageSize?: number;
  maxPages?: number;
  maxRecords?: number;
}

export interface HarvestResult {
  records: IsoRecord[];
  matched: number;
  pages: number;
  /** Why paging stopped: end (nextRecord 0), guard (inconsistent numbers), cap (limits reached). */
  stop: 'end' | 'guard' | 'cap';
}

function xmlOf(res: UpstreamResponse): XmlElement {
  const root = xmlFromResponse(res);
  assertNoOgcException(res, root);
  return root;
}

function parseWith<T>(res: UpstreamResponse, fn: (root: XmlElement) => T): T {
  const root = xmlOf(res);
  try {
    return fn(root);
  } catch (e) {
    if (e instanceof CswFormatError) {
      throw res.error('UPSTREAM_BAD_RESPONSE', { cause: e, internal: { reason: e.message } });
    }
    throw e;
  }
}

/** Cache key of a POST: the body is the normalised request; hashed to keep keys short. */
const bodyKey = (body: string) => createHash('sha256').update(body).digest('base64url');

const POST_HEADERS = { 'content-type': 'application/xml; charset=utf-8', accept: 'application/xml' };

export class GeomisClient {
  constructor(readonly source: UpstreamSource) {}

  capabilities(call: CallContext): Promise<Provenanced<CswCapabilities>> {
    return this.source.fetch(
      {
        operation: 'csw.capabilities',
        key: 'GetCapabilities',
        request: { path: '', query: { SERVICE: 'CSW', VERSION: '2.0.2', REQUEST: 'GetCapabilities' } },
        parse: (res) => parseWith(res, parseCapabilities),
      },
      call,
    );
  }

  /**
   * The outputSchema for ISO records, checked against what the server announces (a catalogue that
   * does not list gmd cannot be mapped, and asking anyway would get csw:Record back).
   */
  async isoOutputSchema(call: CallContext): Promise<string> {
    const caps = (await this.capabilities(call)).value;
    if (caps.getRecordsOutputSchemas.length > 0 && !caps.getRecordsOutputSchemas.includes(ISO_OUTPUT_SCHEMA)) {
      throw new UpstreamError({
        code: 'UPSTREAM_BAD_RESPONSE',
        upstream: this.source.name,
        message: `Upstream '${this.source.name}' does not offer the ISO 19139 output schema.`,
        internal: { reason: `outputSchemas: ${caps.getRecordsOutputSchemas.join(', ')}` },
      });
    }
    return ISO_OUTPUT_SCHEMA;
  }

  /**
   * Refuses, before sending, a filter on a queryable the catalogue does not announce (a server would
   * either reject it or silently ignore it and return too much). Servers listing no queryables are trusted.
   */
  private async checkQueryables(query: CswQuery, call: CallContext): Promise<void> {
    const announced = (await this.capabilities(call)).value.queryables.map((q) => q.replace(/^[\w-]+:/, '').toLowerCase());
    if (announced.length === 0) return;
    const missing = queryablesOf(query).filter((q) => !announced.includes(q.toLowerCase()));
    if (missing.length) {
      throw new UpstreamError({
        code: 'UPSTREAM_REJECTED',
        upstream: this.source.name,
        message: `Upstream '${this.source.name}' does not support searching by ${missing.join(', ')}.`,
        internal: { reason: `queryables not announced: ${missing.join(', ')}` },
      });
    }
  }

  async getRecords(
    query: CswQuery,
    opts: { startPosition: number; maxRecords: number; sort?: CswSort },
    call: CallContext,
  ): Promise<Provenanced<CswSearchPage>> {
    const outputSchema = await this.isoOutputSchema(call);
    await this.checkQueryables(query, call);
    const body = getRecordsXml({ query, startPosition: opts.startPosition, maxRecords: opts.maxRecords, sort: opts.sort, outputSchema });
    return this.source.fetch(
      {
        operation: 'csw.getRecords',
        key: bodyKey(body),
        freeText: Boolean(query.anyText || query.title || query.organisationName),
        request: { method: 'POST', path: '', body, headers: POST_HEADERS, idempotent: true },
        parse: (res) => parseWith(res, parseGetRecords),
      },
      call,
    );
  }

  /** Records by fileIdentifier, several per request; ids the catalogue does not know are absent. */
  async getRecordsById(ids: readonly string[], call: CallContext): Promise<Provenanced<IsoRecord[]>> {
    const unique = [...new Set(ids.map((i) => i.trim()).filter(Boolean))].sort();
    if (unique.length === 0) return { value: [], provenance: { source: this.source.name, fetchedAt: new Date(), stale: false } };
    const outputSchema = await this.isoOutputSchema(call);
    const parts = await Promise.all(
      chunk(unique, CSW_IDS_PER_REQUEST).map((ids) => {
        const body = getRecordByIdXml(ids, outputSchema);
        return this.source.fetch(
          {
            operation: 'csw.getRecordById',
            key: bodyKey(body),
            request: { method: 'POST', path: '', body, headers: POST_HEADERS, idempotent: true },
            parse: (res) => parseWith(res, parseGetRecordById),
          },
          call,
        );
      }),
    );
    return { value: parts.flatMap((p) => p.value), provenance: mergeProvenance(parts.map((p) => p.provenance)) };
  }

  /**
   * Every record matching `query`, page by page, following nextRecord with the guards of
   * docs/upstreams/geomis-csw.md §4; a record seen twice (a server re-sending an overlap) is kept once.
   */
  async harvest(query: CswQuery, limits: HarvestLimits, call: CallContext, sort?: CswSort): Promise<Provenanced<HarvestResult>> {
    const pageSize = Math.min(limits.pageSize ?? CSW_MAX_RECORDS, CSW_MAX_RECORDS);
    const maxPages = limits.maxPages ?? 50;
    const maxRecords = limits.maxRecords ?? 5000;
    const seen = new Map<string, IsoRecord>();
    let matched = 0;
    let guard = false;
    const r = await fetchPages<number, CswSearchPage>({
      start: 1,
      maxPages,
      fetch: (start) => this.getRecords(query, { startPosition: start, maxRecords: pageSize, sort }, call),
      next: (page, start) => {
        matched = page.matched;
        for (const rec of page.records) if (!seen.has(rec.fileIdentifier)) seen.set(rec.fileIdentifier, rec);
        const next = nextStart(page, start);
        if (next === null) guard = page.nextRecord !== 0;
        return next;
      },
      enough: () => seen.size >= maxRecords,
    });
    const stop: HarvestResult['stop'] = r.stop === 'end' ? (guard ? 'guard' : 'end') : 'cap';
    return {
      value: { records: [...seen.values()].slice(0, maxRecords), matched, pages: r.pages.length, stop },
      provenance: r.provenance,
    };
  }
}
