import { readFileSync } from 'node:fs';
import { DVDV_ENTRY_PATHS, type DvdvEntryPath } from '../upstreams/dvdv/client';
import { parseGeoproxyServices, type GeoproxyServiceConfig } from '../upstreams/geoproxy/client';
import type { UpstreamName } from '../upstreams/runtime/names';
import { invalidCorsEntry } from './cors';

/** `sandbox` = start the simulated upstream in-process on a loopback port (embedded mode). */
export type UpstreamTarget = { kind: 'sandbox' } | { kind: 'url'; urls: string[] };

export interface Config {
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
  upstreams: Record<UpstreamName, UpstreamTarget>;
  pvogClientId?: string;
  pvogMaxRps: number;
  /** DVDV operator access: entry path and, for standalone authentication, the client key and certificate (PEM). */
  dvdv: { entryPath?: DvdvEntryPath; clientKeyPem?: string; clientCertPem?: string };
  /** The Geoproxy services the gateway may query; a client can never name another. */
  geoproxyServices: GeoproxyServiceConfig[];
  adminToken?: string;
  /** Browser origins allowed to call the gateway (CORS): allow-list entries, or `loopback` (development default). */
  cors: { origins: string[] | 'loopback'; credentials: boolean };
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

/** The configuration variables, their defaults and what a valid value looks like (README table is generated from this). */
export const CONFIG_VARS = {
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
  PVOG_BASE_URL: { default: 'sandbox', help: 'PVOG Suchdienst base, prod `https://pvog.fitko.net/suchdienst/api`' },
  PVOG_CLIENT_ID: { default: '', help: 'value of the `pvog-sud-api-client-id` header issued by FITKO' },
  PVOG_MAX_RPS: { default: '5', help: 'request rate limit towards a real PVOG per gateway instance (not applied to the sandbox)' },
  GEOPROXY_SERVICES: { default: '', help: 'Geoproxy services to expose, `Name=WMS@1.3.0,Other=WFS@2.0.0`; empty = the services listed in the upstream notes' },
  THAVEL_BASE_URL: { default: 'sandbox', help: 'ThAVEL catalogue endpoint (adopted contract, see upstream notes)' },
  GEOMIS_BASE_URL: { default: 'sandbox', help: 'GeoMIS.Th CSW, prod `https://geomis.geoportal-th.de/geonetwork/srv/ger/csw`' },
  GEOPROXY_BASE_URL: { default: 'sandbox', help: 'Geoproxy services root, prod `https://www.geoproxy.geoportal-th.de/geoproxy/services`' },
  DVDV_BASE_URLS: { default: 'sandbox', help: 'DVDV operator base URL(s), comma-separated for failover (deployment-specific)' },
  DVDV_ENTRY_PATH: { default: '', help: 'DVDV entry path: `intern/directory`, `extern/standaloneauth/directory` or `extern/bundesmasterauth/directory`; empty = `intern/directory` (or standalone auth for the sandbox)' },
  DVDV_CLIENT_KEY_FILE: { default: '', help: 'PEM private key of the gateway\'s DVDV client certificate (standalone authentication); with DVDV_CLIENT_CERT_FILE' },
  DVDV_CLIENT_CERT_FILE: { default: '', help: 'PEM client certificate registered with the DVDV operator; with DVDV_CLIENT_KEY_FILE' },
  ADMIN_TOKEN: { default: '', help: 'bearer token for admin operations until API keys exist; empty = admin operations off' },
  CORS_ORIGINS: { default: '', help: 'browser origins allowed to call the gateway (CORS), comma-separated: exact origins `https://portal.example.org` or patterns `https://*.example.org`; empty = loopback origins (`http://localhost:*`, `http://127.0.0.1:*`) in development, none in production' },
  CORS_CREDENTIALS: { default: 'false', help: 'send `Access-Control-Allow-Credentials: true` to allowed origins (`true`/`false`); API keys in headers need no credentials' },
  LOG_LEVEL: { default: 'info', help: '`silent`, `error`, `warn`, `info` or `debug`' },
} as const;
export type ConfigVar = keyof typeof CONFIG_VARS;

export class ConfigError extends Error {
  constructor(readonly variable: string, expected: string, got: string | undefined) {
    super(`${variable}: expected ${expected}, got ${got === undefined ? 'nothing' : JSON.stringify(got)}`);
    this.name = 'ConfigError';
  }
}

const UPSTREAM_VAR: Record<UpstreamName, ConfigVar> = {
  pvog: 'PVOG_BASE_URL',
  thavel: 'THAVEL_BASE_URL',
  geomis: 'GEOMIS_BASE_URL',
  geoproxy: 'GEOPROXY_BASE_URL',
  dvdv: 'DVDV_BASE_URLS',
};

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

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const merged: Record<string, string | undefined> = env.CONFIG_FILE ? { ...readConfigFile(env.CONFIG_FILE), ...env } : env;
  const raw = (k: ConfigVar): string => {
    const v = merged[k];
    return v === undefined || v.trim() === '' ? CONFIG_VARS[k].default : v.trim();
  };
  const production = oneOf('NODE_ENV', raw('NODE_ENV'), ['development', 'production', 'test']) === 'production';

  const upstreams = {} as Record<UpstreamName, UpstreamTarget>;
  for (const name of Object.keys(UPSTREAM_VAR) as UpstreamName[]) {
    const variable = UPSTREAM_VAR[name];
    const value = raw(variable);
    if (value === 'sandbox') {
      if (production) throw new ConfigError(variable, 'the upstream base URL in production (`sandbox` is for development)', value);
      upstreams[name] = { kind: 'sandbox' };
    } else {
      upstreams[name] = { kind: 'url', urls: value.split(',').map((u) => httpUrl(variable, u.trim())) };
    }
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
    pvogClientId: raw('PVOG_CLIENT_ID') || undefined,
    pvogMaxRps: int('PVOG_MAX_RPS', raw('PVOG_MAX_RPS'), 1, 1000),
    geoproxyServices: geoproxyServices(raw('GEOPROXY_SERVICES')),
    dvdv: dvdvAccess(raw('DVDV_ENTRY_PATH'), raw('DVDV_CLIENT_KEY_FILE'), raw('DVDV_CLIENT_CERT_FILE')),
    adminToken: adminToken(raw('ADMIN_TOKEN')),
    cors: { origins: corsOrigins(raw('CORS_ORIGINS'), production), credentials: bool('CORS_CREDENTIALS', raw('CORS_CREDENTIALS')) },
    logLevel: oneOf('LOG_LEVEL', raw('LOG_LEVEL'), ['silent', 'error', 'warn', 'info', 'debug']),
  };
}

function int(variable: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new ConfigError(variable, `an integer from ${min} to ${max}`, v);
  return n;
}

// Exactly the two words the message names: `yes`/`1` would be guesses about what an operator meant.
function bool(variable: string, v: string): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConfigError(variable, '`true` or `false`', v);
}

function oneOf<T extends string>(variable: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new ConfigError(variable, `one of ${allowed.join(', ')}`, v);
  return v as T;
}

function url(variable: string, v: string, protocols: string[], expected: string): URL {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new ConfigError(variable, expected, v);
  }
  if (!protocols.includes(u.protocol) || !u.hostname) throw new ConfigError(variable, expected, v);
  return u;
}

function httpUrl(variable: string, v: string): string {
  const u = url(variable, v, ['http:', 'https:'], 'an http(s) base URL or `sandbox`');
  return u.toString().replace(/\/$/, '');
}

function geoproxyServices(v: string): GeoproxyServiceConfig[] {
  try {
    return parseGeoproxyServices(v || undefined);
  } catch (e) {
    const detail = (e as Error).message.replace(/^GEOPROXY_SERVICES: expected /, '');
    throw new ConfigError('GEOPROXY_SERVICES', detail.replace(/, got .*$/, ''), v);
  }
}

function dvdvAccess(entryPath: string, keyFile: string, certFile: string): Config['dvdv'] {
  const path = entryPath ? oneOf('DVDV_ENTRY_PATH', entryPath, DVDV_ENTRY_PATHS) : undefined;
  if (!keyFile !== !certFile) {
    const missing = keyFile ? 'DVDV_CLIENT_CERT_FILE' : 'DVDV_CLIENT_KEY_FILE';
    throw new ConfigError(missing, 'a PEM file (the key and the certificate are configured together)', undefined);
  }
  const read = (variable: string, file: string, marker: RegExp): string | undefined => {
    if (!file) return undefined;
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(variable, 'a readable PEM file', `${file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    if (!marker.test(pem)) throw new ConfigError(variable, 'a PEM file', file);
    return pem;
  };
  return {
    entryPath: path,
    clientKeyPem: read('DVDV_CLIENT_KEY_FILE', keyFile, /-----BEGIN (RSA |EC )?PRIVATE KEY-----/),
    clientCertPem: read('DVDV_CLIENT_CERT_FILE', certFile, /-----BEGIN CERTIFICATE-----/),
  };
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
