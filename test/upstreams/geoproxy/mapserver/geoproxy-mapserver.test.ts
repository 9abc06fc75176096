import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cswRecordUrl, defaultWorld } from '../../../../src/sandbox/world';
import { recordIdFromUrl } from '../../../../src/upstreams/geomis/loaders';
import { GeoproxyClient } from '../../../../src/upstreams/geoproxy/client';
import type { GeoproxyServiceConfig } from '../../../../src/upstreams/geoproxy/config';
import { call, sourceFor } from '../../geo-common/helpers';
import { writeMapserverFixture, type MapserverFixture } from './mapfile';
import { mapservVersion, startMapserverBridge, type MapserverBridge } from './server';

/**
 * The Geoproxy adapter against a real OGC server: MapServer 8 (Debian mapserver-bin/cgi-mapserver)
 * serving a layer set generated from the sandbox world. Skipped, loudly, only when `mapserv` is absent.
 */

const version = mapservVersion();
if (!version) {
  console.warn(
    '\n!!! MapServer (mapserv) is not installed: the live OGC server tests in test/mapserver are SKIPPED.\n' +
      '!!! Install it with: apt-get install -y --no-install-recommends mapserver-bin cgi-mapserver\n',
  );
}

const SERVICES: GeoproxyServiceConfig[] = [
  { name: 'sandbox/grenzen_wms', kind: 'WMS', version: '1.3.0' },
  { name: 'sandbox/grenzen_wfs', kind: 'WFS', version: '2.0.0' },
  { name: 'sandbox/grenzen_wms_only', kind: 'WFS', version: '2.0.0' },
];

describe.skipIf(!version)('Geoproxy adapter against a live MapServer', () => {
  let dir: string;
  let fixture: MapserverFixture;
  let bridge: MapserverBridge;
  const closers: (() => Promise<void>)[] = [];
  const world = defaultWorld();
  const dataset = world.geo.records.find((r) => r.title === 'Verwaltungsgrenzen Thüringen')!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'thuegate-mapserver-'));
    fixture = writeMapserverFixture(world, dir, () => cswRecordUrl(dataset.fileIdentifier));
    bridge = await startMapserverBridge(dir, fixture.mapfiles);
  });
  afterAll(async () => {
    await Promise.all(closers.map((c) => c()));
    await bridge?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const client = (services: GeoproxyServiceConfig[] = SERVICES) => {
    const s = sourceFor('geoproxy', bridge.url, { timeouts: { defaultDeadlineMs: 20_000 } });
    closers.push(s.close);
    return new GeoproxyClient(s.source, services);
  };
  const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-6);

  it.each(['1.3.0', '1.1.1'])('WMS %s: layers, CRS and bbox match the mapfile; MetadataURL couples to the dataset record', async (v) => {
    const caps = (await client([{ name: 'sandbox/grenzen_wms', kind: 'WMS', version: v }]).capabilities('sandbox/grenzen_wms', call())).value;
    expect(caps.kind).toBe('WMS');
    expect(caps.version).toBe(v);
    expect(caps.title).toBe('Verwaltungsgrenzen (Sandbox, MapServer)');
    expect(caps.fees).toBe('keine');
    expect(caps.operations.map((o) => o.name)).toEqual(expect.arrayContaining(['GetCapabilities', 'GetMap', 'GetFeatureInfo']));
    expect(caps.outputFormats).toContain('image/png');
    // MapServer names the root layer after the map; the data layers are its children
    expect(caps.layers.map((l) => l.name)).toEqual(['sbx_verwaltungsgrenzen', ...fixture.layers.map((l) => l.name)]);
    const [root, ...data] = caps.layers;
    expect(data.every((l) => l.parent === 'sbx_verwaltungsgrenzen')).toBe(true);
    expect(root.crs).toEqual(expect.arrayContaining(fixture.srs));
    for (const [i, l] of data.entries()) {
      const want = fixture.layers[i];
      expect(l.title).toBe(want.title);
      expect(l.crs).toEqual(expect.arrayContaining(fixture.srs));
      expect(l.bbox).not.toBeNull();
      near(l.bbox!.west, want.extent.west);
      near(l.bbox!.east, want.extent.east);
      near(l.bbox!.south, want.extent.south);
      near(l.bbox!.north, want.extent.north);
      expect(l.metadataUrls).toHaveLength(1);
      expect(l.metadataUrls[0].format).toBe('text/xml');
      expect(recordIdFromUrl(l.metadataUrls[0].url)).toBe(dataset.fileIdentifier);
    }
  });

  it.each(['2.0.0', '1.1.0'])('WFS %s: feature types, CRS and WGS84 bbox match the mapfile', async (v) => {
    const caps = (await client([{ name: 'sandbox/grenzen_wfs', kind: 'WFS', version: v }]).capabilities('sandbox/grenzen_wfs', call())).value;
    expect(caps.kind).toBe('WFS');
    expect(caps.version).toBe(v);
    expect(caps.operations.map((o) => o.name)).toEqual(expect.arrayContaining(['GetCapabilities', 'DescribeFeatureType', 'GetFeature']));
    expect(caps.layers.map((l) => l.name)).toEqual(fixture.layers.map((l) => `sbx:${l.name}`));
    for (const [i, l] of caps.layers.entries()) {
      const want = fixture.layers[i];
      expect(l.title).toBe(want.title);
      expect(l.crs).toEqual(fixture.srs); // DefaultCRS first, then OtherCRS, in mapfile order
      near(l.bbox!.west, want.extent.west);
      near(l.bbox!.east, want.extent.east);
      near(l.bbox!.south, want.extent.south);
      near(l.bbox!.north, want.extent.north);
      expect(l.metadataUrls.map((m) => recordIdFromUrl(m.url))).toEqual([dataset.fileIdentifier]);
    }
  });

  it('an OGC exception report from MapServer (WFS disabled) is UPSTREAM_OGC_EXCEPTION naming geoproxy', async () => {
    const err = await client().capabilities('sandbox/grenzen_wms_only', call()).catch((e) => e);
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_OGC_EXCEPTION', upstream: 'geoproxy' });
  });
});
