import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/persistence/orm';
import { ADMIN_URL } from './helpers';

/** Node's own module cache: vitest loads node_modules packages natively, so a loaded PGlite shows up here. */
const pgliteLoaded = () => Object.keys(require.cache).some((k) => /node_modules\/@electric-sql\/pglite\//.test(k));

describe('PGlite loads with the first embedded database, not with the gateway (issue 15 P7)', { timeout: 120_000 }, () => {
  it('a gateway on PostgreSQL loads no PGlite; an embedded database loads it and answers', async () => {
    await import('../../src/server/gateway');
    const pg = await openDatabase({ databaseUrl: ADMIN_URL, poolMax: 1 });
    try {
      await pg.ping();
    } finally {
      await pg.close();
    }
    expect(pgliteLoaded()).toBe(false);

    const embedded = await openDatabase({ pgliteDataDir: 'memory://' });
    try {
      expect(pgliteLoaded()).toBe(true);
      expect(embedded.kind).toBe('pglite');
      await embedded.ping();
    } finally {
      await embedded.close();
    }
  });
});
