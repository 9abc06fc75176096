#!/usr/bin/env node
'use strict';
// The CLI runs the compiled code; `npm run build` (run by `npm start`) creates it: the bundle dist/bundle/thuegate.js
// with a V8 code cache, or dist/src/cli.js where there is no current bundle (src/boot/load.ts).
let boot;
try {
  boot = require('../dist/src/boot/load.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/src/boot/load.js')) {
    console.error('thuegate: not built yet — run `npm run build` first');
    process.exit(1);
  }
  throw e;
}
boot.main();
