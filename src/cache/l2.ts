import type { Redis } from 'ioredis';
import { redisClass } from '../util/redis';
import { decodeL2, encodeL2, type StoredEntry } from './entry';
import { CacheConfigError } from './errors';
import { pollUntil } from '../util/poll';

export type L2State = 'ready' | 'down';

export interface PurgeFilter {
  upstream?: string;
  keyPrefix?: string;
}

export interface L2Hooks {
  /** A Redis call failed or was skipped; the cache carries on with L1 only. */
  error(op: string, error?: unknown): void;
  state(state: L2State): void;
  /** Another cache instance on the same Redis purged; drop matching L1 entries here too. */
  remotePurge(filter: PurgeFilter): void;
}

export interface L2Options {
  /** `{ url }` makes the cache own its connection; a Redis instance stays the caller's. */
  redis: { url: string } | Redis;
  keyPrefix: string;
  commandTimeoutMs: number;
  instanceId: string;
  hooks: L2Hooks;
}

const SCAN_COUNT = 1000;

/** Redis glob metacharacters in a literal prefix. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Shared tier. Every call is best-effort: when Redis is not connected it is skipped at once
 * (no offline queue, so a dead Redis never adds latency), and failures resolve to "miss".
 */
export class RedisTier {
  private readonly client: Redis;
  private readonly owned: boolean;
  private readonly sub: Redis;
  private readonly channel: string;
  private state: L2State = 'down';
  private subscribed = false;
  private closed = false;
  private readonly detach: Array<() => void> = [];

  constructor(private readonly o: L2Options) {
    const connection = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: o.commandTimeoutMs,
      connectTimeout: 2_000,
      // Keep retrying for ever with a short cap so the shared tier comes back by itself.
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    };
    // `{ url }` is a plain object; anything else is a connection the caller owns.
    const given: unknown = o.redis;
    if (given !== null && typeof given === 'object' && Object.getPrototypeOf(given) !== Object.prototype) {
      this.client = o.redis as Redis;
      this.owned = false;
    } else {
      const url = (given as { url?: unknown } | undefined)?.url;
      if (typeof url !== 'string' || !/^rediss?:\/\/./.test(url)) {
        throw new CacheConfigError('redis.url', 'a redis:// or rediss:// URL', url);
      }
      this.client = new (redisClass())(url, connection);
      this.owned = true;
    }
    // Pub/sub needs a connection of its own; it carries purge notices between replicas.
    this.sub = this.client.duplicate({ ...connection, enableOfflineQueue: true, commandTimeout: undefined });
    this.channel = `${o.keyPrefix}:purge`;

    this.listen(this.client, 'error', () => o.hooks.error('connection'));
    this.listen(this.client, 'ready', () => this.setState('ready'));
    this.listen(this.client, 'close', () => this.setState('down'));
    this.listen(this.client, 'end', () => this.setState('down'));
    // Stays attached after close: a late connection error must not become an unhandled 'error' event.
    this.sub.on('error', () => undefined);
    this.listen(this.sub, 'ready', () => {
      this.sub.subscribe(this.channel).then(
        () => (this.subscribed = true),
        (err: unknown) => o.hooks.error('subscribe', err),
      );
    });
    this.listen(this.sub, 'close', () => (this.subscribed = false));
    this.listen(this.sub, 'message', (channel: string, message: string) => {
      if (channel === this.channel) this.onPurgeNotice(message);
    });
    if (this.client.status === 'ready') this.setState('ready');
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private listen(emitter: Redis, event: string, fn: (...args: any[]) => void): void {
    emitter.on(event, fn);
    this.detach.push(() => emitter.off(event, fn));
  }

  private setState(next: L2State): void {
    if (next === this.state || this.closed) return;
    this.state = next;
    this.o.hooks.state(next);
  }

  get available(): boolean {
    return !this.closed && this.client.status === 'ready';
  }

  get status(): L2State {
    return this.available ? 'ready' : 'down';
  }

  private redisKey(key: string): string {
    return `${this.o.keyPrefix}:${key}`;
  }

  async read(key: string): Promise<StoredEntry | undefined> {
    if (!this.available) {
      this.o.hooks.error('unavailable');
      return undefined;
    }
    let text: string | null;
    try {
      text = await this.client.get(this.redisKey(key));
    } catch (err) {
      this.o.hooks.error('get', err);
      return undefined;
    }
    if (text === null) return undefined;
    const entry = decodeL2(key, text);
    // An entry of an unknown format (e.g. written by another release) is a miss, not a failure.
    if (!entry) this.o.hooks.error('decode');
    return entry;
  }

  async write(key: string, entry: StoredEntry, ttlMs: number): Promise<void> {
    if (ttlMs < 1) return;
    if (!this.available) {
      this.o.hooks.error('unavailable');
      return;
    }
    try {
      await this.client.set(this.redisKey(key), encodeL2(entry), 'PX', Math.ceil(ttlMs));
    } catch (err) {
      this.o.hooks.error('set', err);
    }
  }

  /**
   * SCAN + UNLINK (never KEYS: it blocks Redis on a large keyspace). `match` gets the logical key
   * and has the last word, the glob pattern only narrows the scan.
   */
  async purge(globPrefix: string, match: (key: string) => boolean): Promise<{ removed: string[]; complete: boolean }> {
    const removed: string[] = [];
    if (!this.available) {
      this.o.hooks.error('unavailable');
      return { removed, complete: false };
    }
    const strip = this.o.keyPrefix.length + 1;
    const pattern = `${escapeGlob(this.redisKey(globPrefix))}*`;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
        cursor = next;
        const mine = keys.filter((k) => match(k.slice(strip)));
        if (mine.length === 0) continue;
        const results = await this.client.pipeline(mine.map((k) => ['unlink', k])).exec();
        results?.forEach(([err, n], i) => {
          if (!err && n === 1) removed.push(mine[i]!.slice(strip));
        });
      } while (cursor !== '0');
      return { removed, complete: true };
    } catch (err) {
      this.o.hooks.error('purge', err);
      return { removed, complete: false };
    }
  }

  async announcePurge(filter: PurgeFilter): Promise<void> {
    if (!this.available) return;
    try {
      await this.client.publish(this.channel, JSON.stringify({ from: this.o.instanceId, ...filter }));
    } catch (err) {
      this.o.hooks.error('publish', err);
    }
  }

  private onPurgeNotice(message: string): void {
    let notice: unknown;
    try {
      notice = JSON.parse(message);
    } catch {
      return;
    }
    if (notice === null || typeof notice !== 'object') return;
    const { from, upstream, keyPrefix } = notice as Record<string, unknown>;
    if (from === this.o.instanceId) return;
    const filter: PurgeFilter = {};
    if (typeof upstream === 'string') filter.upstream = upstream;
    if (typeof keyPrefix === 'string') filter.keyPrefix = keyPrefix;
    if (filter.upstream !== undefined || filter.keyPrefix !== undefined) this.o.hooks.remotePurge(filter);
  }

  /** Resolves true once Redis is usable and purge notices are subscribed, false after the timeout. */
  ready(timeoutMs: number): Promise<boolean> {
    return pollUntil(() => this.available && this.subscribed, () => this.closed, timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.detach.splice(0)) off();
    this.sub.disconnect();
    if (!this.owned) return;
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }
}
