import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import type { ProtectionConfig, RateLimitPolicyName } from '../../config/protection';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';
import type { Authenticator } from '../auth';
import { apiKeyFrom } from '../auth';
import { AnonymousKeys, clientAddress } from './client-address';
import { WindowCounter, type Decision } from './counters';

const WINDOW_SECONDS = 60;

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
  private readonly clients = new WeakMap<IncomingMessage, RateLimitClient>();

  constructor(private readonly o: RateLimitOptions) {
    const prefix = o.config.redisKeyPrefix;
    for (const [policy, points] of Object.entries(o.config.rateLimits) as [RateLimitPolicyName, number][]) {
      if (points > 0) {
        this.counters.set(policy, new WindowCounter({ points, windowSeconds: WINDOW_SECONDS, redis: o.redis, keyPrefix: `${prefix}:rl:${policy}`, now: o.now }));
      }
    }
    this.anonymous = new AnonymousKeys(o.redis, prefix, o.now);
  }

  init(): Promise<void> {
    return this.anonymous.init();
  }

  /** The client a request was counted as (also the key of its fair share of upstream concurrency). */
  clientOf(req: IncomingMessage): RateLimitClient | undefined {
    return this.clients.get(req);
  }

  /**
   * Counts the request, sets the RateLimit fields and calls `next`, or answers 429 (through `wrapReject`,
   * which lets the caller add CORS headers first).
   */
  check(req: IncomingMessage, res: ServerResponse, next: () => void, wrapReject: (send: () => void) => void = (send) => send()): void {
    this.identify(req).then(
      (client) => {
        this.clients.set(req, client);
        const counter = this.counters.get(client.policy);
        if (!counter) return next();
        const decided = counter.consume(client.key);
        const apply = (d: Decision) => {
          this.setFields(res, client.policy, counter.o.points, d);
          if (d.allowed) return next();
          limited.inc({ policy: client.policy });
          wrapReject(() => reject(res, client.policy, counter.o.points, d));
        };
        if (decided instanceof Promise) decided.then(apply, () => next());
        else apply(decided);
      },
      // Identification never fails a request here; the regular path reports bad credentials (401).
      () => next(),
    );
  }

  private async identify(req: IncomingMessage): Promise<RateLimitClient> {
    if (this.o.isAdminToken(req)) return { policy: 'admin', key: 'admin-token' };
    if (this.o.authenticator && (apiKeyFrom(req.headers) !== undefined)) {
      try {
        const caller = await this.o.authenticator.roleFor(req.headers);
        if (caller.clientId) return { policy: caller.role, key: `key:${caller.clientId}` };
      } catch {
        // Unknown or revoked keys are counted by address: guessing keys costs quota like anything else.
      }
    }
    return { policy: 'anonymous', key: this.anonymous.keyFor(clientAddress(req, this.o.config.trustProxy)) };
  }

  private setFields(res: ServerResponse, policy: RateLimitPolicyName, quota: number, d: Decision): void {
    res.setHeader('RateLimit-Policy', `"${policy}";q=${quota};w=${WINDOW_SECONDS}`);
    res.setHeader('RateLimit', `"${policy}";r=${d.remaining};t=${resetSeconds(d)}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.counters.values()].map((c) => c.close()));
  }
}

/** Whole seconds, rounded up: a client that waits `t` seconds finds the window reset. */
const resetSeconds = (d: Decision) => Math.max(d.allowed ? 0 : 1, Math.ceil(d.resetMs / 1000));

function reject(res: ServerResponse, policy: RateLimitPolicyName, quota: number, d: Decision): void {
  const retryAfter = resetSeconds(d);
  const body = JSON.stringify({
    errors: [
      {
        message: `Too many requests: the ${policy} rate limit is ${quota} requests per ${WINDOW_SECONDS} s; retry after ${retryAfter} s`,
        extensions: { code: 'RATE_LIMITED', policy, limit: quota, windowSeconds: WINDOW_SECONDS, retryAfterSeconds: retryAfter },
      },
    ],
  });
  res.statusCode = 429;
  res.setHeader('Retry-After', String(retryAfter));
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
