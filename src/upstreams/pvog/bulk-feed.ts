import { UpstreamError, type UpstreamErrorCode } from '../runtime/errors';
import { recordOutcome } from '../runtime/metrics';
import type { CallContext } from '../runtime/source';
import type { PvogBulkConfig } from './config';

/**
 * Where the harvester reads the Bereitstelldienst feed page by page (docs/upstreams/portal-pvog.md §3): the raw JSON
 * envelope of the page at `index` (src/formats/xzufi/bulk.ts reads it).
 */
export interface BulkFeed {
  /** Recorded in the snapshot as the base URL the PVOG items came from. */
  readonly url: string;
  page(index: number, call: CallContext): Promise<unknown>;
}

/** The feed covers Thüringen: `ars=16` (the demo feed takes `%` for all of Germany). */
export const BULK_FEED_ARS = '16';

/**
 * The feed on its own host (production: a separate Bereitstelldienst host). With OAuth2 configured, a
 * client_credentials token is fetched from the token endpoint and sent as `Authorization: <token_type> <token>`
 * (portal-pvog.md §1, Keycloak in the demo); it is reused until shortly before `expires_in` and fetched again once
 * after a 401. Requests go only to the configured feed URL and token URL, never to `naechsteAnfrageUrl`.
 */
export class HttpBulkFeed implements BulkFeed {
  private token?: { value: string; until: number };

  constructor(
    private readonly cfg: Extract<PvogBulkConfig, { kind: 'url' }>,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  get url(): string {
    return this.cfg.url;
  }

  async page(index: number, call: CallContext): Promise<unknown> {
    const u = new URL(this.cfg.url);
    u.searchParams.set('index', String(index));
    u.searchParams.set('ars', BULK_FEED_ARS);
    let res = await this.get(u, call);
    if (res.status === 401 && this.cfg.oauth) {
      this.token = undefined;
      res = await this.get(u, call);
    }
    if (!res.ok) throw this.fail(res.status === 401 || res.status === 403 ? 'UPSTREAM_FORBIDDEN' : res.status === 404 ? 'UPSTREAM_ENDPOINT_NOT_FOUND' : 'UPSTREAM_UNAVAILABLE', u, `HTTP ${res.status}`, res.status);
    try {
      return await res.json();
    } catch (e) {
      throw this.fail('UPSTREAM_BAD_RESPONSE', u, 'feed page is not JSON', res.status, e);
    }
  }

  private async get(u: URL, call: CallContext): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cfg.oauth) headers.authorization = await this.authorization(call);
    return this.send(u, { headers }, call);
  }

  private async authorization(call: CallContext): Promise<string> {
    if (this.token && this.token.until > this.now()) return this.token.value;
    const oauth = this.cfg.oauth!;
    const u = new URL(oauth.tokenUrl);
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: oauth.clientId, client_secret: oauth.clientSecret });
    const res = await this.send(u, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body }, call);
    const json = (await res.json().catch(() => null)) as { access_token?: unknown; token_type?: unknown; expires_in?: unknown } | null;
    if (!res.ok || typeof json?.access_token !== 'string') throw this.fail('UPSTREAM_FORBIDDEN', u, `token endpoint answered HTTP ${res.status} without access_token`, res.status);
    const type = typeof json.token_type === 'string' && json.token_type ? json.token_type : 'Bearer';
    const ttl = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in * 1000 : 60_000;
    // Renewed 30 s (or half the lifetime) early, so a page request never carries a token that expires on the way.
    this.token = { value: `${type} ${json.access_token}`, until: this.now() + Math.max(0, ttl - Math.min(30_000, ttl / 2)) };
    return this.token.value;
  }

  private async send(u: URL, init: RequestInit, call: CallContext): Promise<Response> {
    const started = performance.now();
    try {
      const res = await this.fetchImpl(u, { ...init, signal: call.signal, redirect: 'error' });
      recordOutcome('pvog', res.ok ? 'ok' : 'UPSTREAM_UNAVAILABLE', (performance.now() - started) / 1000);
      return res;
    } catch (e) {
      const code: UpstreamErrorCode = call.signal.aborted ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
      recordOutcome('pvog', code, (performance.now() - started) / 1000);
      throw this.fail(code, u, e instanceof Error ? e.message : String(e), undefined, e);
    }
  }

  private fail(code: UpstreamErrorCode, u: URL, reason: string, status?: number, cause?: unknown): UpstreamError {
    // The URL without query: the token endpoint's form body carries the secret, the URL never does.
    return new UpstreamError({ code, upstream: 'pvog', status, internal: { url: `${u.origin}${u.pathname}`, reason }, cause });
  }
}
