import { chunk } from '../runtime/batch';
import { isUpstreamError } from '../runtime/errors';
import { createUpstreamClient, type UpstreamClient, type UpstreamClientConfig, type UpstreamRequest, type UpstreamResponse } from '../runtime/http';
import type { CallContext, Provenanced, UpstreamSource } from '../runtime/source';
import {
  DvdvShapeError,
  checkOrganization,
  checkService,
  decodeRfc2047,
  mapCategories,
  mapCategoryNames,
  mapOrganizationDescription,
  mapService,
  mapSpecificationUris,
  type CategoryDto,
  type OrganizationDto,
  type ServiceDto,
} from './mapper/directory';
import { list, obj } from './mapper/values';
import { DvdvTokenProvider, type DvdvCredentials } from './token';

export const DVDV_ENTRY_PATHS = ['intern/directory', 'extern/standaloneauth/directory', 'extern/bundesmasterauth/directory'] as const;
export type DvdvEntryPath = (typeof DVDV_ENTRY_PATHS)[number];
/** The API's documented `maxItems` for every batch body. */
export const DVDV_BATCH_MAX = 200;

const MIN = 60_000;
/** docs/upstreams/dvdv.md §6 [adopted]: categories/intermediaries 1 h, lookups 10 min, verifycategory 5 min; the cache caps all at 4 h. */
export const DVDV_TTL = { catalogue: 60 * MIN, lookup: 10 * MIN, verify: 5 * MIN } as const;

export interface DvdvDirectoryOptions {
  entryPath: DvdvEntryPath;
  /** Required for `extern/standaloneauth/directory`. */
  credentials?: DvdvCredentials;
}

export interface ServiceLookup {
  organizationKey: string;
  serviceUri: string;
}
export interface AuthorityLookup {
  organizationKey: string;
  category: string;
}

/** A findservicedescription answer: the valid service, or none with the directory's warning (204 + dvdv-warning-msg). */
export interface ServiceResult {
  service: ServiceDto | null;
  warning: string | null;
}

/**
 * Runs a mapper over a response: a value of an unexpected form, or an answer about another organisation or
 * service than asked, is UPSTREAM_BAD_RESPONSE naming dvdv and the field (`extensions.field`, `.reason`).
 */
const shape = <T>(res: UpstreamResponse, map: () => T): T => {
  try {
    return map();
  } catch (e) {
    if (!(e instanceof DvdvShapeError)) throw e;
    const what = e.reason === 'ANSWER_MISMATCH' ? 'answered about another entry than asked' : 'sent a value of an unexpected form';
    throw res.error('UPSTREAM_BAD_RESPONSE', {
      message: `Upstream 'dvdv' ${what}: field "${e.field}", expected ${e.expected}.`,
      extensions: { field: e.field, reason: e.reason },
      internal: { reason: e.message },
    });
  }
};

/**
 * A 404 of a lookup is the directory's "no such entry" only as its Problem document (`ENTITY_NOT_FOUND`, codes
 * 5004/5005/5009); any other 404 — a wrong entry path, a proxy's page — means the endpoint is not there.
 */
function directorySaysNone(res: UpstreamResponse): boolean {
  if (res.status === 204) return true;
  if (!/^application\/(problem\+)?json/i.test(res.headers['content-type'] ?? '')) return false;
  try {
    const type = res.json<{ type?: unknown } | null>()?.type;
    return typeof type === 'string' && /ENTITY_NOT_FOUND$/.test(type);
  } catch {
    return false;
  }
}

const endpointNotFound = (res: UpstreamResponse) =>
  res.error('UPSTREAM_ENDPOINT_NOT_FOUND', { internal: { reason: `HTTP ${res.status} without a directory Problem (ENTITY_NOT_FOUND): wrong base URL or entry path?` } });

/**
 * The DVDV2 directory functions a gateway needs, over the shared runtime (cache, retries, breaker,
 * typed errors). Single lookups use GET `?request_json=`; lists use the batch POST forms in chunks of ≤ 200.
 * With credentials every call carries `Authorization: EmbeddedBearer <token>`; a 401 renews the token once.
 */
export class DvdvDirectory {
  readonly tokens?: DvdvTokenProvider;

  constructor(
    readonly source: UpstreamSource,
    readonly options: DvdvDirectoryOptions,
  ) {
    if (options.entryPath === 'extern/standaloneauth/directory') {
      if (!options.credentials) throw new TypeError('DVDV entry path extern/standaloneauth/directory: expected client credentials (private key + certificate fingerprint)');
      this.tokens = new DvdvTokenProvider(source.client, options.credentials);
    }
  }

  private path(fn: string): string {
    return `/${this.options.entryPath}/v2/${fn}`;
  }

  /** Fetch through the cache with the token attached; on a 401 the token is renewed and the call made once more. */
  private async fetch<T>(call: { operation: string; key: string; request: UpstreamRequest; parse(res: UpstreamResponse): T; ttlMs: number }, ctx: CallContext): Promise<Provenanced<T>> {
    const attempt = async () => {
      const token = this.tokens ? await this.tokens.get(ctx.signal, ctx.deadline) : undefined;
      const headers = { accept: 'application/json', ...(token ? { authorization: `EmbeddedBearer ${token}` } : {}), ...call.request.headers };
      try {
        return await this.source.fetch({ operation: call.operation, key: call.key, request: { ...call.request, headers }, parse: call.parse, policy: { ttlMs: call.ttlMs } }, ctx);
      } catch (e) {
        if (token && isUpstreamError(e) && e.status === 401) {
          this.tokens!.invalidate(token);
          return undefined;
        }
        // A 404 the call did not expect (categories, batch forms…) is a missing endpoint, not a missing entry.
        if (isUpstreamError(e) && e.code === 'UPSTREAM_NOT_FOUND' && e.status === 404) throw e.reclassify('UPSTREAM_ENDPOINT_NOT_FOUND');
        throw e;
      }
    };
    return (await attempt()) ?? (await attempt())!;
  }

  private get<T>(fn: string, request: Record<string, unknown> | undefined, parse: (res: UpstreamResponse) => T, ttlMs: number, ctx: CallContext, acceptStatus?: number[]) {
    return this.fetch<T>(
      {
        operation: fn,
        key: request ? JSON.stringify(request) : '-',
        request: { path: this.path(fn), query: request ? { request_json: JSON.stringify(request) } : undefined, acceptStatus },
        parse,
        ttlMs,
      },
      ctx,
    );
  }

  /** Batch POST in chunks of ≤ 200; results in request order (null = no hit). */
  private async batch<R extends Record<string, unknown>, T>(fn: string, items: R[], map: (raw: unknown, path: string, asked: R) => T, ttlMs: number, ctx: CallContext): Promise<Provenanced<(T | null)[]>[]> {
    return Promise.all(
      chunk(items, DVDV_BATCH_MAX).map((part) =>
        this.fetch(
          {
            operation: `batch-${fn}`,
            key: JSON.stringify(part),
            request: { method: 'POST', path: this.path(`batch/${fn}`), json: part, idempotent: true },
            parse: (res) =>
              shape(res, () => {
                const body = res.json<unknown>();
                if (!Array.isArray(body) || body.length !== part.length) throw new DvdvShapeError(`batch/${fn}`, `an array of ${part.length} results`);
                return body.map((x, i) => (x === null ? null : map(x, `[${i}]`, part[i])));
              }),
            ttlMs,
          },
          ctx,
        ),
      ),
    );
  }

  categories(ctx: CallContext): Promise<Provenanced<CategoryDto[]>> {
    return this.get('categories', undefined, (res) => shape(res, () => mapCategories(res.json())), DVDV_TTL.catalogue, ctx);
  }

  /** findauthoritydescription: null on 204/404 (no organisation with that key in that category). */
  findAuthority(q: AuthorityLookup, ctx: CallContext): Promise<Provenanced<OrganizationDto | null>> {
    return this.get(
      'findauthoritydescription',
      { category: q.category, organizationKey: q.organizationKey },
      (res) => {
        if (res.status !== 200) {
          if (directorySaysNone(res)) return null;
          throw endpointNotFound(res);
        }
        return shape(res, () => checkOrganization(mapOrganizationDescription(res.json()), q));
      },
      DVDV_TTL.lookup,
      ctx,
      [204, 404],
    );
  }

  /** findauthoritydescriptions: every organisation carrying the key, whatever its category. */
  findAuthorities(organizationKey: string, ctx: CallContext): Promise<Provenanced<OrganizationDto[]>> {
    return this.get(
      'findauthoritydescriptions',
      { organizationKey },
      (res) =>
        shape(res, () =>
          (res.json() === null ? [] : list(res.json(), 'organizationDescriptions')).map((x, i) => checkOrganization(mapOrganizationDescription(x, `[${i}]`), { organizationKey }, `[${i}]`)),
        ),
      DVDV_TTL.lookup,
      ctx,
    );
  }

  findAuthoritiesBatch(qs: AuthorityLookup[], ctx: CallContext) {
    return this.batch(
      'findauthoritydescription',
      qs.map((q) => ({ category: q.category, organizationKey: q.organizationKey })),
      (x, path, asked) => checkOrganization(mapOrganizationDescription(x, path), asked, path),
      DVDV_TTL.lookup,
      ctx,
    );
  }

  /** findservicedescription: the currently valid service; 204 → none + decoded warning; 404 (5005) → none. */
  findService(q: ServiceLookup, ctx: CallContext): Promise<Provenanced<ServiceResult>> {
    return this.get(
      'findservicedescription',
      { organizationKey: q.organizationKey, serviceSpecificationUri: q.serviceUri },
      (res): ServiceResult => {
        if (res.status === 200) return { service: shape(res, () => checkService(mapService(res.json()), q)), warning: null };
        if (!directorySaysNone(res)) throw endpointNotFound(res);
        const w = res.headers['dvdv-warning-msg'];
        return { service: null, warning: w ? decodeRfc2047(w) : null };
      },
      DVDV_TTL.lookup,
      ctx,
      [204, 404],
    );
  }

  findServicesBatch(qs: ServiceLookup[], ctx: CallContext) {
    return this.batch(
      'findservicedescription',
      qs.map((q) => ({ organizationKey: q.organizationKey, serviceSpecificationUri: q.serviceUri })),
      (x, path, asked) => checkService(mapService(x, path), { serviceUri: asked.serviceSpecificationUri }, path),
      DVDV_TTL.lookup,
      ctx,
    );
  }

  /** findcategories: leaf categories of the key (optionally only those the certificate is registered for). */
  findCategories(q: { organizationKey: string; fingerprint?: string }, ctx: CallContext): Promise<Provenanced<string[]>> {
    return this.get(
      'findcategories',
      { organizationKey: q.organizationKey, ...(q.fingerprint ? { fingerPrint: q.fingerprint } : {}) },
      (res) => shape(res, () => mapCategoryNames(res.json() ?? [])),
      DVDV_TTL.lookup,
      ctx,
    );
  }

  findCategoriesBatch(qs: { organizationKey: string }[], ctx: CallContext) {
    return this.batch('findcategories', qs, (x, path) => mapCategoryNames(x, path), DVDV_TTL.lookup, ctx);
  }

  specificationUrisByCategory(category: string, ctx: CallContext): Promise<Provenanced<string[]>> {
    return this.get('findServiceSpecificationUrisByCategory', { category }, (res) => shape(res, () => mapSpecificationUris(res.json())), DVDV_TTL.catalogue, ctx);
  }

  specificationUrisByCategoryBatch(categories: string[], ctx: CallContext) {
    return this.batch('findServiceSpecificationUrisByCategory', categories.map((category) => ({ category })), (x, path) => mapSpecificationUris(x, path), DVDV_TTL.catalogue, ctx);
  }

  verifyCategory(q: { fingerprint: string; category: string }, ctx: CallContext): Promise<Provenanced<boolean>> {
    return this.get(
      'verifycategory',
      { fingerPrint: q.fingerprint, category: q.category },
      (res) => shape(res, () => verified(res.json(), 'verificationResult')),
      DVDV_TTL.verify,
      ctx,
    );
  }

  verifyCategoryBatch(qs: { fingerprint: string; category: string }[], ctx: CallContext) {
    return this.batch('verifycategory', qs.map((q) => ({ fingerPrint: q.fingerprint, category: q.category })), (x, path) => verified(x, path), DVDV_TTL.verify, ctx);
  }
}

/** `VerificationResult`: `{ verifyCategory: boolean }`. */
function verified(raw: unknown, path: string): boolean {
  const v = obj(raw, path).verifyCategory;
  if (typeof v !== 'boolean') throw new DvdvShapeError(`${path}.verifyCategory`, 'a boolean');
  return v;
}

/**
 * Several operator base URLs (Landesserver back each other up): requests go to the last one that
 * answered; connection failures, timeouts, 5xx and an open breaker move on to the next. 4xx answers
 * are the directory's verdict and are returned, not failed over.
 */
export function createDvdvFailoverClient(clients: UpstreamClient[]): UpstreamClient {
  if (!clients.length) throw new TypeError('DVDV failover: expected at least one base URL');
  if (clients.length === 1) return clients[0];
  let current = 0;
  const failsOver = (e: unknown) =>
    isUpstreamError(e) && (['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_CIRCUIT_OPEN', 'UPSTREAM_OVERLOADED'].includes(e.code) || (e.status ?? 0) >= 500);
  return {
    name: clients[0].name,
    production: clients[0].production,
    get baseUrl() {
      return clients[current].baseUrl;
    },
    async request(req) {
      let lastError: unknown;
      for (let i = 0; i < clients.length; i++) {
        const idx = (current + i) % clients.length;
        if (req.signal?.aborted || (req.deadline !== undefined && req.deadline <= Date.now())) break;
        try {
          const res = await clients[idx].request(req);
          current = idx;
          return res;
        } catch (e) {
          if (!failsOver(e)) throw e;
          lastError = e;
        }
      }
      throw lastError;
    },
    breakerState: () => clients[current].breakerState(),
    pathFor: (url) => clients.map((c) => c.pathFor(url)).find((p) => p !== undefined),
    close: async () => void (await Promise.all(clients.map((c) => c.close()))),
  };
}

/** One runtime client per operator base URL behind the failover (for `createUpstreamSources`). */
export function createDvdvUpstreamClient(baseUrls: readonly string[], settings: Omit<UpstreamClientConfig, 'baseUrl' | 'name'>): UpstreamClient {
  return createDvdvFailoverClient(baseUrls.map((baseUrl) => createUpstreamClient({ ...settings, name: 'dvdv', baseUrl })));
}
