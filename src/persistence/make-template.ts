/**
 * `npm run build` runs this after compiling: it makes the in-memory PGlite template (pglite-template.ts) if the
 * running PGlite version and migration set have none yet, so the first `serve` after a fresh clone starts as
 * fast as every later one. A no-op when the template exists; failure only costs that first start its initdb.
 */
import 'reflect-metadata';
import { openDatabase } from './orm';

if (require.main === module) {
  openDatabase({ pgliteDataDir: 'memory://' })
    .then((db) => db.close())
    .catch((e: unknown) => {
      console.error(`thuegate: no PGlite template made (${e instanceof Error ? e.message : String(e)}); in-memory starts run initdb`);
    });
}
