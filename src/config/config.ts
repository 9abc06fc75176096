import { readFileSync } from 'node:fs';
import { LOG_LEVELS, type LogLevel } from '../observability/log';
import type { UpstreamName } from '../upstreams/runtime/names';
import { invalidCorsEntry } from './cors';

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
  ADMIN_TOKEN: { default: '', help: 'bearer token for admin operations until API keys exist; empty = admin operations off' },
  CORS_ORIGINS: { default: '', help: 'browser origins allowed to call the gateway (CORS), comma-separated: exact origins `https://portal.example.org` or patterns `https://*.example.org`; empty = loopback origins (`http://localhost:*`, `http://127.0.0.1:*`) in development, none in production' },
  CORS_CREDENTIALS: { default: 'false', help: 'send `Access-Control-Allow-Credentials: true` to allowed origins (`true`/`false`); API keys in headers need no credentials' },
  LOG_LEVEL: { default: 'info', help: '`silent`, `error`, `warn`, `info` or `debug`' },
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
    if (!m) throw new ConfigError('CONFIG_FILE', `KEY=VALUE on line ${i + 1} of ${path}`, t);
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  });
  return out;
}

/** Parses and validates the core variables and every section handed in; the first invalid value throws a ConfigError naming it. */
export function parseConfig(sections: readonly SectionEntry[], env: Record<string, string | undefined>): Config {
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
    const parsed = config.parse(raw, { production });
    adapters[name] = parsed;
    upstreams[name] = parsed.target;
  }

  const databaseUrl = raw('DATABASE_URL') || undefined;
  if (databaseUrl) url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:'], 'a PostgreSQL URL postgres://user@host:5432/db');
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
    harvest: {
      intervalMs: duration('HARVEST_INTERVAL', raw('HARVEST_INTERVAL')),
      keepSnapshots: int('HARVEST_KEEP_SNAPSHOTS', raw('HARVEST_KEEP_SNAPSHOTS'), 1, 10_000),
      concurrency: int('HARVEST_CONCURRENCY', raw('HARVEST_CONCURRENCY'), 1, 64),
    },
  };
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
    if (production) throw new ConfigError(variable, 'the upstream base URL in production (`sandbox` is for development)', value);
    return { kind: 'sandbox' };
  }
  return { kind: 'url', urls: value.split(',').map((u) => httpUrl(variable, u.trim())) };
}

export function int(variable: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new ConfigError(variable, `an integer from ${min} to ${max}`, v);
  return n;
}

export function bool(variable: string, v: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigError(variable, '`true` or `false`', v);
}

export function oneOf<T extends string>(variable: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new ConfigError(variable, `one of ${allowed.join(', ')}`, v);
  return v as T;
}

export function url(variable: string, v: string, protocols: string[], expected: string): URL {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(variable, expected, v);
  }
  if (!protocols.includes(u.protocol) || !u.hostname) throw new ConfigError(variable, expected, v);
  return u;
}

export function httpUrl(variable: string, v: string): string {
  const u = url(variable, v, ['http:', 'https:'], 'an http(s) base URL or `sandbox`');
  return u.toString().replace(/\/$/, '');
}

function adminToken(v: string): string | undefined {
  if (!v) return undefined;
  // A short shared secret on an admin operation is worse than none: refuse it.
  if (v.length < 24) throw new ConfigError('ADMIN_TOKEN', 'at least 24 characters (or empty to disable admin operations)', '<hidden>');
  return v;
}

function corsOrigins(v: string, production: boolean): string[] | 'loopback' {
  if (!v) return production ? [] : 'loopback';
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of entries) {
    const expected = invalidCorsEntry(e);
    if (expected) throw new ConfigError('CORS_ORIGINS', expected, e);
  }
  return entries;
}
