#!/usr/bin/env node
'use strict';
// The CLI runs the compiled code; `npm run build` (run by `npm start` and `npm ci`'s prepare) creates it.
try {
  require('../dist/src/cli.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli.js')) {
    console.error('thuegate: not built yet — run `npm run build` first');
    process.exit(1);
  }
  throw e;
}
