import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config';
import { loadConfig } from '../../src/server/config';

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('defaults to embedded mode: port 4000, PGlite, in-process cache, sandbox upstreams', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.autoMigrate).toBe(true);
    expect(Object.values(c.upstreams).every((u) => u.kind === 'sandbox')).toBe(true);
    expect(Object.keys(c.upstreams).sort()).toEqual(['dvdv', 'geomis', 'geoproxy', 'pvog', 'thavel']);
  });

  it('reads real upstream URLs, several DVDV operators for failover, and database/redis URLs', () => {
    const c = loadConfig({
      PVOG_BASE_URL: 'https://pvog.fitko.net/suchdienst/api/',
      DVDV_BASE_URLS: 'https://dvdv-a.example.org/dvdv, https://dvdv-b.example.org/dvdv',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      PORT: '8080',
    });
    expect(c.upstreams.pvog).toEqual({ kind: 'url', urls: ['https://pvog.fitko.net/suchdienst/api'] });
    expect(c.upstreams.dvdv).toEqual({ kind: 'url', urls: ['https://dvdv-a.example.org/dvdv', 'https://dvdv-b.example.org/dvdv'] });
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toContain('127.0.0.1');
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: expected an integer from 0 to 65535, got "abc"$/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ DATABASE_URL: 'mysql://x@h/db' }, /^DATABASE_URL: expected a PostgreSQL URL/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: expected a Redis URL/],
    [{ GEOMIS_BASE_URL: 'ftp://geomis' }, /^GEOMIS_BASE_URL: expected an http\(s\) base URL/],
    [{ DVDV_BASE_URLS: 'https://ok.example.org,not a url' }, /^DVDV_BASE_URLS: /],
    [{ AUTO_MIGRATE: 'maybe' }, /^AUTO_MIGRATE: expected `true` or `false`/],
    [{ AUTO_MIGRATE: 'yes' }, /^AUTO_MIGRATE: expected `true` or `false`, got "yes"/],
    [{ AUTO_MIGRATE: '1' }, /^AUTO_MIGRATE: expected `true` or `false`, got "1"/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: expected one of silent, error, warn, info, debug/],
    [{ ADMIN_TOKEN: 'short' }, /^ADMIN_TOKEN: expected at least 24 characters/],
    // The other four upstreams configured, so only PVOG is wrong (test/config/all-errors.test.ts: all at once).
    [
      {
        NODE_ENV: 'production',
        THAVEL_BASE_URL: 'https://thavel.example.org',
        GEOMIS_BASE_URL: 'https://geomis.example.org/csw',
        GEOPROXY_BASE_URL: 'https://geoproxy.example.org/services',
        DVDV_BASE_URLS: 'https://dvdv.example.org',
      },
      /^PVOG_BASE_URL: expected the upstream base URL in production/,
    ],
    [{ GEOPROXY_SERVICES: 'DOP=WMS@9.9' }, /^GEOPROXY_SERVICES: expected comma-separated "Name=WMS@1.3.0\|1.1.1" .*, got "DOP=WMS@9.9"$/],
    [{ PVOG_MAX_RPS: '0' }, /^PVOG_MAX_RPS: expected an integer from 1 to 1000/],
    [{ DVDV_ENTRY_PATH: '../admin' }, /^DVDV_ENTRY_PATH: expected one of intern\/directory, extern\/standaloneauth\/directory/],
    [{ DVDV_CLIENT_KEY_FILE: '/etc/hostname' }, /^DVDV_CLIENT_CERT_FILE: expected a PEM file \(the key and the certificate are configured together\), got nothing$/],
    [{ DVDV_CLIENT_KEY_FILE: '/nonexistent.pem', DVDV_CLIENT_CERT_FILE: '/nonexistent.crt' }, /^DVDV_CLIENT_KEY_FILE: expected a readable PEM file, got "\/nonexistent.pem \(ENOENT\)"$/],
  ])('rejects %j with one line naming the variable', (env, pattern) => {
    const message = fails(env as Record<string, string>);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret it rejects', () => {
    expect(fails({ ADMIN_TOKEN: 'hunter2' })).not.toContain('hunter2');
  });

  it('reads a KEY=VALUE file; the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thuegate-cfg-'));
    const file = join(dir, 'thuegate.env');
    writeFileSync(file, '# gateway\nPORT=5005\nLOG_LEVEL="warn"\n\nREDIS_URL=redis://127.0.0.1:6379\n');
    const c = loadConfig({ CONFIG_FILE: file, LOG_LEVEL: 'error' });
    expect(c.port).toBe(5005);
    expect(c.logLevel).toBe('error');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    writeFileSync(file, 'PORT 5005\n');
    expect(fails({ CONFIG_FILE: file })).toMatch(/^CONFIG_FILE: expected KEY=VALUE on line 1/);
    expect(fails({ CONFIG_FILE: join(dir, 'missing.env') })).toMatch(/^CONFIG_FILE: expected a readable file.*ENOENT/);
  });
});

describe('README configuration table', () => {
  it('lists every variable with its default and meaning, as the code defines them', async () => {
    const { readFileSync } = await import('node:fs');
    const { CONFIG_VARS } = await import('../../src/server/config');
    const { projectRoot } = await import('../../src/util/paths');
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    const table = readme.split('<!-- config-table:start -->')[1].split('<!-- config-table:end -->')[0];
    const expected = Object.entries(CONFIG_VARS).map(
      ([k, v]) => `| \`${k}\` | ${v.default ? `\`${v.default}\`` : '—'} | ${v.help} |`,
    );
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toEqual(expected);
  });
});
