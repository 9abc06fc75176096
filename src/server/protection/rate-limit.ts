import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import type { ProtectionConfig, RateLimitPolicyName } from '../../config/protection';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';
import type { Authenticator } from '../auth';
import { apiKeyFrom } from '../auth';
import { AnonymousKeys, clientAddress } from './client-address';
import { WindowCounter, type Decision } from './counters';
import { sendRefusal } from './refusal';

const WINDOW_SECONDS = 60;
const ADMIN_TOKEN_CLIENT: RateLimitClient = Object.freeze({ policy: 'admin', key: 'admin-token' });

const limited = registeredMetric(
  'thuegate_rate_limited_total',
  () =>
    new Counter({
      name: 'thuegate_rate_limited_total',
      help: 'GraphQL requests refused with 429 by the per-client rate limit, by policy (anonymous, public, integrator, admin)',
      labelNames: ['policy'] as const,
      registers: [metricsRegistry],
    }),
);

/** Who is counted: the policy (quota) and the pseudonymous client key within it. */
export interface RateLimitClient {
  policy: RateLimitPolicyName;
  /** `ip:<salted hash>`, `key:<client id>` or `admin-token`; never a raw address or key. */
  key: string;
}

export interface RateLimitOptions {
  config: ProtectionConfig;
  redis?: Redis;
  authenticator?: Authenticator;
  /** True when the request presents ADMIN_TOKEN. */
  isAdminToken(req: IncomingMessage): boolean;
  now?: () => number;
}

/**
 * Per-client rate limits on /graphql (issue 13 item 2, DESIGN §6): anonymous callers by salted hash of their
 * address (TRUST_PROXY), API keys by client; quotas per role; the IETF RateLimit-Policy / RateLimit fields
 * (draft-ietf-httpapi-ratelimit-headers, structured-field syntax) on every answer, 429 with Retry-After and a
 * GraphQL error once the quota is used up. Response-cache hits are counted like every other request.
 */
export class RateLimiter {
  private readonly counters = new Map<RateLimitPolicyName, WindowCounter>();
  private readonly anonymous: AnonymousKeys;
  /** Each request's client and admission decision, made once (by the hot path or by `check`). */
  private readonly counted = new WeakMap<IncomingMessage, { client: RateLimitClient; decided: Decision | Promise<Decision> | undefined }>();
  private readonly policyFields = new Map<RateLimitPolicyName, string>();

  constructor(private readonly o: RateLimitOptions) {
    const prefix = o.config.redisKeyPrefix;
    for (const [policy, points] of Object.entries(o.config.rateLimits) as [RateLimitPolicyName, number][]) {
      if (points > 0) {
        this.counters.set(policy, new WindowCounter({ points, windowSeconds: WINDOW_SECONDS, redis: o.redis, keyPrefix: `${prefix}:rl:${policy}`, now: o.now }));
        this.policyFields.set(policy, `"${policy}";q=${points};w=${WINDOW_SECONDS}`);
      }
    }
    this.anonymous = new AnonymousKeys(o.redis, prefix, o.now);
  }

  init(): Promise<void> {
    return this.anonymous.init();
  }

  /** The client a request was counted as (also the key of its fair share of upstream concurrency). */
  clientOf(req: IncomingMessage): RateLimitClient | undefined {
    return this.counted.get(req)?.client;
  }

  /**
   * Counts the request, sets the RateLimit fields and calls `next`, or answers 429 (through `wrapReject`,
   * which lets the caller add CORS headers first). A request the hot path has counted already is not counted
   * again: its decision is applied here.
   */
  check(req: IncomingMessage, res: ServerResponse, next: () => void, wrapReject: (send: () => void) => void = (send) => send()): void {
    const counted = this.counted.get(req);
    if (counted) return this.apply(res, counted.client, counted.decided, next, wrapReject);
    const now = this.identifyNow(req);
    if (now) return this.apply(res, now, this.count(req, now), next, wrapReject);
    this.identify(req).then(
      (client) => this.apply(res, client, this.count(req, client), next, wrapReject),
      // Identification never fails a request here; the regular path reports bad credentials (401).
      () => next(),
    );
  }

  private apply(res: ServerResponse, client: RateLimitClient, decided: Decision | Promise<Decision> | undefined, next: () => void, wrapReject: (send: () => void) => void): void {
    if (!decided) return next();
    const go = (d: Decision) => {
      for (const [name, value] of this.fields(client.policy, d)) res.setHeader(name, value);
      if (d.allowed) return next();
      wrapReject(() => this.refuse(res, client.policy, d));
    };
    if (decided instanceof Promise) decided.then(go, () => next());
    else go(decided);
  }

  /**
   * The client from what is known without waiting (the hot path): undefined when an API key is not in the
   * authenticator's cache yet, or is refused; `identify` then asks the database.
   */
  identifyNow(req: IncomingMessage): RateLimitClient | undefined {
    if (this.o.isAdminToken(req)) return ADMIN_TOKEN_CLIENT;
    if (this.o.authenticator && apiKeyFrom(req.headers) !== undefined) {
      const caller = this.o.authenticator.peek(req.headers);
      return caller?.clientId ? { policy: caller.role, key: `key:${caller.clientId}` } : undefined;
    }
    return { policy: 'anonymous', key: this.anonymous.keyFor(clientAddress(req, this.o.config.trustProxy), req.socket) };
  }

  /** Counts one request of `client`: the decision, or its promise when the shared store must be asked; undefined when the policy is unlimited. */
  count(req: IncomingMessage, client: RateLimitClient): Decision | Promise<Decision> | undefined {
    const decided = this.counters.get(client.policy)?.consume(client.key);
    this.counted.set(req, { client, decided });
    return decided;
  }

  /** The RateLimit-Policy and RateLimit fields of a decision. */
  fields(policy: RateLimitPolicyName, d: Decision): [string, string][] {
    return [
      ['RateLimit-Policy', this.policyFields.get(policy)!],
      ['RateLimit', `"${policy}";r=${d.remaining};t=${resetSeconds(d)}`],
    ];
  }

  private refuse(res: ServerResponse, policy: RateLimitPolicyName, d: Decision): void {
    limited.inc({ policy });
    reject(res, policy, this.counters.get(policy)!.o.points, d);
  }

  private async identify(req: IncomingMessage): Promise<RateLimitClient> {
    if (this.o.isAdminToken(req)) return ADMIN_TOKEN_CLIENT;
    if (this.o.authenticator && (apiKeyFrom(req.headers) !== undefined)) {
      try {
        const caller = await this.o.authenticator.roleFor(req.headers);
        if (caller.clientId) return { policy: caller.role, key: `key:${caller.clientId}` };
      } catch {
        // Unknown or revoked keys are counted by address: guessing keys costs quota like anything else.
      }
    }
    return { policy: 'anonymous', key: this.anonymous.keyFor(clientAddress(req, this.o.config.trustProxy), req.socket) };
  }

  async close(): Promise<void> {
    await Promise.all([...this.counters.values()].map((c) => c.close()));
  }
}

/** Whole seconds, rounded up: a client that waits `t` seconds finds the window reset. */
const resetSeconds = (d: Decision) => Math.max(d.allowed ? 0 : 1, Math.ceil(d.resetMs / 1000));

function reject(res: ServerResponse, policy: RateLimitPolicyName, quota: number, d: Decision): void {
  const retryAfter = resetSeconds(d);
  sendRefusal(res, 429, retryAfter, `Too many requests: the ${policy} rate limit is ${quota} requests per ${WINDOW_SECONDS} s; retry after ${retryAfter} s`, {
    code: 'RATE_LIMITED',
    policy,
    limit: quota,
    windowSeconds: WINDOW_SECONDS,
  });
}
