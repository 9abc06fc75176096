import { isIP } from 'node:net';

/**
 * Live-path protection settings (DESIGN §6, issue 13): per-client rate limits, who the client is behind
 * proxies, trusted documents and the free-text cache bound. Parsed with the core configuration.
 */
export const PROTECTION_CONFIG_VARS = {
  REDIS_KEY_PREFIX: { default: 'thuegate', help: 'prefix of every Redis key and channel (data cache, rate-limit counters, revocation notices); replicas of one deployment share it' },
  TRUST_PROXY: {
    default: '0',
    help: 'reverse proxies in front of the gateway, for the client address used by anonymous rate limits: `0` = none (the socket peer is the client), a number of trusted hops, or comma-separated proxy addresses/CIDRs `10.0.0.0/8,192.0.2.7`',
  },
  RATE_LIMIT_PER_MINUTE: { default: '600', help: 'requests per minute per anonymous client (by salted hash of its address); `0` = unlimited' },
  RATE_LIMIT_PER_MINUTE_PUBLIC: { default: '1200', help: 'requests per minute per API key with role `public`; `0` = unlimited' },
  RATE_LIMIT_PER_MINUTE_INTEGRATOR: { default: '6000', help: 'requests per minute per API key with role `integrator`; `0` = unlimited' },
  RATE_LIMIT_PER_MINUTE_ADMIN: { default: '6000', help: 'requests per minute per admin key or ADMIN_TOKEN; `0` = unlimited' },
  EXECUTIONS_PER_CLIENT: {
    default: '4',
    help: 'GraphQL operations one client (the rate limit\'s client: address hash or API key) may execute at once, so a flooding client cannot take the CPU from others; `0` = no cap',
  },
  EXECUTION_QUEUE_PER_CLIENT: {
    default: '16',
    help: 'operations of one client waiting for one of its EXECUTIONS_PER_CLIENT slots; beyond that HTTP 429 `TOO_MANY_CONCURRENT_REQUESTS` with `Retry-After`',
  },
  REFUSAL_DELAY_MS: {
    default: '1000',
    help: 'a client refused (429) again within this time of its last refusal gets the next refusal only after it, so a client ignoring `Retry-After` cannot busy-loop the gateway; 0–1000, `0` = answer every refusal at once',
  },
  TRUSTED_DOCUMENTS: {
    default: 'off',
    help: '`off`, `allow-listed` (full documents run only when their SHA-256 is registered) or `required` (only `documentId=sha256:<hex>` of registered documents)',
  },
  FREE_TEXT_CACHE_TTL_MS: { default: '60000', help: 'how long upstream answers to free-text searches (`query`, search text) are cached' },
  FREE_TEXT_CACHE_ENTRIES_PER_CLIENT: { default: '200', help: 'distinct free-text searches per client per FREE_TEXT_CACHE_TTL_MS that may add cache entries; beyond it answers are not cached' },
} as const satisfies Record<string, { default: string; help: string }>;

export type RateLimitPolicyName = 'anonymous' | 'public' | 'integrator' | 'admin';

/** `hops`: trust this many proxies nearest to us; `addresses`: trust peers in these subnets. */
export type TrustProxy = { kind: 'hops'; hops: number } | { kind: 'addresses'; subnets: { address: string; prefix: number; family: 'ipv4' | 'ipv6' }[] };

export type TrustedDocumentsMode = 'off' | 'allow-listed' | 'required';

export interface ProtectionConfig {
  redisKeyPrefix: string;
  trustProxy: TrustProxy;
  /** Requests per minute by policy; 0 = unlimited. */
  rateLimits: Record<RateLimitPolicyName, number>;
  /** Per-client cap on executing operations (execution-share.ts); `perClient` 0 = no cap. */
  executionShare: { perClient: number; queuePerClient: number };
  /** Hold time of a repeated refusal (refusal-pacing.ts); 0 = off. */
  refusalDelayMs: number;
  trustedDocuments: TrustedDocumentsMode;
  freeText: { ttlMs: number; entriesPerClient: number };
}

type Checkers = {
  int(variable: string, v: string, min: number, max: number): number;
  oneOf<T extends string>(variable: string, v: string, allowed: readonly T[]): T;
  fail(variable: string, expected: string, got: string): never;
};

export function parseProtection(raw: (variable: keyof typeof PROTECTION_CONFIG_VARS) => string, c: Checkers): ProtectionConfig {
  const perMinute = (v: keyof typeof PROTECTION_CONFIG_VARS) => c.int(v, raw(v), 0, 10_000_000);
  const prefix = raw('REDIS_KEY_PREFIX');
  if (!/^[\w.:-]{1,100}$/.test(prefix)) c.fail('REDIS_KEY_PREFIX', 'letters, digits, `_.:-`, at most 100 characters', prefix);
  return {
    redisKeyPrefix: prefix,
    trustProxy: trustProxy(raw('TRUST_PROXY'), c),
    rateLimits: {
      anonymous: perMinute('RATE_LIMIT_PER_MINUTE'),
      public: perMinute('RATE_LIMIT_PER_MINUTE_PUBLIC'),
      integrator: perMinute('RATE_LIMIT_PER_MINUTE_INTEGRATOR'),
      admin: perMinute('RATE_LIMIT_PER_MINUTE_ADMIN'),
    },
    executionShare: {
      perClient: c.int('EXECUTIONS_PER_CLIENT', raw('EXECUTIONS_PER_CLIENT'), 0, 10_000),
      queuePerClient: c.int('EXECUTION_QUEUE_PER_CLIENT', raw('EXECUTION_QUEUE_PER_CLIENT'), 0, 100_000),
    },
    refusalDelayMs: c.int('REFUSAL_DELAY_MS', raw('REFUSAL_DELAY_MS'), 0, 1_000),
    trustedDocuments: c.oneOf('TRUSTED_DOCUMENTS', raw('TRUSTED_DOCUMENTS'), ['off', 'allow-listed', 'required'] as const),
    freeText: {
      ttlMs: c.int('FREE_TEXT_CACHE_TTL_MS', raw('FREE_TEXT_CACHE_TTL_MS'), 1_000, 3_600_000),
      entriesPerClient: c.int('FREE_TEXT_CACHE_ENTRIES_PER_CLIENT', raw('FREE_TEXT_CACHE_ENTRIES_PER_CLIENT'), 0, 1_000_000),
    },
  };
}

function trustProxy(v: string, c: Checkers): TrustProxy {
  const expected = 'a number of trusted proxy hops (0–10) or comma-separated proxy addresses/CIDRs like 10.0.0.0/8';
  if (/^\d+$/.test(v)) return { kind: 'hops', hops: c.int('TRUST_PROXY', v, 0, 10) };
  const subnets = v.split(',').map((e) => e.trim()).filter(Boolean).map((entry) => {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    if (!family || extra !== undefined) c.fail('TRUST_PROXY', expected, entry);
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (bits !== undefined && (!/^\d+$/.test(bits) || prefix > max)) c.fail('TRUST_PROXY', expected, entry);
    return { address, prefix, family: family === 4 ? ('ipv4' as const) : ('ipv6' as const) };
  });
  if (!subnets.length) c.fail('TRUST_PROXY', expected, v);
  return { kind: 'addresses', subnets };
}
