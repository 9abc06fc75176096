import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCache } from '../../../src/cache';
import { DvdvDirectory } from '../../../src/upstreams/dvdv/client';
import { createDvdvLoaders } from '../../../src/upstreams/dvdv/loaders';
import { SOURCE_DEFAULTS } from '../../../src/upstreams/registry';
import { createUpstreamClient } from '../../../src/upstreams/runtime/http';
import { UpstreamSource } from '../../../src/upstreams/runtime/source';
import { craftedDvdv } from './helpers';

// Issue 16 item 13: the batch size is asserted on what the operator receives — the items in each POST body
// (the OpenAPI's maxItems is 200) — not on a request count a warm data cache could lower.

let op: Awaited<ReturnType<typeof craftedDvdv>>;
beforeAll(async () => {
  op = await craftedDvdv((call) => (call.method === 'POST' ? { status: 200, body: (call.request as unknown[]).map(() => null) } : { status: 204 }));
});
afterAll(async () => op?.close());

it('450 lookups in one tick go out as batch POSTs of 200, 200 and 50 items, each key once, no single GETs', async () => {
  const http = createUpstreamClient({ name: 'dvdv', baseUrl: op.url, retry: { maxAttempts: 1 } });
  const cache = createCache({ maxBytes: 8 << 20 });
  try {
    const directory = new DvdvDirectory(new UpstreamSource('dvdv', http, cache, SOURCE_DEFAULTS.dvdv), { entryPath: 'intern/directory' });
    const loaders = createDvdvLoaders(directory, { signal: new AbortController().signal, deadline: Date.now() + 20_000 });
    const keys = Array.from({ length: 450 }, (_, i) => `ags:16${String(i).padStart(6, '0')}`);
    // Each key asked twice: the duplicates must not reach the operator either.
    const answers = await Promise.all([...keys, ...keys].map((organizationKey) => loaders.authority.load({ organizationKey, category: 'Meldebehörde' })));
    expect(answers.every((a) => a.value === null)).toBe(true);
    expect(op.calls.map((c) => `${c.method} ${c.fn}`)).toEqual(Array(3).fill('POST batch/findauthoritydescription'));
    expect(op.calls.map((c) => (c.request as unknown[]).length).sort((a, b) => b - a)).toEqual([200, 200, 50]);
    const sent = op.calls.flatMap((c) => (c.request as { organizationKey: string }[]).map((r) => r.organizationKey));
    expect(sent.sort()).toEqual([...keys].sort());
  } finally {
    await http.close();
    await cache.close();
  }
});
