import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths';
import { ADMIN_URL } from './helpers';

/**
 * In the compiled code, as a gateway runs it (vitest would load PGlite as an ES module, which Node's require cache
 * does not show): a child process opens the databases and reports whether PGlite is in its module cache.
 */
const SCRIPT = `
  require('reflect-metadata');
  const loaded = () => Object.keys(require.cache).some((k) => /node_modules\\/@electric-sql\\/pglite\\//.test(k));
  const dist = ${JSON.stringify(join(projectRoot(), 'dist', 'src'))};
  (async () => {
    require(dist + '/server/gateway');
    const { openDatabase } = require(dist + '/persistence/orm');
    const pg = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 1 });
    await pg.ping();
    await pg.close();
    const afterPostgres = loaded();
    const embedded = await openDatabase({ pgliteDataDir: 'memory://' });
    await embedded.ping();
    await embedded.close();
    console.log(JSON.stringify({ afterPostgres, afterEmbedded: loaded(), kind: embedded.kind }));
  })().catch((e) => { console.error(e); process.exit(1); });
`;

describe('PGlite loads with the first embedded database, not with the gateway (issue 15 P7)', { timeout: 120_000 }, () => {
  it('a gateway on PostgreSQL loads no PGlite; an embedded database loads it and answers', () => {
    const r = spawnSync(process.execPath, ['-e', SCRIPT], { cwd: projectRoot(), encoding: 'utf8', env: { ...process.env, DATABASE_URL: ADMIN_URL }, timeout: 100_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ afterPostgres: false, afterEmbedded: true, kind: 'pglite' });
  });
});
