import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, xml, type SandboxServer } from '../../../src/sandbox/http';
import { defaultWorld, indexWorld, type World } from '../../../src/sandbox/world';
import { GeoproxyClient } from '../../../src/upstreams/geoproxy/client';
import { DEFAULT_GEOPROXY_SERVICES, parseGeoproxyServices, type GeoproxyServiceConfig } from '../../../src/upstreams/geoproxy/config';
import { geoproxySandboxRoutes } from '../../../src/upstreams/geoproxy/sandbox';
import { call, sourceFor } from '../geo-common/helpers';

let world: World;
let server: SandboxServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  world = defaultWorld();
  server = await startSandboxServer({ name: 'geoproxy', routes: geoproxySandboxRoutes(world) });
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await server?.close();
});

function client(services: readonly GeoproxyServiceConfig[], baseUrl = server.url) {
  const s = sourceFor('geoproxy', baseUrl);
  closers.push(s.close);
  return new GeoproxyClient(s.source, services);
}

describe('Geoproxy capabilities client against the sandbox services', () => {
  it('every default-configured service exists in the sandbox and parses; layers match the world', async () => {
    const c = client(DEFAULT_GEOPROXY_SERVICES);
    const ix = indexWorld(world);
    for (const cfg of DEFAULT_GEOPROXY_SERVICES) {
      const truth = ix.ogcServiceByName.get(cfg.name)!;
      expect(truth, cfg.name).toBeDefined();
      if (truth.protected) {
        const err = await c.capabilities(cfg.name, call()).catch((e) => e);
        expect(err.extensions).toMatchObject({ code: 'UPSTREAM_PROTECTED', upstream: 'geoproxy', status: 401 });
        continue;
      }
      const caps = (await c.capabilities(cfg.name, call())).value;
      expect(caps.kind).toBe(truth.kind);
      expect(caps.title).toBe(truth.title);
      expect(caps.layers.map((l) => l.name)).toEqual(truth.layers.map((l) => l.name));
      for (const [i, l] of caps.layers.entries()) {
        const t = truth.layers[i];
        expect(l.bbox).toEqual(t.bbox);
        expect(l.crs).toEqual(expect.arrayContaining(truth.crs));
        expect(l.metadataUrls).toHaveLength(t.metadataUrls.length);
        // CSW-form URLs point to the sandbox catalogue with the dataset id; identifier form stays a URI
        if (t.metadataUrls[0].form === 'csw') expect(l.metadataUrls[0].url).toContain(`ID=${t.datasetId}`);
        else expect(l.metadataUrls[0].url).toBe(t.metadataUrls[0].url);
      }
      expect(caps.inspire?.metadataUrl ?? null).toSatisfy((u: string | null) => (truth.serviceRecordId ? !!u?.includes(truth.serviceRecordId) : u === null));
    }
  });

  it('WMS 1.1.1 (DOCTYPE, SRS, LatLonBoundingBox) and WFS 1.1.0 (text MetadataURL) are parsed by version', async () => {
    const c = client([
      { name: 'DOP', kind: 'WMS', version: '1.1.1' },
      { name: 'STRNETZ_wfs', kind: 'WFS', version: '2.0.0' }, // only 1.1.0 exists: the server answers 1.1.0
    ]);
    const dop = (await c.capabilities('DOP', call())).value;
    expect(dop.version).toBe('1.1.1');
    expect(dop.layers.map((l) => l.name)).toEqual(['th_dop', 'th_dop200rgb']);
    expect(dop.layers[0].crs).toContain('EPSG:25832');
    const strnetz = (await c.capabilities('STRNETZ_wfs', call())).value;
    expect(strnetz.version).toBe('1.1.0');
    expect(strnetz.layers[0].name).toBe('tlbv:Klassifiz_StrNetz');
    expect(strnetz.layers[0].metadataUrls[0].type).toBe('19139');
    expect(strnetz.layers[0].metadataUrls[0].url).toMatch(/REQUEST=GetRecordById&ID=5a4db0c5-/);
  });

  it('an unknown service name at the upstream is UPSTREAM_NOT_FOUND; a ServiceException (HTTP 200) is UPSTREAM_OGC_EXCEPTION', async () => {
    const c = client([
      { name: 'does_not_exist', kind: 'WMS', version: '1.3.0' },
      { name: 'adv_alkis_wfs', kind: 'WMS', version: '1.3.0' }, // wrong kind: the WFS answers with an exception report
    ]);
    const nf = await c.capabilities('does_not_exist', call()).catch((e) => e);
    expect(nf.extensions).toMatchObject({ code: 'UPSTREAM_NOT_FOUND', upstream: 'geoproxy' });
    const ex = await c.capabilities('adv_alkis_wfs', call()).catch((e) => e);
    expect(ex.extensions).toMatchObject({ code: 'UPSTREAM_OGC_EXCEPTION', upstream: 'geoproxy', ogcCode: 'InvalidParameterValue' });
  });

  it('403 and access-denied exception documents are UPSTREAM_PROTECTED', async () => {
    const was = await startSandboxServer({
      name: 'geoproxy',
      routes: [
        { method: 'GET', path: '/forbidden', handler: () => ({ status: 403, body: 'no' }) },
        {
          method: 'GET',
          path: '/denied',
          handler: () => xml('<ServiceExceptionReport xmlns="http://www.opengis.net/ogc"><ServiceException code="AccessDenied">no</ServiceException></ServiceExceptionReport>'),
        },
      ],
    });
    try {
      const c = client([{ name: 'forbidden', kind: 'WMS', version: '1.3.0' }, { name: 'denied', kind: 'WMS', version: '1.3.0' }], was.url);
      for (const name of ['forbidden', 'denied']) {
        const err = await c.capabilities(name, call()).catch((e) => e);
        expect(err.extensions, name).toMatchObject({ code: 'UPSTREAM_PROTECTED', upstream: 'geoproxy' });
      }
    } finally {
      await was.close();
    }
  });

  it('only configured services are requested', async () => {
    const c = client([{ name: 'DOP', kind: 'WMS', version: '1.3.0' }]);
    expect(() => c.capabilities('../admin', call())).toThrow(/not configured/);
  });

  it('GEOPROXY_SERVICES configuration syntax', () => {
    expect(parseGeoproxyServices(undefined)).toEqual(DEFAULT_GEOPROXY_SERVICES);
    expect(parseGeoproxyServices('DOP=WMS@1.1.1, kommunal/komm_wfs=wfs@2.0.0')).toEqual([
      { name: 'DOP', kind: 'WMS', version: '1.1.1' },
      { name: 'kommunal/komm_wfs', kind: 'WFS', version: '2.0.0' },
    ]);
    expect(() => parseGeoproxyServices('DOP=WMS@9.9')).toThrow(/GEOPROXY_SERVICES: expected/);
    expect(() => parseGeoproxyServices('../x=WMS@1.3.0')).toThrow(/GEOPROXY_SERVICES/);
    expect(() => parseGeoproxyServices('https://evil.example/x=WMS@1.3.0')).toThrow(/GEOPROXY_SERVICES/);
  });
});
