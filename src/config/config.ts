import { readFileSync } from 'node:fs';
import { LOG_LEVELS, type LogLevel } from '../observability/log';
import type { UpstreamName } from '../upstreams/runtime/names';
import { invalidCorsEntry } from './cors';
import { PROTECTION_CONFIG_VARS, parseProtection, type ProtectionConfig } from './protection';

/** `sandbox` = start the simulated upstream in-process on a loopback port (embedded mode). */
export type UpstreamTarget = { kind: 'sandbox' } | { kind: 'url'; urls: string[] };

/** One configuration variable: its default and what a valid value looks like (the README table is generated from these). */
export interface ConfigVarSpec {
  default: string;
  help: string;
}

/** What every adapter's section parses to: at least where its upstream is. */
export interface AdapterConfigBase {
  target: UpstreamTarget;
}

/**
 * The configuration an adapter contributes (src/upstreams/<name>/config.ts): its variables and their parser.
 * This module never imports an adapter; the composition root hands the sections in (src/server/config.ts).
 */
export interface ConfigSection<T extends AdapterConfigBase = AdapterConfigBase> {
  vars: Record<string, ConfigVarSpec>;
  parse(raw: (variable: string) => string, ctx: { production: boolean }): T;
}

/**
 * The parsed section of each adapter, by upstream name. Each adapter adds its entry by declaration merging
 * (`declare module '../../config/config'` in its config.ts), so this module stays free of adapter imports.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AdapterConfigs {}

/** The variables of the gateway itself (adapters add theirs; see `configVars`). */
export const CORE_CONFIG_VARS = {
  NODE_ENV: { default: 'development', help: '`production` hides internal error detail, refuses sandbox upstreams and disables introspection' },
  HOST: { default: '127.0.0.1', help: 'interface to listen on (`0.0.0.0` in containers)' },
  PORT: { default: '4000', help: 'HTTP port, 0–65535 (0 = any free port)' },
  DATABASE_URL: { default: '', help: 'PostgreSQL URL `postgres://user@host:5432/db`; empty = embedded PGlite' },
  PGLITE_DIR: { default: '.data/pglite', help: 'PGlite data directory, or `memory://` (only used without DATABASE_URL)' },
  AUTO_MIGRATE: { default: 'true', help: 'apply pending migrations on start (`true`/`false`)' },
  REDIS_URL: { default: '', help: 'Redis URL `redis://host:6379/0` for the shared L2 cache; empty = in-process cache only' },
  CACHE_MAX_BYTES: { default: '67108864', help: 'byte bound of the in-process cache' },
  REQUEST_TIMEOUT_MS: { default: '10000', help: 'deadline of one GraphQL request including all upstream calls' },
  SHUTDOWN_GRACE_MS: { default: '10000', help: 'how long SIGTERM waits for in-flight requests' },
  ADMIN_TOKEN: { default: '', help: 'bearer token (`Authorization: Bearer …`) accepted for admin operations besides API keys of role `admin`; empty = admin API keys only' },
  CORS_ORIGINS: { default: '', help: 'browser origins allowed to call the gateway (CORS), comma-separated: exact origins `https://portal.example.org` or patterns `https://*.example.org`; empty = loopback origins (`http://localhost:*`, `http://127.0.0.1:*`) in development, none in production' },
  CORS_CREDENTIALS: { default: 'false', help: 'send `Access-Control-Allow-Credentials: true` to allowed origins (`true`/`false`); API keys in headers need no credentials' },
  LOG_LEVEL: { default: 'info', help: '`silent`, `error`, `warn`, `info` or `debug`' },
  INTROSPECTION: { default: '', help: 'schema introspection and "Did you mean …" suggestions in errors (`true`/`false`); empty = on in development, off in production' },
  COMPILED_EXECUTION: { default: 'true', help: 'run repeated uncacheable queries through their compiled form (graphql-jit) without Express and Apollo (`true`/`false`; src/server/compiled-execution/); `false` = every executed request takes Apollo' },
  MAX_QUERY_COST: { default: '3000', help: 'largest operation cost anonymous and `public` callers may run (1 per object, 20 per upstream request, lists multiplied by their size; see Limits)' },
  MAX_QUERY_COST_INTEGRATOR: { default: '15000', help: 'largest operation cost for the `integrator` role' },
  MAX_QUERY_COST_ADMIN: { default: '30000', help: 'largest operation cost for the `admin` role' },
  ...PROTECTION_CONFIG_VARS,
  OTEL_EXPORTER_OTLP_ENDPOINT: { default: '', help: 'OpenTelemetry collector (OTLP over HTTP) base URL, e.g. `http://127.0.0.1:4318`; traces go to `<endpoint>/v1/traces`; empty = traces are not exported (trace ids still name requests and log lines)' },
  CONFORMANCE_PROBE_HOSTS: { default: '', help: 'hosts (`host` or `host:port`, comma-separated) conformance link checks may probe besides the configured upstreams; empty = no link probes to other hosts' },
  HARVEST_INTERVAL: { default: 'off', help: 'how often `serve` harvests all upstreams into a new snapshot, e.g. `6h`, `30m`; `off` = only `thuegate harvest`' },
  HARVEST_KEEP_SNAPSHOTS: { default: '30', help: 'complete harvest snapshots kept readable; older ones are pruned (their availability aggregates stay for history)' },
  HARVEST_CONCURRENCY: { default: '4', help: 'work units (e.g. municipalities) a harvest runs at once per upstream; PVOG_MAX_RPS still bounds the rate' },
} as const satisfies Record<string, ConfigVarSpec>;

export interface CoreConfig {
  production: boolean;
  host: string;
  port: number;
  databaseUrl?: string;
  pgliteDir: string; // 'memory://' or a directory
  autoMigrate: boolean;
  redisUrl?: string;
  cacheMaxBytes: number;
  requestTimeoutMs: number;
  shutdownGraceMs: number;
  adminToken?: string;
  /** Browser origins allowed to call the gateway (CORS): allow-list entries, or `loopback` (development default). */
  cors: { origins: string[] | 'loopback'; credentials: boolean };
  logLevel: LogLevel;
  /** Introspection and field suggestions in error messages (off in production unless INTROSPECTION=true). */
  introspection: boolean;
  /** Repeated uncacheable queries run compiled, beside Apollo (src/server/compiled-execution/). */
  compiledExecution: boolean;
  /** Largest operation cost per role (src/server/plugins/cost.ts); anonymous callers are `public`. */
  maxQueryCost: { public: number; integrator: number; admin: number };
  /** Rate limits, client address behind proxies, trusted documents, free-text cache bound (config/protection.ts). */
  protection: ProtectionConfig;
  /** OTLP/HTTP collector base URL; undefined = spans are not exported (observability/tracing.ts). */
  otlpEndpoint?: string;
  /** Hosts conformance link probes may reach besides the configured upstreams (docs/conformance-rules.md). */
  conformanceProbeHosts: string[];
  /** Harvest schedule and retention (src/harvest/): intervalMs null = no schedule in `serve`. */
  harvest: { intervalMs: number | null; keepSnapshots: number; concurrency: number };
}

export interface Config extends CoreConfig {
  /** Where each upstream is (from its adapter's section). */
  upstreams: Record<UpstreamName, UpstreamTarget>;
  /** Each adapter's own parsed section. */
  adapters: AdapterConfigs;
}

export interface SectionEntry {
  name: UpstreamName;
  config: ConfigSection;
}

/** Core variables first, then each adapter's in registration order. */
export function configVars(sections: readonly SectionEntry[]): Record<string, ConfigVarSpec> {
  return Object.assign({}, CORE_CONFIG_VARS, ...sections.map((s) => s.config.vars));
}

export class ConfigError extends Error {
  constructor(readonly variable: string, expected: string, got: string | undefined) {
    super(`${variable}: expected ${expected}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`);
    this.name = 'ConfigError';
  }

  /** Every wrong variable this error stands for (one, or all of them for `InvalidConfigError`). */
  get problems(): readonly ConfigError[] {
    return [this];
  }
}

/** Several wrong variables at once, so an operator fixes the whole file in one round (issue 14). */
export class InvalidConfigError extends ConfigError {
  constructor(private readonly all: readonly ConfigError[]) {
    super(all[0].variable, '', undefined);
    this.name = 'InvalidConfigError';
    this.message = all.map((e) => e.message).join('\n');
  }

  override get problems(): readonly ConfigError[] {
    return this.all;
  }
}

/**
 * While `parseConfig` runs, the validators below record a wrong value here and carry on with a placeholder
 * instead of throwing, so the adapters' sections (which call them) report all their problems too. Parsing is
 * synchronous, so this is only ever set for the duration of one `parseConfig` call.
 */
let collecting: ConfigError[] | undefined;

function invalid<T>(error: ConfigError, placeholder: T): T {
  if (!collecting) throw error;
  collecting.push(error);
  return placeholder;
}

/** Runs `parse` with every validator failure collected; throws them all at once (one alone stays a plain ConfigError). */
function collectingErrors<T>(parse: () => T): T {
  const outer = collecting;
  const errors: ConfigError[] = [];
  collecting = errors;
  let result: T;
  try {
    result = parse();
  } finally {
    collecting = outer;
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new InvalidConfigError(errors);
  return result;
}

/** A value whose own checks throw directly (adapter code): recorded, and `placeholder` used for the rest of the parse. */
function attempt<T>(fn: () => T, placeholder: T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError && collecting) return invalid(e, placeholder);
    throw e;
  }
}

/** KEY=VALUE lines (dotenv subset); the environment wins over the file so one-off overrides work. */
export function readConfigFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('CONFIG_FILE', 'a readable file', `${path} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const m = /^([A-Z][A-Z0-9_]*)\s*=\s*(.*)$/.exec(t);
    if (!m) return invalid(new ConfigError('CONFIG_FILE', `KEY=VALUE on line ${i + 1} of ${path}`, t), undefined);
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  });
  return out;
}

/**
 * Parses and validates the core variables and every section handed in. Every invalid value is reported:
 * one throws a ConfigError naming it, several an InvalidConfigError listing them all.
 */
export function parseConfig(sections: readonly SectionEntry[], env: Record<string, string | undefined>): Config {
  return collectingErrors(() => parseAll(sections, env));
}

function parseAll(sections: readonly SectionEntry[], env: Record<string, string | undefined>): Config {
  const vars = configVars(sections);
  const merged: Record<string, string | undefined> = env.CONFIG_FILE ? { ...readConfigFile(env.CONFIG_FILE), ...env } : env;
  const raw = (k: string): string => {
    const spec = vars[k];
    if (!spec) throw new TypeError(`configuration variable ${k} is not declared by the core or any adapter section`);
    const v = merged[k];
    return v === undefined || v.trim() === '' ? spec.default : v.trim();
  };
  const production = oneOf('NODE_ENV', raw('NODE_ENV'), ['development', 'production', 'test']) === 'production';

  const upstreams = {} as Record<UpstreamName, UpstreamTarget>;
  const adapters: Record<string, AdapterConfigBase> = {};
  for (const { name, config } of sections) {
    // A section that throws one of its own checks directly stops there; its target falls back to the sandbox placeholder.
    const parsed = attempt(() => config.parse(raw, { production }), { target: { kind: 'sandbox' } } as AdapterConfigBase);
    adapters[name] = parsed;
    upstreams[name] = parsed.target;
  }

  const databaseUrl = raw('DATABASE_URL') || undefined;
  if (databaseUrl) url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:'], 'a PostgreSQL URL postgres://user@host:5432/db');
  const otlpEndpoint = raw('OTEL_EXPORTER_OTLP_ENDPOINT') || undefined;
  if (otlpEndpoint) url('OTEL_EXPORTER_OTLP_ENDPOINT', otlpEndpoint, ['http:', 'https:'], 'an http(s) URL of an OTLP/HTTP collector, e.g. http://127.0.0.1:4318');
  const redisUrl = raw('REDIS_URL') || undefined;
  if (redisUrl) url('REDIS_URL', redisUrl, ['redis:', 'rediss:'], 'a Redis URL redis://host:6379/0');

  return {
    production,
    host: raw('HOST'),
    port: int('PORT', raw('PORT'), 0, 65535), // 0 = any free port (tests)
    databaseUrl,
    pgliteDir: raw('PGLITE_DIR'),
    autoMigrate: bool('AUTO_MIGRATE', raw('AUTO_MIGRATE')),
    redisUrl,
    cacheMaxBytes: int('CACHE_MAX_BYTES', raw('CACHE_MAX_BYTES'), 1 << 20, 2 ** 40),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', raw('REQUEST_TIMEOUT_MS'), 100, 300_000),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', raw('SHUTDOWN_GRACE_MS'), 0, 600_000),
    upstreams,
    adapters: adapters as unknown as AdapterConfigs,
    adminToken: adminToken(raw('ADMIN_TOKEN')),
    cors: { origins: corsOrigins(raw('CORS_ORIGINS'), production), credentials: bool('CORS_CREDENTIALS', raw('CORS_CREDENTIALS')) },
    logLevel: oneOf('LOG_LEVEL', raw('LOG_LEVEL'), LOG_LEVELS),
    introspection: raw('INTROSPECTION') ? bool('INTROSPECTION', raw('INTROSPECTION')) : !production,
    compiledExecution: bool('COMPILED_EXECUTION', raw('COMPILED_EXECUTION')),
    maxQueryCost: {
      public: int('MAX_QUERY_COST', raw('MAX_QUERY_COST'), 1, 10_000_000),
      integrator: int('MAX_QUERY_COST_INTEGRATOR', raw('MAX_QUERY_COST_INTEGRATOR'), 1, 10_000_000),
      admin: int('MAX_QUERY_COST_ADMIN', raw('MAX_QUERY_COST_ADMIN'), 1, 10_000_000),
    },
    protection: parseProtection(raw, { int, oneOf, fail: (v, e, g) => { throw new ConfigError(v, e, g); } }),
    otlpEndpoint,
    conformanceProbeHosts: probeHosts(raw('CONFORMANCE_PROBE_HOSTS')),
    harvest: {
      intervalMs: duration('HARVEST_INTERVAL', raw('HARVEST_INTERVAL')),
      keepSnapshots: int('HARVEST_KEEP_SNAPSHOTS', raw('HARVEST_KEEP_SNAPSHOTS'), 1, 10_000),
      concurrency: int('HARVEST_CONCURRENCY', raw('HARVEST_CONCURRENCY'), 1, 64),
    },
  };
}

function probeHosts(v: string): string[] {
  const hosts = v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const bad = hosts.find((h) => !/^[a-z0-9.-]+(:\d{1,5})?$/.test(h));
  if (bad) throw new ConfigError('CONFORMANCE_PROBE_HOSTS', 'comma-separated host names or host:port, without scheme or path', v);
  return hosts;
}

const DURATION_UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `off`, or a positive whole number of seconds, minutes, hours or days (`90s`, `30m`, `6h`, `1d`); at least one minute. */
export function duration(variable: string, v: string): number | null {
  if (v === 'off') return null;
  const m = /^(\d+)([smhd])$/.exec(v);
  const ms = m ? Number(m[1]) * DURATION_UNIT_MS[m[2]] : NaN;
  if (!m || ms < 60_000 || ms > 366 * 86_400_000) throw new ConfigError(variable, '`off` or a duration of at least one minute such as `30m`, `6h` or `1d`', v);
  return ms;
}

/** `sandbox` (development only) or one or more comma-separated http(s) base URLs. */
export function upstreamTarget(variable: string, value: string, production: boolean): UpstreamTarget {
  if (value === 'sandbox') {
    if (production) return invalid(new ConfigError(variable, 'the upstream base URL in production (`sandbox` is for development)', value), { kind: 'sandbox' });
    return { kind: 'sandbox' };
  }
  return { kind: 'url', urls: value.split(',').map((u) => httpUrl(variable, u.trim())) };
}

export function int(variable: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) return invalid(new ConfigError(variable, `an integer from ${min} to ${max}`, v), min);
  return n;
}

export function bool(variable: string, v: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return invalid(new ConfigError(variable, '`true` or `false`', v), false);
}

export function oneOf<T extends string>(variable: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) return invalid(new ConfigError(variable, `one of ${allowed.join(', ')}`, v), allowed[0]);
  return v as T;
}

export function url(variable: string, v: string, protocols: string[], expected: string): URL {
  // The placeholder only keeps the parse going while errors are collected; it never reaches a Config.
  const placeholder = new URL('http://invalid.invalid');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return invalid(new ConfigError(variable, expected, v), placeholder);
  }
  if (!protocols.includes(u.protocol) || !u.hostname) return invalid(new ConfigError(variable, expected, v), placeholder);
  return u;
}

export function httpUrl(variable: string, v: string): string {
  const u = url(variable, v, ['http:', 'https:'], 'an http(s) base URL or `sandbox`');
  return u.toString().replace(/\/$/, '');
}

function adminToken(v: string): string | undefined {
  if (!v) return undefined;
  // A short shared secret on an admin operation is worse than none: refuse it.
  if (v.length < 24) return invalid(new ConfigError('ADMIN_TOKEN', 'at least 24 characters (or empty to disable admin operations)', '<hidden>'), undefined);
  return v;
}

function corsOrigins(v: string, production: boolean): string[] | 'loopback' {
  if (!v) return production ? [] : 'loopback';
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of entries) {
    const expected = invalidCorsEntry(e);
    if (expected) invalid(new ConfigError('CORS_ORIGINS', expected, e), undefined);
  }
  return entries;
}
