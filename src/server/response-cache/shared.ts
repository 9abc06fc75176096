import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';
import type { StoredResponse } from './store';
import { pollUntil } from '../../util/poll';

const shared = registeredMetric(
  'thuegate_response_cache_shared_total',
  () =>
    new Counter({
      name: 'thuegate_response_cache_shared_total',
      help: 'Lookups of the response cache in Redis after an in-process miss (hit, miss, error = Redis unreachable or failing: answered as a miss)',
      labelNames: ['result'] as const,
      registers: [metricsRegistry],
    }),
);
const sharedHit = shared.labels('hit');
const sharedMiss = shared.labels('miss');
const sharedError = shared.labels('error');

export interface SharedResponsesOptions {
  /** The caller's connection (no offline queue, short command timeout); a duplicate carries the purge notices. */
  redis: Redis;
  keyPrefix: string;
  /** Another replica purged (or notices may have been missed): drop the in-process tier. */
  onPurge(): void;
}

/**
 * The response cache's shared tier (issue 15 item 3, DESIGN §4): finished answers in Redis behind each replica's
 * in-process LRU, so a second replica's first request for a hot query is a hit. Entries live under
 * `<prefix>:rc:<generation>:<key>` with the answer's remaining max-age as TTL; a purge increments the generation
 * (`<prefix>:rc:gen`), which orphans every entry at once (they expire by TTL), and announces it on
 * `<prefix>:rc:purge` so every replica drops its in-process entries. Best effort throughout: while Redis is
 * unreachable every call is skipped at once and the replica serves from its own tier only.
 */
export class SharedResponses {
  private generation = '0';
  private readonly sub: Redis;
  private closed = false;
  private subscribed = false;

  constructor(private readonly o: SharedResponsesOptions) {
    this.sub = o.redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined, lazyConnect: false });
    this.sub.on('error', () => undefined);
    const channel = `${o.keyPrefix}:rc:purge`;
    // Also on reconnects: a notice sent while this replica was cut off is lost, so what it holds may be outdated.
    let connectedBefore = false;
    this.sub.on('ready', () => {
      this.sub.subscribe(channel).then(() => (this.subscribed = true), () => undefined);
      void this.refreshGeneration().then(() => {
        if (connectedBefore) o.onPurge();
        connectedBefore = true;
      });
    });
    this.sub.on('close', () => (this.subscribed = false));
    this.sub.on('message', (ch: string, generation: string) => {
      if (ch !== channel || !/^\d+$/.test(generation)) return;
      this.generation = generation;
      o.onPurge();
    });
  }

  get available(): boolean {
    return !this.closed && this.o.redis.status === 'ready';
  }

  private redisKey(key: string): string {
    return `${this.o.keyPrefix}:rc:${this.generation}:${key}`;
  }

  private async refreshGeneration(): Promise<void> {
    try {
      this.generation = (await this.o.redis.get(`${this.o.keyPrefix}:rc:gen`)) ?? '0';
    } catch {
      // Keep the last known generation; the next reconnect reads it again.
    }
  }

  async read(key: string, now: number): Promise<StoredResponse | undefined> {
    if (!this.available) {
      sharedError.inc();
      return undefined;
    }
    let raw: Buffer | null;
    try {
      raw = await this.o.redis.getBuffer(this.redisKey(key));
    } catch {
      sharedError.inc();
      return undefined;
    }
    const entry = raw ? decode(raw) : undefined;
    if (!entry || entry.expiresAt <= now) {
      sharedMiss.inc();
      return undefined;
    }
    sharedHit.inc();
    return entry;
  }

  write(key: string, entry: StoredResponse, now: number): void {
    const ttlMs = Math.floor(entry.expiresAt - now);
    if (ttlMs < 1 || !this.available) return;
    this.o.redis.set(this.redisKey(key), encode(entry), 'PX', ttlMs).catch(() => sharedError.inc());
  }

  /** Orphans every shared entry and tells every replica; false when Redis could not be reached (other replicas keep theirs). */
  async purge(): Promise<boolean> {
    if (!this.available) return false;
    try {
      const generation = String(await this.o.redis.incr(`${this.o.keyPrefix}:rc:gen`));
      this.generation = generation;
      await this.o.redis.publish(`${this.o.keyPrefix}:rc:purge`, generation);
      return true;
    } catch {
      return false;
    }
  }

  /** Resolves true once purge notices are subscribed (tests, readiness), false after the timeout. */
  ready(timeoutMs: number): Promise<boolean> {
    return pollUntil(() => this.available && this.subscribed, () => this.closed, timeoutMs);
  }

  close(): void {
    this.closed = true;
    this.sub.disconnect();
  }
}

/** `<JSON header>\n<body bytes>`: the body stays bytes, so a hit from Redis sends what the storing replica sent. */
function encode(e: StoredResponse): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify({ v: 1, etag: e.etag, storedAt: e.storedAt, expiresAt: e.expiresAt })}\n`), e.body]);
}

function decode(raw: Buffer): StoredResponse | undefined {
  const nl = raw.indexOf(0x0a);
  if (nl < 0) return undefined;
  try {
    const h = JSON.parse(raw.subarray(0, nl).toString('utf8')) as { v?: unknown; etag?: unknown; storedAt?: unknown; expiresAt?: unknown };
    if (h.v !== 1 || typeof h.etag !== 'string' || typeof h.storedAt !== 'number' || typeof h.expiresAt !== 'number') return undefined;
    return { body: Buffer.from(raw.subarray(nl + 1)), etag: h.etag, storedAt: h.storedAt, expiresAt: h.expiresAt };
  } catch {
    return undefined;
  }
}
