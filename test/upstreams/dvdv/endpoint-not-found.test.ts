import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { codes, dvdvGraph, type DvdvGraph } from './helpers';

// Issue 16 item 11: "the directory says none" (204, or 404 with its ENTITY_NOT_FOUND Problem) is null/[] without
// an error; "the endpoint is not there" (a 404 for the whole path: a wrong base URL or entry path) is the typed
// error UPSTREAM_ENDPOINT_NOT_FOUND. The DVDV sandbox over a loopback socket, reached with a right and a wrong path.

const XMELD = 'http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl';
let sb: SandboxWorld;
const graphs: DvdvGraph[] = [];
beforeAll(async () => void (sb = await startSandboxes({ only: ['dvdv'] })));
afterEach(async () => void (await Promise.all(graphs.splice(0).map((g) => g.close()))));
afterAll(async () => sb?.close());

const graph = (baseUrl: string) => {
  const g = dvdvGraph(baseUrl);
  graphs.push(g);
  return g;
};

const Q = `query($k: DvdvOrganizationKey!, $u: String!) {
  directoryOrganization(key: $k, category: "Meldebehörde") { name }
  directoryService(organizationKey: $k, serviceUri: $u) { specificationUri }
  directoryRoutes(organizationKey: $k, serviceUri: $u) { intermediaryUrl }
}`;

describe('DVDV: no such entry vs. no such endpoint', () => {
  it('an unknown organisation at the right path: null and [] without an error (the directory says none)', async () => {
    sb.servers.dvdv.resetCounts();
    const r = await graph(sb.urls.dvdv).exec(Q, { k: 'ags:16999999', u: XMELD });
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ directoryOrganization: null, directoryService: null, directoryRoutes: [] });
    expect(sb.servers.dvdv.requests().some((q) => q.route === 'findservicedescription')).toBe(true);
  });

  it('a wrong base path (every DVDV function 404): UPSTREAM_ENDPOINT_NOT_FOUND on each field, not "none"', async () => {
    sb.servers.dvdv.resetCounts();
    const r = await graph(`${sb.urls.dvdv}/dvdv2-backend`).exec(Q, { k: 'ags:16051000', u: XMELD });
    expect(r.data).toEqual({ directoryOrganization: null, directoryService: null, directoryRoutes: null });
    expect(codes(r)).toEqual(['UPSTREAM_ENDPOINT_NOT_FOUND', 'UPSTREAM_ENDPOINT_NOT_FOUND', 'UPSTREAM_ENDPOINT_NOT_FOUND']);
    for (const e of r.errors!) expect(e.extensions).toMatchObject({ upstream: 'dvdv', status: 404 });
    expect(sb.servers.dvdv.requests().every((q) => q.route === '(unmatched)')).toBe(true);
  });

  it('the batch form at a wrong path is UPSTREAM_ENDPOINT_NOT_FOUND too', async () => {
    const r = await graph(`${sb.urls.dvdv}/dvdv2-backend`).exec(`{ a: directoryOrganization(key: "ags:16051000", category: "Meldebehörde") { name } b: directoryOrganization(key: "ags:16055000", category: "Meldebehörde") { name } }`);
    expect(r.data).toEqual({ a: null, b: null });
    expect(codes(r)).toEqual(['UPSTREAM_ENDPOINT_NOT_FOUND', 'UPSTREAM_ENDPOINT_NOT_FOUND']);
  });
});
