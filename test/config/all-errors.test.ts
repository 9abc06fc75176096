import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config';
import { loadConfig } from '../../src/server/config';
import { projectRoot } from '../../src/util/paths';

// An operator with several wrong settings learns about all of them in one start, not one per attempt (issue 14).
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => p.message);
  }
  throw new Error('expected a ConfigError');
};

describe('configuration errors are reported all at once', () => {
  it('core and adapter variables, each named once with its expected form', () => {
    const got = problems({ PORT: 'abc', AUTO_MIGRATE: 'yes', LOG_LEVEL: 'verbose', REDIS_URL: 'localhost:6379', PVOG_MAX_RPS: '0', GEOMIS_BASE_URL: 'ftp://geomis' });
    expect(got).toHaveLength(6);
    expect(got).toEqual(
      expect.arrayContaining([
        'PORT: expected an integer from 0 to 65535, got "abc"',
        'AUTO_MIGRATE: expected `true` or `false`, got "yes"',
        expect.stringMatching(/^LOG_LEVEL: expected one of silent, error, warn, info, debug, got "verbose"$/),
        expect.stringMatching(/^REDIS_URL: expected a Redis URL/),
        expect.stringMatching(/^PVOG_MAX_RPS: expected an integer from 1 to 1000, got "0"$/),
        expect.stringMatching(/^GEOMIS_BASE_URL: expected an http\(s\) base URL/),
      ]),
    );
  });

  it('production without upstream URLs names every sandbox upstream, plus the other wrong values', () => {
    const got = problems({ NODE_ENV: 'production', CORS_CREDENTIALS: 'maybe', ADMIN_TOKEN: 'short' });
    const variables = got.map((m) => m.split(':')[0]).sort();
    expect(variables).toEqual(['ADMIN_TOKEN', 'CORS_CREDENTIALS', 'DVDV_BASE_URLS', 'GEOMIS_BASE_URL', 'GEOPROXY_BASE_URL', 'PVOG_BASE_URL', 'THAVEL_BASE_URL']);
    expect(got.find((m) => m.startsWith('ADMIN_TOKEN'))).not.toContain('short'); // the secret stays hidden
  });

  it('every malformed line of a config file, together with wrong values from the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'thuegate-cfg-')), 'bad.env');
    writeFileSync(file, 'PORT=4001\nthis is not a setting\nLOG_LEVEL=loud\nlower=case\n');
    const got = problems({ CONFIG_FILE: file, SHUTDOWN_GRACE_MS: '-1' });
    expect(got).toEqual([
      `CONFIG_FILE: expected KEY=VALUE on line 2 of ${file}, got "this is not a setting"`,
      `CONFIG_FILE: expected KEY=VALUE on line 4 of ${file}, got "lower=case"`,
      'SHUTDOWN_GRACE_MS: expected an integer from 0 to 600000, got "-1"',
      'LOG_LEVEL: expected one of silent, error, warn, info, debug, got "loud"',
    ]);
  });

  it('one wrong value is still a plain ConfigError with one line', () => {
    expect(problems({ PORT: '70000' })).toEqual(['PORT: expected an integer from 0 to 65535, got "70000"']);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^PORT: /);
  });

  it('the CLI prints one line per wrong variable and exits 2', () => {
    const r = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'thuegate.js'), 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), PORT: 'abc', AUTO_MIGRATE: 'yes', DVDV_ENTRY_PATH: '../admin' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const v of ['PORT', 'AUTO_MIGRATE', 'DVDV_ENTRY_PATH']) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^thuegate: invalid configuration — ${v}: expected `)));
  });
});
