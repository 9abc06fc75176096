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
  pageProblem,
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
    const supports = await this.queryableSupport(call);
    const missing = queryablesOf(query).filter((q) => !supports(q));
    if (missing.length) throw this.unsupported(missing);
  }

  /** Whether the catalogue announces a queryable (name without prefix); a catalogue announcing none is trusted. */
  async queryableSupport(call: CallContext): Promise<(queryable: string) => boolean> {
    const announced = new Set((await this.capabilities(call)).value.queryables.map((q) => q.replace(/^[\w-]+:/, '').toLowerCase()));
    return (q) => announced.size === 0 || announced.has(q.toLowerCase());
  }

  private unsupported(missing: string[]): UpstreamError {
    return new UpstreamError({
      code: 'UPSTREAM_REJECTED',
      upstream: this.source.name,
      message: `Upstream '${this.source.name}' does not support searching by ${missing.join(', ')}.`,
      extensions: { reason: 'QUERYABLE_NOT_SUPPORTED', missing: missing.join(',') },
      internal: { reason: `queryables not announced: ${missing.join(', ')}` },
    });
  }

  /**
   * Records whose fileIdentifier or resource identifier is one of `ids`, by the best way the catalogue
   * offers. apiso:ResourceIdentifier is optional in practice (pycsw does not announce it), so without
   * it: apiso:Identifier for fileIdentifiers, AnyText for the identifier text (matches are then checked
   * exactly), and GetRecordById (an operatesOn uuidref is often a fileIdentifier). Only when no way can
   * find a resource identifier is that reported, naming the missing queryables.
   */
  async findByIdentifiers(ids: readonly string[], call: CallContext): Promise<Provenanced<IsoRecord[]>> {
    const wanted = [...new Set(ids.map((i) => i.trim()).filter(Boolean))];
    const limits = { pageSize: CSW_MAX_RECORDS, maxPages: 5 };
    const supports = await this.queryableSupport(call);
    if (supports('ResourceIdentifier') && supports('Identifier')) {
      const r = await this.harvest({ identifiers: wanted }, limits, call);
      return { value: r.value.records, provenance: r.provenance };
    }
    const hits = (recs: IsoRecord[]) =>
      recs.filter((r) => wanted.includes(r.fileIdentifier) || r.resourceIdentifiers.some((ri) => wanted.includes(ri.code)));
    const found = new Map<string, IsoRecord>();
    const provenance: Provenanced<unknown>['provenance'][] = [];
    const add = (recs: IsoRecord[]) => hits(recs).forEach((r) => found.set(r.fileIdentifier, r));
    const resolved = (id: string) => [...found.values()].some((r) => r.fileIdentifier === id || r.resourceIdentifiers.some((ri) => ri.code === id));

    const alternatives: CswQuery[] = [];
    if (supports('ResourceIdentifier')) alternatives.push({ resourceIdentifiers: wanted });
    if (supports('Identifier')) alternatives.push({ fileIdentifiers: wanted });
    const anyText = supports('AnyText');
    if (anyText) alternatives.push(...wanted.map((id) => ({ anyText: id })));
    if (alternatives.length) {
      const r = await this.harvest({ anyOf: alternatives }, limits, call);
      add(r.value.records);
      provenance.push(r.provenance);
    }
    const open = wanted.filter((id) => !resolved(id));
    if (open.length && this.operationSupported('GetRecordById', (await this.capabilities(call)).value)) {
      const r = await this.getRecordsById(open, call);
      add(r.value);
      provenance.push(r.provenance);
    }
    const missing = wanted.filter((id) => !resolved(id));
    // Without ResourceIdentifier and AnyText a resource identifier cannot be searched at all: say so.
    if (missing.length && !supports('ResourceIdentifier') && !anyText) throw this.unsupported(['ResourceIdentifier', 'AnyText']);
    return { value: [...found.values()], provenance: provenance.length ? mergeProvenance(provenance) : { source: this.source.name, fetchedAt: new Date(), stale: false } };
  }

  /**
   * Service records whose operatesOn names one of `ids`: apiso:OperatesOn when announced, else AnyText
   * over the ids (the caller checks the operatesOn entries exactly), else an error naming both.
   */
  async servicesOperatingOn(ids: readonly string[], call: CallContext): Promise<Provenanced<IsoRecord[]>> {
    const supports = await this.queryableSupport(call);
    const limits = { pageSize: CSW_MAX_RECORDS, maxPages: 10 };
    let query: CswQuery;
    if (supports('OperatesOn')) query = { types: ['service'], operatesOn: [...ids] };
    else if (supports('AnyText')) query = { ...(supports('Type') ? { types: ['service'] as CswQuery['types'] } : {}), anyOf: ids.map((id) => ({ anyText: id })) };
    else throw this.unsupported(['OperatesOn', 'AnyText']);
    const r = await this.harvest(query, limits, call);
    return { value: r.value.records, provenance: r.provenance };
  }

  private operationSupported(name: string, caps: CswCapabilities): boolean {
    return caps.operations.length === 0 || caps.operations.includes(name);
  }

  async getRecords(
    query: CswQuery,
    opts: {
      startPosition: number;
      maxRecords: number;
      sort?: CswSort;
      /** Harvest pages: an empty page ends paging by the nextRecord guards instead of failing. */
      tolerateEmptyPage?: boolean;
    },
    call: CallContext,
  ): Promise<Provenanced<CswSearchPage>> {
    const outputSchema = await this.isoOutputSchema(call);
    await this.checkQueryables(query, call);
    const body = getRecordsXml({ query, startPosition: opts.startPosition, maxRecords: opts.maxRecords, sort: opts.sort, outputSchema });
    return this.source.fetch(
      {
        operation: 'csw.getRecords',
        // The page check is part of parsing, so a tolerated page is cached apart from a checked one.
        key: bodyKey(body) + (opts.tolerateEmptyPage ? ':tolerant' : ''),
        freeText: Boolean(query.anyText || query.title || query.organisationName),
        request: { method: 'POST', path: '', body, headers: POST_HEADERS, idempotent: true },
        parse: (res) => {
          const page = parseWith(res, parseGetRecords);
          // A page that cannot be followed is an upstream fault, not data (and is never cached).
          const problem = pageProblem(page, { outputSchema, startPosition: opts.startPosition, maxRecords: opts.maxRecords });
          if (problem && !(opts.tolerateEmptyPage && problem.reason === 'EMPTY_PAGE')) {
            throw res.error('UPSTREAM_BAD_RESPONSE', {
              message: `Upstream '${this.source.name}' sent a GetRecords page that cannot be used (${problem.reason}).`,
              extensions: { reason: problem.reason, totalCount: page.matched },
              internal: { reason: problem.detail },
            });
          }
          return page;
        },
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
      fetch: (start) => this.getRecords(query, { startPosition: start, maxRecords: pageSize, sort, tolerateEmptyPage: true }, call),
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
