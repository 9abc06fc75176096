import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** What one request's admission decided, in the terms of the RateLimit header fields. */
export interface Decision {
  allowed: boolean;
  /** Requests left in the current window (`r`). */
  remaining: number;
  /** Milliseconds until the window resets (`t`). */
  resetMs: number;
}

export interface WindowCounterOptions {
  /** Requests per window. */
  points: number;
  windowSeconds: number;
  /** Shared counters; without it the counter is per process. */
  redis?: Redis;
  keyPrefix: string;
  /**
   * Share of the quota a replica may admit on its own before telling the store (default 2 %): the hot path then
   * costs no Redis round trip (nor promise) per request. Over-admission is bounded by this share per replica per window.
   */
  localShare?: number;
  /** How soon locally admitted requests are written to Redis. */
  flushMs?: number;
  now?: () => number;
}

interface Entry {
  resetAt: number;
  /** Known remaining: the last count Redis reported minus what was admitted here since. */
  remaining: number;
  /** Admitted here, not yet written to Redis. */
  pending: number;
  timer?: NodeJS.Timeout;
}

/**
 * Fixed-window request counter per client (rate-limiter-flexible): in Redis so all replicas share it, with an
 * in-process insurance limiter that takes over while Redis is unreachable. In front of it a small local
 * pre-consumption: while a client is far from its limit, a request is admitted from the replica's own view and
 * the count is synchronised to Redis in batches; near the limit, and once blocked, every decision is exact
 * (Redis) or local (blocked until the window resets).
 */
export class WindowCounter {
  private readonly limiter: RateLimiterAbstract;
  // Bounded by maxSize with size 1 per entry rather than `max`: lru-cache preallocates index arrays for `max`
  // entries up front — per policy, at every start — which cost start-up time and resident memory (issue 15 P6/P7,
  // bench/CHANGES-perf-start.md); the bound is the same.
  private readonly entries = new LRUCache<string, Entry>({ maxSize: 100_000, sizeCalculation: () => 1, noDisposeOnSet: true, dispose: (e) => e.timer && clearTimeout(e.timer) });
  private readonly allowance: number;
  private readonly flushMs: number;
  private readonly now: () => number;

  constructor(readonly o: WindowCounterOptions) {
    const base = { points: o.points, duration: o.windowSeconds, keyPrefix: o.keyPrefix };
    this.limiter = o.redis
      ? new RateLimiterRedis({
          ...base,
          storeClient: o.redis,
          // A Redis that is not connected is skipped at once (no offline queue), and the insurance answers.
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory(base),
        })
      : new RateLimiterMemory(base);
    // Also without Redis: the in-process limiter answers through a promise, and far from the limit a plain count
    // decides the same (issue 15 P1: the hot path stays synchronous).
    this.allowance = Math.floor(o.points * (o.localShare ?? 0.02));
    this.flushMs = o.flushMs ?? 50;
    this.now = o.now ?? Date.now;
  }

  /** Counts one request of `key`; synchronous when the local view can decide, otherwise asks the store. */
  consume(key: string): Decision | Promise<Decision> {
    const now = this.now();
    const e = this.entries.get(key);
    if (e && now < e.resetAt) {
      if (e.remaining <= 0) return { allowed: false, remaining: 0, resetMs: e.resetAt - now };
      if (e.pending < this.allowance && e.remaining > 2 * this.allowance) {
        e.pending++;
        e.remaining--;
        e.timer ??= setTimeout(() => void this.flush(key), this.flushMs).unref();
        return { allowed: true, remaining: e.remaining, resetMs: e.resetAt - now };
      }
    }
    return this.remote(key, e && now < e.resetAt ? e : undefined);
  }

  private async remote(key: string, e: Entry | undefined): Promise<Decision> {
    const n = 1 + this.takePending(e);
    let res: RateLimiterRes;
    let allowed = true;
    try {
      res = await this.limiter.consume(key, n);
    } catch (rejected) {
      if (!(rejected instanceof RateLimiterRes)) throw rejected;
      res = rejected;
      allowed = false;
    }
    const decision = { allowed, remaining: Math.max(0, res.remainingPoints), resetMs: Math.max(0, res.msBeforeNext) };
    this.remember(key, decision);
    return decision;
  }

  private takePending(e: Entry | undefined): number {
    if (!e) return 0;
    const n = e.pending;
    e.pending = 0;
    if (e.timer) clearTimeout(e.timer);
    e.timer = undefined;
    return n;
  }

  private remember(key: string, d: Decision): void {
    const prev = this.entries.get(key);
    const pending = prev && prev.resetAt > this.now() ? prev.pending : 0;
    this.entries.set(key, { resetAt: this.now() + d.resetMs, remaining: d.remaining - pending, pending, timer: prev?.timer });
  }

  private async flush(key: string): Promise<void> {
    const e = this.entries.get(key);
    const n = this.takePending(e);
    if (!n) return;
    try {
      const res = await this.limiter.penalty(key, n);
      this.remember(key, { allowed: true, remaining: Math.max(0, this.o.points - res.consumedPoints), resetMs: Math.max(0, res.msBeforeNext) });
    } catch {
      // Neither Redis nor the insurance limiter took it: the next request goes to the store again.
      this.entries.delete(key);
    }
  }

  /** Writes every locally admitted request to the store. */
  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((k) => this.flush(k)));
    this.entries.clear();
  }
}
