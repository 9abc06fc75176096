import type { ServerResponse } from 'node:http';
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';
import { FairBulkhead, FairBulkheadRejected } from '../../upstreams/runtime/fair-bulkhead';
import type { RateLimitClient } from './rate-limit';
import { sendRefusal } from './refusal';

/** A slot frees when one of the client's running operations answers: usually well within a second. */
const RETRY_AFTER_SECONDS = 1;

const refused = registeredMetric(
  'thuegate_execution_share_refused_total',
  () =>
    new Counter({
      name: 'thuegate_execution_share_refused_total',
      help: 'GraphQL requests refused with 429 because their client already had EXECUTIONS_PER_CLIENT operations running and EXECUTION_QUEUE_PER_CLIENT waiting, by policy',
      labelNames: ['policy'] as const,
      registers: [metricsRegistry],
    }),
);

const waiting = registeredMetric(
  'thuegate_execution_share_waiting',
  () =>
    new Gauge({
      name: 'thuegate_execution_share_waiting',
      help: 'GraphQL requests waiting for one of their client’s execution slots (EXECUTIONS_PER_CLIENT)',
      registers: [metricsRegistry],
    }),
);

export interface ExecutionShareOptions {
  /** Operations one client may execute at once. */
  perClient: number;
  /** Operations of one client waiting for a slot; beyond them the request is refused at once. */
  queuePerClient: number;
}

/**
 * CPU-fair admission per client (issue 13 item 3): at most `perClient` GraphQL operations of one client run at a
 * time — body parsing, validation, cost analysis, execution and serialisation all happen on the one event loop —
 * a few more wait (holding nothing but their socket), and the rest get 429 with Retry-After at once. Without it a
 * client flooding cheap-but-uncached queries fills the event loop and every other client waits behind it, even
 * though each upstream's concurrency is shared fairly (runtime/fair-bulkhead.ts): the bench measured another
 * client's p99 at 18 × idle on two cores. Another client's request is admitted at once, since its own slots are
 * free. The client is the rate limiter's (address hash or API key), so the cap follows the same identity as the
 * quota. Response-cache hits on the hot path (hot-path.ts) are answered before this gate and never wait here.
 *
 * One FairBulkhead per active client, used as a plain bulkhead (no client key inside): its queue drops a waiter
 * whose caller went away, which cockatiel's bulkhead does not (an aborted waiter there stalls the queue).
 */
export class ExecutionShare {
  private readonly clients = new Map<string, FairBulkhead>();

  constructor(readonly o: ExecutionShareOptions) {}

  /** Clients with an operation running or waiting (for tests and metrics). */
  get activeClients(): number {
    return this.clients.size;
  }

  /**
   * Runs `next` once one of `client`'s slots is free; the slot is held until the answer is sent or the connection
   * closes. Refusals go through `wrapReject` (which adds the CORS headers). Requests without a known client
   * (credentials still to be checked: the regular path answers 401) pass.
   */
  admit(res: ServerResponse, client: RateLimitClient | undefined, next: () => void, wrapReject: (send: () => void) => void): void {
    if (!client) return next();
    // A caller that has gone already: its 'close' has fired and would never free the slot.
    if (res.closed) return;
    let bulkhead = this.clients.get(client.key);
    if (!bulkhead) this.clients.set(client.key, (bulkhead = new FairBulkhead({ limit: this.o.perClient, queue: this.o.queuePerClient })));
    // Cancels a wait in the queue; made only when the request has to wait (most start at once).
    let gone: AbortController | undefined;
    const abandon = () => gone?.abort();
    res.once('close', abandon);
    let started = false;
    let queued = false;
    const before = bulkhead.queueLength;
    const run = bulkhead.execute(
      () =>
        new Promise<void>((done) => {
          started = true;
          if (queued) waiting.dec();
          queued = false;
          res.off('close', abandon);
          res.once('close', () => done());
          next();
        }),
      undefined,
      () => (gone ??= new AbortController()).signal,
    );
    // A free slot starts synchronously; otherwise the request either took a queue place or was refused.
    queued = !started && bulkhead.queueLength > before;
    if (queued) waiting.inc();
    run.then(
      () => this.release(client.key, bulkhead),
      (e: unknown) => {
        if (queued) waiting.dec();
        queued = false;
        this.release(client.key, bulkhead);
        if (!(e instanceof FairBulkheadRejected)) return; // the caller went away while waiting
        refused.inc({ policy: client.policy });
        wrapReject(() =>
          sendRefusal(
            res,
            429,
            RETRY_AFTER_SECONDS,
            `Too many concurrent requests: this client already has ${this.o.perClient} operations running and ${this.o.queuePerClient} waiting; retry after ${RETRY_AFTER_SECONDS} s`,
            { code: 'TOO_MANY_CONCURRENT_REQUESTS', policy: client.policy, limit: this.o.perClient, queue: this.o.queuePerClient },
          ),
        );
      },
    );
  }

  /** Forgets a client with nothing running or waiting, so the map holds active clients only. */
  private release(key: string, bulkhead: FairBulkhead): void {
    if (bulkhead.executing === 0 && bulkhead.queueLength === 0 && this.clients.get(key) === bulkhead) this.clients.delete(key);
  }
}
