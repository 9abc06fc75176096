/** Thrown when neither a slot nor a queue place is free for this client. */
export class FairBulkheadRejected extends Error {
  constructor(readonly reason: string) {
    super(`bulkhead full: ${reason}`);
    this.name = 'FairBulkheadRejected';
  }
}

export interface FairBulkheadOptions {
  /** Concurrent executions across all clients. */
  limit: number;
  /** Waiting executions across all clients. */
  queue: number;
  /** Slots a client is always admitted to while the upstream has any free (default ceil(limit / 4)). */
  share?: number;
  /** Queue places one client may hold (default ceil(queue / 2)), so one client cannot fill the queue. */
  queuePerClient?: number;
}

interface Waiter {
  seq: number;
  start: () => void;
}

/**
 * The concurrency of one upstream, shared fairly between clients (issue 13 item 3). A client beyond its share
 * may only take a slot while more than `share` slots stay free, so one client's fan-out holds at most
 * `limit - share` slots and another client's request is admitted at once. When a slot frees, it goes to the
 * waiting client with the fewest running executions (oldest first among equals): round-robin under load.
 * Executions without a client (start-up, background work) only see the overall limit.
 */
export class FairBulkhead {
  private running = 0;
  private queued = 0;
  private seq = 0;
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Waiter[]>();
  readonly share: number;
  readonly queuePerClient: number;

  constructor(readonly o: FairBulkheadOptions) {
    this.share = Math.max(1, Math.min(o.limit, o.share ?? Math.ceil(o.limit / 4)));
    this.queuePerClient = Math.max(1, o.queuePerClient ?? Math.ceil(o.queue / 2));
  }

  /** Running executions of `client` (for tests and metrics). */
  runningFor(client: string): number {
    return this.active.get(client) ?? 0;
  }

  get executing(): number {
    return this.running;
  }

  get queueLength(): number {
    return this.queued;
  }

  /**
   * `signal` cancels a wait in the queue; as a function it is asked for only when the execution has to wait
   * (server/protection/execution-share.ts: an AbortController per request that starts at once is waste).
   */
  execute<T>(fn: () => Promise<T>, client: string | undefined, lazySignal?: AbortSignal | (() => AbortSignal)): Promise<T> {
    const key = client ?? '';
    if (typeof lazySignal !== 'function' && lazySignal?.aborted) return Promise.reject(lazySignal.reason);
    if (this.admissible(client)) return this.run(key, fn);
    const mine = this.waiting.get(key) ?? [];
    if (this.queued >= this.o.queue) return Promise.reject(new FairBulkheadRejected(`limit ${this.o.limit}, queue ${this.o.queue}`));
    if (client !== undefined && mine.length >= this.queuePerClient) {
      return Promise.reject(new FairBulkheadRejected(`this client's share of the queue (${this.queuePerClient}) is full`));
    }
    const signal = typeof lazySignal === 'function' ? lazySignal() : lazySignal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.remove(key, waiter);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        seq: this.seq++,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.run(key, fn).then(resolve, reject);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      mine.push(waiter);
      this.waiting.set(key, mine);
      this.queued++;
    });
  }

  private admissible(client: string | undefined): boolean {
    if (this.running >= this.o.limit) return false;
    if (client === undefined) return true;
    return (this.active.get(client) ?? 0) < this.share || this.o.limit - this.running > this.share;
  }

  private async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    this.running++;
    this.active.set(key, (this.active.get(key) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      this.running--;
      const n = (this.active.get(key) ?? 1) - 1;
      if (n) this.active.set(key, n);
      else this.active.delete(key);
      this.next();
    }
  }

  /** Starts waiting executions while slots are free: fewest running first, then longest waiting. */
  private next(): void {
    while (this.running < this.o.limit && this.queued > 0) {
      let best: { key: string; load: number; seq: number } | undefined;
      for (const [key, list] of this.waiting) {
        if (!this.admissible(key === '' ? undefined : key)) continue;
        const load = this.active.get(key) ?? 0;
        const seq = list[0].seq;
        if (!best || load < best.load || (load === best.load && seq < best.seq)) best = { key, load, seq };
      }
      if (!best) return;
      const list = this.waiting.get(best.key)!;
      const waiter = list.shift()!;
      if (!list.length) this.waiting.delete(best.key);
      this.queued--;
      waiter.start();
    }
  }

  private remove(key: string, waiter: Waiter): void {
    const list = this.waiting.get(key);
    const i = list?.indexOf(waiter) ?? -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    if (!list.length) this.waiting.delete(key);
    this.queued--;
  }
}
