import type { ServerResponse } from 'node:http';
import { Counter } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';

const paced = registeredMetric(
  'thuegate_refusals_paced_total',
  () =>
    new Counter({
      name: 'thuegate_refusals_paced_total',
      help: '429 answers held for REFUSAL_DELAY_MS because their client had been refused moments before (a client ignoring Retry-After)',
      registers: [metricsRegistry],
    }),
);

export interface RefusalPacingOptions {
  /**
   * How long a repeated refusal is held; 0 = every refusal is answered at once. At most 1000 ms: every refusal
   * carries `Retry-After` of at least 1 s, so a client is never kept waiting longer than the wait it is told about.
   */
  delayMs: number;
  /** Refusals held at once for one client; beyond it they are answered at once (a socket each is all they hold). */
  heldPerClient: number;
  /** Refusals held at once in the whole process. */
  heldTotal: number;
  now?: () => number;
}

/**
 * Pacing of repeated refusals (issue 13 item 3). A client that ignores `Retry-After` and resends at once turns every
 * 429 into a busy loop: a closed-loop flood of 50 connections got thousands of refusals a second, and answering them
 * took the event loop from every other client (bench I13: another client's p99 at 15–38 × idle). The first refusal
 * of a client is answered at once, so a well-behaved client learns its limit without delay; a further refusal within
 * `delayMs` of the previous one is held for `delayMs` (never longer than its own `Retry-After`) before it is sent. A
 * flooding client is thereby slowed to about one refusal per connection per `delayMs`, at the cost of an open socket
 * and a timer each — bounded per client and in total, beyond which refusals are answered at once as before.
 */
export class RefusalPacer {
  private readonly clients = new Map<string, { lastAt: number; held: number }>();
  private heldTotal = 0;
  private sweptAt = 0;
  private readonly now: () => number;

  constructor(readonly o: RefusalPacingOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Sends a refusal for `clientKey` now, or after the pacing delay when the client was refused moments ago. */
  send(res: ServerResponse, clientKey: string | undefined, send: () => void): void {
    if (this.o.delayMs <= 0 || clientKey === undefined) return send();
    const now = this.now();
    this.sweep(now);
    let c = this.clients.get(clientKey);
    const repeated = c !== undefined && now - c.lastAt < this.o.delayMs;
    if (!c) this.clients.set(clientKey, (c = { lastAt: now, held: 0 }));
    c.lastAt = now;
    if (!repeated || c.held >= this.o.heldPerClient || this.heldTotal >= this.o.heldTotal) return send();
    const entry = c;
    entry.held++;
    this.heldTotal++;
    paced.inc();
    // Runs once: on the timer, or when the client goes away first.
    const release = () => {
      clearTimeout(timer);
      res.off('close', release);
      entry.held--;
      this.heldTotal--;
      // The last refusal of a held batch starts the next window, so a client resending at once is held again.
      entry.lastAt = this.now();
    };
    const timer = setTimeout(() => {
      release();
      if (!res.closed) send();
    }, this.o.delayMs);
    res.once('close', release);
  }

  /** Forgets clients with nothing held and no recent refusal, so the map holds recent offenders only. */
  private sweep(now: number): void {
    if (this.clients.size < 1024 || now - this.sweptAt < this.o.delayMs) return;
    this.sweptAt = now;
    for (const [key, c] of this.clients) if (c.held === 0 && now - c.lastAt >= this.o.delayMs) this.clients.delete(key);
  }
}
