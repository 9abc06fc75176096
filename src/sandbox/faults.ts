import { UPSTREAMS, isUpstreamName, type UpstreamName } from '../upstreams/runtime/names';

/**
 * Fault plans for the sandbox servers: what to break, where, and how often. Set from tests
 * (`server.setFaults(...)`) or from `thuegate sandbox --faults '<spec>'`.
 *
 * Spec syntax (whitespace around separators is ignored):
 *
 *     plan     := rule (';' rule)*
 *     rule     := target '=' effect (',' effect)*
 *     target   := upstream [':' route]        upstream: pvog | thavel | geomis | geoproxy | dvdv | *
 *     route    := glob over the request path (no query); '*' matches any characters; default '*'
 *     effect   := latency:<duration>          wait before answering
 *               | status:<code>              answer with this HTTP status instead of the real response
 *               | retry-after:<seconds>      with status: send Retry-After
 *               | reset                      destroy the connection (TCP RST) without answering
 *               | truncate[:<fraction>]      send the head and part of the body (default 0.5), then close
 *               | malformed                  corrupt the body (valid HTTP framing, unparseable content)
 *               | oversize[:<size>]          stream the body padded to <size> (default 50mb), no Content-Length
 *               | drip:<duration>            send the body in small chunks with this pause between them
 *               | chunk:<size>               chunk size for drip (default 64 bytes)
 *               | method:<METHOD>            only requests with this method
 *               | count:<n>                  only the first n matching requests (after skipping)
 *               | after:<n>                  skip the first n matching requests
 *     duration := <n> | <n>ms | <n>s          size := <n> | <n>b | <n>kb | <n>mb
 *
 * Example: `pvog:/v7/servicedescriptions/*=status:503,count:2;geomis:*=latency:2000`.
 * For each request the first rule that matches and still applies is used.
 */

export interface FaultRule {
  upstream: UpstreamName | '*';
  /** Path glob; `*` matches any run of characters. */
  route: string;
  method?: string;
  latencyMs?: number;
  status?: number;
  retryAfterSeconds?: number;
  reset?: boolean;
  /** Share of the body sent before the connection is closed (0 ≤ x < 1). */
  truncate?: number;
  malformed?: boolean;
  oversizeBytes?: number;
  dripMs?: number;
  dripChunkBytes?: number;
  count?: number;
  after?: number;
}

export type FaultPlan = readonly FaultRule[];

export class FaultSpecError extends Error {
  constructor(entry: string, expected: string) {
    super(`fault spec ${JSON.stringify(entry)}: expected ${expected}`);
    this.name = 'FaultSpecError';
  }
}

export const DEFAULT_OVERSIZE_BYTES = 50 * 1024 * 1024;
export const DEFAULT_DRIP_CHUNK_BYTES = 64;

function parseDuration(entry: string, key: string, v: string): number {
  const m = /^(\d+)(ms|s)?$/.exec(v);
  if (!m) throw new FaultSpecError(entry, `${key}:<duration> like 250, 250ms or 2s, got "${v}"`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

function parseSize(entry: string, key: string, v: string): number {
  const m = /^(\d+)(b|kb|mb)?$/i.exec(v);
  if (!m) throw new FaultSpecError(entry, `${key}:<size> like 1048576, 512kb or 50mb, got "${v}"`);
  const unit = (m[2] ?? 'b').toLowerCase();
  return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

function parseCount(entry: string, key: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new FaultSpecError(entry, `${key}:<non-negative integer>, got "${v}"`);
  return Number(v);
}

const EFFECT_KEYS = 'latency, status, retry-after, reset, truncate, malformed, oversize, drip, chunk, method, count, after';

function parseRule(entry: string): FaultRule {
  const eq = entry.indexOf('=');
  if (eq === -1) throw new FaultSpecError(entry, '<upstream>[:<route>]=<effect>[,<effect>…]');
  const target = entry.slice(0, eq).trim();
  const colon = target.indexOf(':');
  const upstream = (colon === -1 ? target : target.slice(0, colon)).trim();
  const route = (colon === -1 ? '*' : target.slice(colon + 1)).trim() || '*';
  if (upstream !== '*' && !isUpstreamName(upstream)) {
    throw new FaultSpecError(entry, `an upstream name (${UPSTREAMS.join(', ')} or *) before ":", got "${upstream}"`);
  }
  if (route !== '*' && !route.startsWith('/')) throw new FaultSpecError(entry, `a route starting with "/" or "*", got "${route}"`);
  const rule: FaultRule = { upstream: upstream as UpstreamName | '*', route };

  const effects = entry.slice(eq + 1).split(',').map((e) => e.trim()).filter(Boolean);
  if (effects.length === 0) throw new FaultSpecError(entry, `at least one effect (${EFFECT_KEYS}) after "="`);
  for (const effect of effects) {
    const i = effect.indexOf(':');
    const key = (i === -1 ? effect : effect.slice(0, i)).trim().toLowerCase();
    const value = i === -1 ? undefined : effect.slice(i + 1).trim();
    const need = (): string => {
      if (value === undefined || value === '') throw new FaultSpecError(entry, `a value after "${key}:"`);
      return value;
    };
    switch (key) {
      case 'latency':
        rule.latencyMs = parseDuration(entry, key, need());
        break;
      case 'status': {
        const code = parseCount(entry, key, need());
        if (code < 200 || code > 599) throw new FaultSpecError(entry, `status:<HTTP status 200–599>, got "${value}"`);
        rule.status = code;
        break;
      }
      case 'retry-after':
        rule.retryAfterSeconds = parseCount(entry, key, need());
        break;
      case 'reset':
        rule.reset = true;
        break;
      case 'truncate': {
        const f = value === undefined ? 0.5 : Number(value);
        if (!(f >= 0 && f < 1)) throw new FaultSpecError(entry, `truncate[:<fraction 0 ≤ x < 1>], got "${value}"`);
        rule.truncate = f;
        break;
      }
      case 'malformed':
        rule.malformed = true;
        break;
      case 'oversize':
        rule.oversizeBytes = value === undefined ? DEFAULT_OVERSIZE_BYTES : parseSize(entry, key, value);
        break;
      case 'drip':
        rule.dripMs = parseDuration(entry, key, need());
        break;
      case 'chunk':
        rule.dripChunkBytes = Math.max(1, parseSize(entry, key, need()));
        break;
      case 'method': {
        const m = need().toUpperCase();
        if (!/^[A-Z]+$/.test(m)) throw new FaultSpecError(entry, `method:<HTTP method>, got "${value}"`);
        rule.method = m;
        break;
      }
      case 'count':
        rule.count = parseCount(entry, key, need());
        break;
      case 'after':
        rule.after = parseCount(entry, key, need());
        break;
      default:
        throw new FaultSpecError(entry, `one of ${EFFECT_KEYS}, got "${key}"`);
    }
  }
  validateRule(rule, entry);
  return rule;
}

function validateRule(rule: FaultRule, entry: string): void {
  const breaks =
    rule.latencyMs !== undefined ||
    rule.status !== undefined ||
    rule.reset ||
    rule.truncate !== undefined ||
    rule.malformed ||
    rule.oversizeBytes !== undefined ||
    rule.dripMs !== undefined;
  if (!breaks) throw new FaultSpecError(entry, 'at least one of latency, status, reset, truncate, malformed, oversize, drip');
  if (rule.reset && (rule.status !== undefined || rule.truncate !== undefined || rule.malformed || rule.oversizeBytes !== undefined || rule.dripMs !== undefined)) {
    throw new FaultSpecError(entry, 'reset on its own (optionally with latency): the connection is dropped before any answer');
  }
  if (rule.retryAfterSeconds !== undefined && rule.status === undefined) {
    throw new FaultSpecError(entry, 'retry-after together with status:<code>');
  }
  if (rule.dripChunkBytes !== undefined && rule.dripMs === undefined) throw new FaultSpecError(entry, 'chunk together with drip:<duration>');
}

/** Parses the compact spec; an empty or blank string is the empty plan. */
export function parseFaultPlan(spec: string): FaultPlan {
  return spec
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)
    .map(parseRule);
}

/** Accepts either form, validating objects the same way as parsed specs. */
export function toFaultPlan(plan: FaultPlan | string | undefined): FaultPlan {
  if (plan === undefined) return [];
  if (typeof plan === 'string') return parseFaultPlan(plan);
  for (const rule of plan) validateRule(rule, formatRule(rule));
  return plan;
}

function formatRule(r: FaultRule): string {
  const fx: string[] = [];
  if (r.method) fx.push(`method:${r.method}`);
  if (r.latencyMs !== undefined) fx.push(`latency:${r.latencyMs}ms`);
  if (r.status !== undefined) fx.push(`status:${r.status}`);
  if (r.retryAfterSeconds !== undefined) fx.push(`retry-after:${r.retryAfterSeconds}`);
  if (r.reset) fx.push('reset');
  if (r.truncate !== undefined) fx.push(`truncate:${r.truncate}`);
  if (r.malformed) fx.push('malformed');
  if (r.oversizeBytes !== undefined) fx.push(`oversize:${r.oversizeBytes}`);
  if (r.dripMs !== undefined) fx.push(`drip:${r.dripMs}ms`);
  if (r.dripChunkBytes !== undefined) fx.push(`chunk:${r.dripChunkBytes}`);
  if (r.count !== undefined) fx.push(`count:${r.count}`);
  if (r.after !== undefined) fx.push(`after:${r.after}`);
  return `${r.upstream}:${r.route}=${fx.join(',')}`;
}

/** The spec string of a plan (round-trips through parseFaultPlan); for logs and the CLI banner. */
export function formatFaultPlan(plan: FaultPlan): string {
  return plan.map(formatRule).join(';');
}

function globToRegExp(glob: string): RegExp {
  return new RegExp('^' + glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

/**
 * The plan as seen by one sandbox server: only rules for its upstream (or `*`), with the
 * per-rule match counters that `count`/`after` need. Replacing the plan resets the counters.
 */
export class FaultInjector {
  private rules: { rule: FaultRule; pattern: RegExp; seen: number }[] = [];

  constructor(
    readonly upstream: UpstreamName,
    plan: FaultPlan | string = [],
  ) {
    this.set(plan);
  }

  set(plan: FaultPlan | string | undefined): void {
    this.rules = toFaultPlan(plan)
      .filter((r) => r.upstream === '*' || r.upstream === this.upstream)
      .map((rule) => ({ rule, pattern: globToRegExp(rule.route), seen: 0 }));
  }

  get plan(): FaultPlan {
    return this.rules.map((r) => r.rule);
  }

  /** The fault for this request, if any; counts the request against every matching rule it reaches. */
  pick(method: string, path: string): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.rule.method && r.rule.method !== method.toUpperCase()) continue;
      if (!r.pattern.test(path)) continue;
      const n = r.seen++;
      const after = r.rule.after ?? 0;
      if (n < after) continue;
      if (r.rule.count !== undefined && n - after >= r.rule.count) continue;
      return r.rule;
    }
    return undefined;
  }
}
