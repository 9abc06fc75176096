import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache, type DataCache } from '../../../src/cache';
import { loadConfig } from '../../../src/server/config';
import { createLogger } from '../../../src/observability/log';
import { buildUpstreams } from '../../../src/server/gateway';
import { metricsRegistry } from '../../../src/observability/metrics';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { startSandboxServer, json, xml, type SandboxServer } from '../../../src/sandbox/http';
import { indexWorld } from '../../../src/sandbox/world';
import { renderXzufiMessage } from '../../../src/formats/xzufi/render';
import { UPSTREAMS, type UpstreamName } from '../../../src/upstreams/runtime/names';
import type { UpstreamSource } from '../../../src/upstreams/runtime/source';
import { THAVEL_PATHS, ThavelClient } from '../../../src/upstreams/thavel/client';
import { applyDelta } from '../../../src/upstreams/thavel/mapper';
import { CATALOGUE_PAGE_OBJECTS, MALFORMED_ENTRIES, thavelCatalogueServices } from '../../../src/upstreams/thavel/sandbox';
import { declaredAreas } from '../../../src/formats/xzufi/render';
import { sumSamples } from '../../helpers/metrics';

let sb: SandboxWorld;
let cache: DataCache;
let sources: Record<UpstreamName, UpstreamSource>;
const call = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 });

function sourcesFor(urls: Partial<Record<UpstreamName, string>>, dataCache: DataCache = cache) {
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const all = Object.fromEntries(UPSTREAMS.map((n) => [n, [urls[n] ?? 'http://127.0.0.1:9']])) as Record<UpstreamName, string[]>;
  return buildUpstreams(config, all, dataCache, createLogger('silent')).sources;
}

beforeAll(async () => {
  sb = await startSandboxes({ only: ['thavel'] });
  cache = createCache({ maxBytes: 32 << 20 });
  sources = sourcesFor({ thavel: sb.urls.thavel });
});
afterAll(async () => {
  await Promise.all(Object.values(sources ?? {}).map((s) => s.client.close()));
  await cache?.close();
  await sb?.close();
});

const skippedMetric = async (kind: string) => sumSamples(await metricsRegistry.metrics(), 'thuegate_thavel_catalogue_skipped_total', { kind });

describe('ThAVEL catalogue adapter over the sandbox', () => {
  it('lists exactly the world’s ThAVEL catalogue, skipping and counting malformed entries without losing neighbours', async () => {
    const world = sb.world;
    const expected = thavelCatalogueServices(world);
    const entryBefore = await skippedMetric('entry');
    const areaBefore = await skippedMetric('area');
    sb.servers.thavel.resetCounts();
    const { value: cat, provenance } = await new ThavelClient(sources.thavel).list(call());
    expect(provenance.source).toBe('thavel');

    // Every valid entry arrives — including those right before and after each broken object.
    expect(cat.entries.map((e) => e.id).sort()).toEqual(expected.map((o) => o.id).sort());
    // Several pages were read (the broken objects sit inside pages, not at page edges only).
    // One request per page: Leistung stubs (one per distinct key) + entries + broken objects, 100 per page.
    const objects = new Set(expected.flatMap((o) => o.leikaKeys)).size + expected.length + MALFORMED_ENTRIES.length;
    expect(sb.servers.thavel.requestCount('catalogue')).toBe(Math.ceil(objects / CATALOGUE_PAGE_OBJECTS));
    expect(sb.servers.thavel.requestCount('catalogue')).toBeGreaterThan(2);

    // Reader skips: the planted broken objects + the world's Leistung with a malformed LeiKa reference.
    const malformedKeys = new Set(expected.flatMap((o) => o.leikaKeys).filter((k) => !/^\d{14}$/.test(k)));
    expect(malformedKeys.size).toBe(1);
    const readerSkips = cat.warnings.filter((w) => w.id === null);
    expect(readerSkips).toHaveLength(MALFORMED_ENTRIES.length + malformedKeys.size);
    expect(await skippedMetric('entry')).toBe(entryBefore + readerSkips.length);

    // The world's malformed gebietID is dropped from that entry (warning + metric); the entry stays.
    const badArs = world.defects.find((d) => d.kind === 'online-malformed-ars')!;
    const e = cat.entries.find((x) => x.id === badArs.subject)!;
    expect(e.areas.every((a) => /^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/.test(a))).toBe(true);
    expect(cat.warnings.filter((w) => w.id === badArs.subject && w.reason.includes('gebietID'))).toHaveLength(1);
    expect(await skippedMetric('area')).toBe(areaBefore + 1);

    // Fields as the world says: title (ThAVEL variant), links, trust level with its list, login, payment, areas, LeiKa keys.
    const byId = new Map(cat.entries.map((x) => [x.id, x]));
    for (const o of expected) {
      const got = byId.get(o.id)!;
      expect(got.title).toBe(o.thavelVariant?.title ?? o.title);
      expect(got.links.map((l) => [l.url, l.typeCode])).toEqual(o.links.map((l) => [l.url, l.type.code]));
      expect(got.trustLevel).toEqual(o.trustLevel ? { code: o.trustLevel.code, listURI: o.trustLevel.listURI } : null);
      expect(got.loginMethods).toEqual(o.login);
      expect(got.payment).toEqual({ required: o.payment?.required ?? false, methods: o.payment?.methods ?? [] });
      expect(got.operatorUnitId).toBe(o.operatorUnitId);
      expect(got.areas).toEqual(declaredAreas(o).filter((a) => /^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/.test(a)).sort());
      expect(got.leikaKeys).toEqual(o.leikaKeys.filter((k) => /^\d{14}$/.test(k)));
      expect(got.lastUpdate).toBe(o.lastUpdate);
    }
    // District forms declare the Kreis, not each member: the merge must expand (see online-services tests).
    const district = expected.find((o) => o.scope.level === 'district')!;
    expect(byId.get(district.id)!.areas).toEqual([district.scope.ars]);
  });

  it('delta fetch returns exactly the entries changed since an instant; applied to an older list it yields the current one', async () => {
    const expected = thavelCatalogueServices(sb.world);
    const stamps = expected.map((o) => o.lastUpdate).sort();
    const since = stamps[Math.floor(stamps.length * 0.8)];
    const client = new ThavelClient(sources.thavel);
    const full = (await client.list(call())).value;
    sb.servers.thavel.resetCounts();
    const delta = (await client.changesSince(since, call())).value;
    const changed = expected.filter((o) => Date.parse(o.lastUpdate) >= Date.parse(since));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(expected.length);
    expect(delta.entries.map((e) => e.id).sort()).toEqual(changed.map((o) => o.id).sort());
    // Delta entries resolve their LeiKa keys (the Leistungen they reference travel with them).
    for (const e of delta.entries) expect(e.leikaKeys).toEqual(full.entries.find((f) => f.id === e.id)!.leikaKeys);
    expect(sb.servers.thavel.requests().every((r) => new URLSearchParams(r.search).get('geaendertSeit') === since)).toBe(true);
    // An old snapshot: changed entries missing or out of date.
    const old = { ...full, entries: full.entries.filter((e) => !changed.some((c) => c.id === e.id)).concat(delta.entries.slice(0, 1).map((e) => ({ ...e, title: 'alt' }))) };
    expect(applyDelta(old, delta).entries).toEqual(full.entries);
    await expect(client.changesSince('yesterday', call())).rejects.toThrow(/ISO 8601/);
  });
});

describe('ThAVEL catalogue adapter against hand-made catalogues', () => {
  let server: SandboxServer;
  let body: () => ReturnType<typeof json>;
  let local: Record<UpstreamName, UpstreamSource>;
  let localCache: DataCache;
  beforeAll(async () => {
    server = await startSandboxServer({ name: 'thavel', routes: [{ method: 'GET', path: THAVEL_PATHS.catalogue, name: 'catalogue', handler: () => body() }] });
    localCache = createCache({ maxBytes: 1 << 20 }); // own cache: the sandbox catalogue above must not answer for this server
    local = sourcesFor({ thavel: server.url }, localCache);
  });
  afterAll(async () => {
    await Promise.all(Object.values(local ?? {}).map((s) => s.client.close()));
    await localCache?.close();
    await server?.close();
  });
  const od = (id: string, title: string) =>
    `<onlinedienst><id>${id}</id><bezeichnung languageCode="de">${title}</bezeichnung><link><typ><code>01</code></typ><link>https://thavel.sandbox.invalid/govapp/${id}</link></link><zustaendigkeit><leistungID>L1</leistungID><gebietID>16055</gebietID></zustaendigkeit></onlinedienst>`;
  const leistung = '<leistung><id>L1</id><referenzLeiKa><code>99102013104000</code></referenzLeiKa></leistung>';

  it('accepts a plain XZuFi 2.2 document at the catalogue URL', async () => {
    body = () => xml(renderXzufiMessage([leistung, od('A', 'Hund'), '<onlinedienst><bezeichnung>kaputt</bezeichnung></onlinedienst>', od('B', 'Katze')], 'x', '2026-11-01T00:00:00Z'));
    const cat = (await new ThavelClient(local.thavel).list(call())).value;
    expect(cat.entries.map((e) => [e.id, e.title, e.leikaKeys, e.areas])).toEqual([
      ['A', 'Hund', ['99102013104000'], ['16055']],
      ['B', 'Katze', ['99102013104000'], ['16055']],
    ]);
    expect(cat.warnings).toEqual([{ element: 'onlinedienst', id: null, reason: 'missing id' }]);
  });

  it('refuses a DOCTYPE (entity expansion) through the hardened XML layer with a typed error naming thavel', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><xzufi:transfer.operation xmlns:xzufi="http://xoev.de/schemata/xzufi/2_2_0"><schreibe>&b;</schreibe></xzufi:transfer.operation>`;
    body = () => json({ xzufiObjekte: bomb, vollstaendig: true, naechsterIndex: null });
    await expect(new ThavelClient(local.thavel).page(0, 'x-doctype', call())).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'thavel' });
  });

  it('rejects an envelope without xzufiObjekte as a bad upstream response', async () => {
    body = () => json({ vollstaendig: true });
    await expect(new ThavelClient(local.thavel).page(0, 'x-empty', call())).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'thavel' });
  });
});

it('page size constant is what the sandbox pages by', () => expect(CATALOGUE_PAGE_OBJECTS).toBe(100));
