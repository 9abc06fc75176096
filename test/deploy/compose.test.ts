import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARS, loadConfig } from '../../src/server/config';
import { projectRoot } from '../../src/util/paths';
import { serveNodeFlags } from '../../bench/lib/context';

/**
 * No container engine runs here, so compose.yaml and the Dockerfile are checked for what breaks a
 * deployment silently: a misspelled variable (ignored, default used), a replica whose configuration the
 * gateway refuses in production, a service without health check, replicas not sharing state.
 */
const root = projectRoot();
const compose = parse(readFileSync(join(root, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; healthcheck?: unknown; depends_on?: Record<string, { condition: string }>; ports?: string[] }>;
};
const gateways = Object.entries(compose.services).filter(([name]) => name.startsWith('gateway'));

/** `${VAR:?msg}` / `${VAR:-default}` as compose would substitute them, with an operator's values for the required ones. */
const substitute = (v: string) =>
  String(v).replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, kind: string, arg: string) =>
    kind === '-' ? arg : `https://${name.toLowerCase().replace(/_/g, '-')}.example.org`,
  );

describe('compose.yaml', () => {
  it('runs two gateway replicas on one PostgreSQL and one Redis, each on its own host port', () => {
    expect(gateways.map(([n]) => n).sort()).toEqual(['gateway-a', 'gateway-b']);
    const env = gateways.map(([, s]) => s.environment!);
    expect(new Set(env.map((e) => e.DATABASE_URL)).size).toBe(1);
    expect(new Set(env.map((e) => e.REDIS_URL)).size).toBe(1);
    expect(new Set(gateways.map(([, s]) => s.ports![0].split(':')[0])).size).toBe(2);
  });

  it('sets only variables the gateway knows, with values it accepts in production', () => {
    for (const [name, service] of gateways) {
      const env = Object.fromEntries(Object.entries(service.environment!).map(([k, v]) => [k, substitute(v)]));
      for (const key of Object.keys(env)) expect(CONFIG_VARS, `${name}: ${key}`).toHaveProperty(key);
      const config = loadConfig(env);
      expect(config.production).toBe(true);
      expect(config.databaseUrl).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(Object.values(config.upstreams).every((u) => u.kind === 'url')).toBe(true);
    }
  });

  it('gives every service a health check and starts the gateways only on healthy dependencies', () => {
    for (const [name, s] of Object.entries(compose.services)) expect(s.healthcheck, name).toBeDefined();
    for (const [, s] of gateways) {
      expect(s.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    }
  });
});

describe('Dockerfile', () => {
  it('builds and runs on Node 24 while package.json still admits the Node 20 of development machines', () => {
    const stages = [...readFileSync(join(root, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThan(1);
    for (const s of stages) expect(s).toMatch(/^node:24-/);
    const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/>=20/);
  });

  it('bounds the V8 heap as `npm start` does, so the image keeps the memory the bench measured (README "Memory")', () => {
    const flags = serveNodeFlags(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(flags.some((f) => /^--max-old-space-size=\d+$/.test(f))).toBe(true);
    const env = /^ENV\b[\s\S]*?\bNODE_OPTIONS=(\S+)/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    expect(env?.[1].split(/\s+/)).toEqual(flags);
  });
});
