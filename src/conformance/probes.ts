import { bulkhead } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import { request } from 'undici';
import { sleep } from '../upstreams/runtime/policy';

/** Outcome classes of conformance rule R14 (docs/conformance-rules.md §A). */
export type LinkClass = 'ok' | 'protected' | 'broken' | 'skipped';

export interface ProbeResult {
  url: string;
  /** The URL actually requested (after mapping a documented alias to the configured upstream). */
  requested: string | null;
  class: LinkClass;
  status: number | null;
  reason: string;
}

export interface ProberOptions {
  /** Origins (scheme://host:port) of the configured upstreams: probes may always go there. */
  upstreamOrigins: readonly string[];
  /** CONFORMANCE_PROBE_HOSTS: further hosts (`host` or `host:port`) link checks may reach; empty = none. */
  allowHosts: readonly string[];
  /** URL prefixes documents use for a configured upstream, and the base they stand for (sandbox canonical origins). */
  aliases?: readonly { from: string; to: string }[];
  /** Per-URL deadline (the INSPIRE validator uses 30 s). */
  timeoutMs?: number;
  concurrency?: number;
  /** Requests per second per host. */
  perHostRps?: number;
  /** Origins exempt from the per-host spacing: the gateway's own loopback sandboxes (no third party to spare). */
  unthrottledOrigins?: readonly string[];
  maxRedirects?: number;
  /** Told about every request actually sent (metrics, tests). */
  onRequest?: (url: string) => void;
}

const MAX_BODY = 1 << 20;

/**
 * Live link probes of the *net* rules: HEAD (GET where HEAD is refused, and for CSW GetRecordById, whose answer must
 * hold a record), redirects followed hop by hop — every hop must pass the allow-list again — with a per-URL deadline,
 * bounded concurrency, a per-host request spacing and a cache, so one URL is asked once per run.
 */
export class Prober {
  private readonly limiter;
  private readonly cache = new LRUCache<string, Promise<ProbeResult>>({ max: 50_000 });
  private readonly nextSlot = new Map<string, number>();
  private readonly origins: Set<string>;
  private readonly hosts: Set<string>;
  private readonly unthrottled: Set<string>;
  sent = 0;

  constructor(private readonly opts: ProberOptions) {
    this.limiter = bulkhead(opts.concurrency ?? 4, Number.MAX_SAFE_INTEGER);
    this.origins = new Set(opts.upstreamOrigins.map((o) => new URL(o).origin));
    this.hosts = new Set(opts.allowHosts.map((h) => h.trim().toLowerCase()).filter(Boolean));
    this.unthrottled = new Set((opts.unthrottledOrigins ?? []).map((o) => new URL(o).host));
  }

  /** The URL a document's link stands for (documented alias → configured upstream). */
  resolve(url: string): string {
    for (const a of this.opts.aliases ?? []) {
      if (url === a.from || url.startsWith(`${a.from}/`) || url.startsWith(`${a.from}?`)) return a.to.replace(/\/$/, '') + url.slice(a.from.length);
    }
    return url;
  }

  /** May a probe go to this URL? Only http(s) to a configured upstream origin or an allow-listed host. */
  allowed(url: string): boolean {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    return this.origins.has(u.origin) || this.hosts.has(u.hostname.toLowerCase()) || this.hosts.has(u.host.toLowerCase());
  }

  check(url: string): Promise<ProbeResult> {
    let p = this.cache.get(url);
    if (!p) {
      p = this.run(url);
      this.cache.set(url, p);
    }
    return p;
  }

  private async run(original: string): Promise<ProbeResult> {
    let url = this.resolve(original);
    if (!this.allowed(url)) return { url: original, requested: null, class: 'skipped', status: null, reason: 'host not in the probe allow-list (CONFORMANCE_PROBE_HOSTS)' };
    const maxRedirects = this.opts.maxRedirects ?? 5;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      const r = await this.limiter.execute(() => this.once(url));
      if ('error' in r) return { url: original, requested: url, class: 'broken', status: null, reason: r.error };
      if (r.status >= 300 && r.status < 400 && r.location) {
        const next = new URL(r.location, url).href;
        if (!this.allowed(next)) return { url: original, requested: url, class: 'skipped', status: r.status, reason: `redirect to ${new URL(next).host}, which is not in the probe allow-list` };
        url = next;
        continue;
      }
      if (r.status === 401 || r.status === 403) return { url: original, requested: url, class: 'protected', status: r.status, reason: `HTTP ${r.status} (access-protected)` };
      if (r.status >= 200 && r.status < 300) {
        if (r.emptyRecordById) return { url: original, requested: url, class: 'broken', status: r.status, reason: 'GetRecordById answered with no record (GDI-DE registry semantics: 0 = invalid)' };
        return { url: original, requested: url, class: 'ok', status: r.status, reason: `HTTP ${r.status}` };
      }
      return { url: original, requested: url, class: 'broken', status: r.status, reason: `HTTP ${r.status}` };
    }
    return { url: original, requested: url, class: 'broken', status: null, reason: `more than ${maxRedirects} redirects` };
  }

  private async once(url: string): Promise<{ status: number; location: string | null; emptyRecordById: boolean } | { error: string }> {
    const u = new URL(url);
    await this.spacing(u.host);
    const recordById = [...u.searchParams].some(([k, v]) => k.toUpperCase() === 'REQUEST' && v.toLowerCase() === 'getrecordbyid');
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      this.sent++;
      this.opts.onRequest?.(url);
      let res = await request(url, { method: recordById ? 'GET' : 'HEAD', signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      if (!recordById && (res.statusCode === 405 || res.statusCode === 501)) {
        await res.body.dump();
        this.sent++;
        this.opts.onRequest?.(url);
        res = await request(url, { method: 'GET', signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      }
      const location = typeof res.headers.location === 'string' ? res.headers.location : null;
      let emptyRecordById = false;
      if (recordById && res.statusCode === 200) {
        const body = await readCapped(res.body);
        emptyRecordById = !/<(\w+:)?(MD_Metadata|MI_Metadata)\b/.test(body);
      } else await res.body.dump();
      return { status: res.statusCode, location, emptyRecordById };
    } catch (e) {
      return { error: signal.aborted ? `no answer within ${timeoutMs} ms` : (e as Error).message };
    }
  }

  private async spacing(host: string): Promise<void> {
    if (this.unthrottled.has(host)) return;
    const rps = this.opts.perHostRps ?? 10;
    const now = Date.now();
    const at = Math.max(now, this.nextSlot.get(host) ?? 0);
    this.nextSlot.set(host, at + 1000 / rps);
    if (at > now) await sleep(at - now);
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    parts.push(chunk);
    n += chunk.length;
    if (n > MAX_BODY) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts).toString('utf8');
}
