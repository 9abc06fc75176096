import type { ResolvedPolicy } from './policy';

/** Times are epoch milliseconds of the cache clock. */
export interface EntryMeta {
  /** When the origin last confirmed the value (full load or 304). Hard max age counts from here. */
  fetchedAt: number;
  expiresAt: number;
  /** Storage horizon (also the Redis key TTL): end of the stale windows, or of the revalidation grace. */
  staleUntil: number;
  etag?: string;
  lastModified?: string;
}

/**
 * The value is kept as its JSON text, not as the object: the byte bound then measures what the
 * heap really holds, every caller gets its own copy (no shared mutable state between requests),
 * and a value looks the same whether it came from L1, L2 or the origin.
 */
export interface StoredEntry {
  readonly meta: EntryMeta;
  readonly json: string;
  /** Accounted L1 bytes (JSON text + key + bookkeeping). */
  readonly size: number;
}

/** `expired`: past every stale window, kept only so its validators can make the next load conditional. */
export type Freshness = 'fresh' | 'swr' | 'sie' | 'expired' | 'dead';

/**
 * How long an entry with ETag/Last-Modified outlives its stale windows, so that a cheap 304 can
 * replace a full download. At least one TTL: an entry asked for about once per TTL still revalidates.
 */
const REVALIDATION_GRACE_MS = 5 * 60_000;

export function freshness(meta: EntryMeta, p: ResolvedPolicy, now: number): Freshness {
  // The policy of the current call decides, so a lowered ceiling applies to entries written before.
  if (now >= meta.fetchedAt + p.hardMaxAgeMs) return 'dead';
  if (now < meta.expiresAt) return 'fresh';
  if (now < meta.expiresAt + p.swrMs) return 'swr';
  if (now < meta.expiresAt + p.sieMs) return 'sie';
  if (now < meta.staleUntil && (meta.etag !== undefined || meta.lastModified !== undefined)) return 'expired';
  return 'dead';
}

export function makeMeta(
  p: ResolvedPolicy,
  fetchedAt: number,
  ttlMs: number,
  validators: { etag?: string; lastModified?: string },
): EntryMeta {
  const expiresAt = fetchedAt + ttlMs;
  const validated = validators.etag !== undefined || validators.lastModified !== undefined;
  const grace = validated ? Math.max(ttlMs, REVALIDATION_GRACE_MS) : 0;
  // The hard max age bounds storage too: a DVDV entry is neither served nor revalidated after 4 h.
  const staleUntil = Math.min(fetchedAt + p.hardMaxAgeMs, expiresAt + Math.max(p.swrMs, p.sieMs, grace));
  const meta: EntryMeta = { fetchedAt, expiresAt, staleUntil };
  if (validators.etag !== undefined) meta.etag = validators.etag;
  if (validators.lastModified !== undefined) meta.lastModified = validators.lastModified;
  return meta;
}

// Map entry, LRU node, meta object and key string: a generous fixed share per entry.
const ENTRY_OVERHEAD_BYTES = 320;
const NON_LATIN1 = /[^\u0000-\u00ff]/;

/** V8 keeps Latin-1 strings at one byte per char and anything else at two. */
function heapBytes(s: string): number {
  return NON_LATIN1.test(s) ? s.length * 2 : s.length;
}

export function makeEntry(key: string, meta: EntryMeta, json: string): StoredEntry {
  const size =
    heapBytes(json) + key.length * 2 + (meta.etag?.length ?? 0) * 2 + (meta.lastModified?.length ?? 0) * 2 + ENTRY_OVERHEAD_BYTES;
  return { meta, json, size };
}

const L2_FORMAT = 'v1';

/** L2 wire form: `v1\n<meta JSON>\n<value JSON>`. JSON text never holds a raw newline, so the split is exact. */
export function encodeL2(entry: StoredEntry): string {
  return `${L2_FORMAT}\n${JSON.stringify(entry.meta)}\n${entry.json}`;
}

export function decodeL2(key: string, text: string): StoredEntry | undefined {
  const first = text.indexOf('\n');
  const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
  if (second < 0 || text.slice(0, first) !== L2_FORMAT) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(text.slice(first + 1, second));
  } catch {
    return undefined;
  }
  if (!isMeta(meta)) return undefined;
  return makeEntry(key, meta, text.slice(second + 1));
}

function isMeta(m: unknown): m is EntryMeta {
  if (m === null || typeof m !== 'object') return false;
  const r = m as Record<string, unknown>;
  return (
    typeof r.fetchedAt === 'number' &&
    typeof r.expiresAt === 'number' &&
    typeof r.staleUntil === 'number' &&
    (r.etag === undefined || typeof r.etag === 'string') &&
    (r.lastModified === undefined || typeof r.lastModified === 'string')
  );
}
