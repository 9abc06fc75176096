import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GeoRecordDocument,
  GeoRecordLayersDocument,
  GeoRecordsDocument,
  GeoWebServicesDocument,
  MunicipalityGeoRecordsDocument,
} from '../../../client/generated/graphql';
import { type GeoRecord as WorldRecord, type World } from '../../../src/sandbox/world';
import { municipalityExtent, placeKeyword } from '../../../src/services/geo';
import { DEFAULT_GEOPROXY_SERVICES } from '../../../src/upstreams/geoproxy/config';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

let gw: TestGateway;
let world: World;

beforeAll(async () => {
  gw = await startTestGateway();
  world = gw.sandboxes!.world;
});
afterAll(async () => gw?.stop());

const geomis = () => gw.sandboxes!.servers.geomis;
const unique = (rs: WorldRecord[]) => [...new Map(rs.map((r) => [r.fileIdentifier, r])).values()];
const serviceRecord = (name: string) => world.geo.records.find((r) => r.service?.ogcServiceName === name)!;
const datasetByTitle = (title: string) => world.geo.records.find((r) => r.title === title && r.hierarchyLevel !== 'service')!;
const intersects = (a: { west: number; east: number; south: number; north: number }, b: typeof a) =>
  a.west <= b.east && a.east >= b.west && a.south <= b.north && a.north >= b.south;

describe('geoRecords', () => {
  it('pages through the whole sandbox catalogue with cursors: every record exactly once', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let total = -1;
    for (let i = 0; i < 20; i++) {
      const res = await gw.gql(GeoRecordsDocument, { first: 25, after });
      expect(res.errors).toBeUndefined();
      const c = res.data!.geoRecords!;
      total = c.totalCount;
      seen.push(...c.edges.map((e) => e.node.fileIdentifier));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    const expected = unique(world.geo.records).map((r) => r.fileIdentifier).sort();
    expect(total).toBe(expected.length);
    expect(seen.length).toBe(new Set(seen).size);
    expect([...seen].sort()).toEqual(expected);
  });

  it('search by type, keyword and bbox returns what the world says, with provenance geomis', async () => {
    const res = await gw.gql(GeoRecordsDocument, { search: { types: ['SERVICE'] }, first: 100 });
    expect(res.data!.geoRecords!.totalCount).toBe(world.geo.records.filter((r) => r.hierarchyLevel === 'service').length);
    expect(res.data!.geoRecords!.edges.every((e) => e.node.type === 'service' && e.node.provenance.source === 'geomis')).toBe(true);

    const erfurt = world.municipalities.find((m) => m.ars === '160510000000')!;
    const inBox = await gw.gql(GeoRecordsDocument, { search: { bbox: erfurt.bbox, keywords: ['Bebauungsplan'] }, first: 100 });
    expect(inBox.data!.geoRecords!.edges.map((e) => e.node.title)).toContain('Bebauungspläne Erfurt');
    expect(inBox.data!.geoRecords!.edges.map((e) => e.node.title)).not.toContain('Bebauungspläne Jena');
  });

  it('bad input: bbox out of range, bad date, unknown type, page size', async () => {
    const bbox = await gw.gql(GeoRecordsDocument, { search: { bbox: { west: 10, east: 200, south: 50, north: 51 } } });
    expect(bbox.data?.geoRecords).toBeNull();
    expect(bbox.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'search.bbox' });
    const date = await gw.gql(GeoRecordsDocument, { search: { modifiedSince: '01.02.2026' } });
    expect(date.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'search.modifiedSince' });
    const type = await gw.raw('query($s: GeoRecordSearch) { geoRecords(search: $s) { totalCount } }', { s: { types: ['map'] } });
    expect(type.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(type.errors![0].message).toMatch(/types/);
    const first = await gw.gql(GeoRecordsDocument, { first: 500 });
    expect(first.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });

  it('an upstream failure makes geoRecords null with a typed error naming geomis', async () => {
    gw.sandboxes!.setFaults('geomis:*=status:503');
    try {
      const res = await gw.gql(GeoRecordsDocument, { search: { text: 'fault-probe' } });
      expect(res.data?.geoRecords).toBeNull();
      expect(res.errors![0].extensions).toMatchObject({ upstream: 'geomis' });
      expect(String(res.errors![0].extensions!.code)).toMatch(/^UPSTREAM_/);
    } finally {
      gw.sandboxes!.setFaults(undefined);
    }
  });
});

describe('geoRecord and coupling', () => {
  it('a dataset lists the service records operating on it; a service resolves its operatesOn datasets', async () => {
    const ds = datasetByTitle('ALKIS Flurstücke Thüringen');
    const res = await gw.gql(GeoRecordDocument, { id: ds.fileIdentifier });
    expect(res.errors).toBeUndefined();
    const r = res.data!.geoRecord!;
    expect(r).toMatchObject({ fileIdentifier: ds.fileIdentifier, type: 'dataset', title: ds.title, bbox: ds.bbox });
    expect(r.resourceIdentifiers.map((i) => i.code)).toEqual([ds.resourceIdentifier!.code]);
    expect(r.inspireThemes.map((t) => t.href)).toEqual(['http://inspire.ec.europa.eu/theme/cp']);
    const expectedServices = unique(world.geo.records)
      .filter((s) => s.service?.operatesOn.some((o) => o.uuidref === ds.fileIdentifier || o.uuidref === ds.resourceIdentifier?.code))
      .map((s) => s.fileIdentifier)
      .sort();
    expect(expectedServices.length).toBeGreaterThanOrEqual(2);
    expect(r.services!.map((s) => s.fileIdentifier).sort()).toEqual(expectedServices);
    expect(r.datasets).toEqual([]);

    const dop = serviceRecord('DOP');
    const svc = (await gw.gql(GeoRecordDocument, { id: dop.fileIdentifier })).data!.geoRecord!;
    expect(svc.service).toMatchObject({ serviceType: 'view', couplingType: 'tight', serviceTypeVersions: ['1.1.1', '1.3.0'] });
    expect(svc.datasets!.map((d) => d.fileIdentifier)).toEqual(dop.service!.operatesOn.map((o) => o.uuidref));
    expect(svc.services).toEqual([]);
  });

  it('unknown id: null with NOT_FOUND naming the id', async () => {
    const res = await gw.gql(GeoRecordDocument, { id: '5a4db0c5-dead-8000-8000-000000000000' });
    expect(res.data!.geoRecord).toBeNull();
    expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'id', key: '5a4db0c5-dead-8000-8000-000000000000' });
  });

  it('a dataset lists the Geoproxy layers whose MetadataURL names it', async () => {
    const ds = datasetByTitle('Digitale Orthophotos DOP20 Thüringen');
    const res = await gw.gql(GeoRecordLayersDocument, { id: ds.fileIdentifier });
    expect(res.errors).toBeUndefined();
    expect(res.data!.geoRecord!.layers!.map((l) => `${l.serviceName}#${l.name}`)).toEqual(['DOP#th_dop']);
  });
});

describe('geoWebServices', () => {
  it('lists the configured services; the WAS-protected one is null with UPSTREAM_PROTECTED; layers couple to dataset records in batches', async () => {
    geomis().resetCounts();
    const res = await gw.gql(GeoWebServicesDocument, {});
    const list = res.data!.geoWebServices!;
    expect(list).toHaveLength(DEFAULT_GEOPROXY_SERVICES.length);
    const protectedIdx = DEFAULT_GEOPROXY_SERVICES.findIndex((s) => s.name === 'ALKIS_NAS_Flurstueck');
    expect(list[protectedIdx]).toBeNull();
    const err = res.errors!.find((e) => e.path?.[1] === protectedIdx)!;
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_PROTECTED', upstream: 'geoproxy' });
    expect(res.errors).toHaveLength(1);

    const dop = list.find((s) => s?.name === 'DOP')!;
    expect(dop).toMatchObject({ kind: 'WMS', version: '1.3.0', title: 'WMS Digitale Orthophotos Thüringen' });
    expect(dop.provenance.source).toBe('geoproxy');
    expect(dop.metadata!.fileIdentifier).toBe(serviceRecord('DOP').fileIdentifier);
    const thDop = dop.layers.find((l) => l.name === 'th_dop')!;
    expect(thDop.metadata!.fileIdentifier).toBe(datasetByTitle('Digitale Orthophotos DOP20 Thüringen').fileIdentifier);
    expect(thDop.metadata!.services!.map((s) => s.fileIdentifier)).toContain(serviceRecord('DOP').fileIdentifier);

    // komm_wfs MetadataURL is a resource identifier URI, not a CSW URL
    const komm = list.find((s) => s?.name === 'kommunal/komm_wfs')!;
    expect(komm.version).toBe('2.0.0');
    expect(komm.layers[0].metadataUrls[0].url).toMatch(/^https:\/\/registry\.sandbox\.invalid\/id\//);
    expect(komm.layers[0].metadata!.title).toBe('Schulstandorte Thüringen');

    // every layer of every service resolved, yet GetRecordById went out in a few batched POSTs
    const layers = list.flatMap((s) => s?.layers ?? []);
    expect(layers.length).toBeGreaterThan(15);
    expect(geomis().requestCount('csw-post')).toBeLessThanOrEqual(10);
  });

  it('unknown service names are BAD_USER_INPUT naming the argument', async () => {
    const res = await gw.gql(GeoWebServicesDocument, { names: ['DOP', 'https://evil.example/wms'] });
    expect(res.data?.geoWebServices).toBeNull();
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'names[1]' });
  });
});

describe('Municipality.geoRecords', () => {
  it('returns exactly the records whose bbox intersects the municipality extent or that name it as keyword', async () => {
    const ars = '160530000000'; // Jena
    const m = world.municipalities.find((x) => x.ars === ars)!;
    const res = await gw.gql(MunicipalityGeoRecordsDocument, { ars, first: 100 });
    expect(res.errors).toBeUndefined();
    const got = res.data!.municipality!.geoRecords!;
    // Expected from the reference data (data/thueringen-gemeinden.csv: Jena, Stadt — centre 50.93006 N 11.591842 E,
    // 114.77 km²), worked out by hand, not by the functions under test: the square of the area around the centre,
    // half side √114.77 / 2 = 5.35654 km = 0.048119° of latitude (111.32 km per degree) and 0.076346° of
    // longitude (× cos 50.93006°); the place keyword is the official name without ", Stadt".
    const extent = { west: 11.515496, east: 11.668188, south: 50.881942, north: 50.978178 };
    const name = 'jena';
    expect(m.name).toBe('Jena, Stadt');
    expect(municipalityExtent({ location: { lat: m.lat, lon: m.lon }, areaKm2: m.areaKm2 })).toEqual(extent);
    expect(placeKeyword(m.name)).toBe('Jena');
    expect(placeKeyword('Amt Wachsenburg')).toBe('Amt Wachsenburg'); // a name without the suffix stays as it is
    const expected = unique(world.geo.records)
      .filter((r) => (r.bbox && intersects(r.bbox, extent)) || r.keywords.some((g) => g.keywords.some((k) => k.text.toLowerCase() === name)))
      .map((r) => r.fileIdentifier)
      .sort();
    expect(got.totalCount).toBe(expected.length);
    expect(got.edges.map((e) => e.node.fileIdentifier).sort()).toEqual(expected);
    expect(got.edges.map((e) => e.node.title)).toContain('Bebauungspläne Jena');
    expect(got.edges.map((e) => e.node.title)).not.toContain('Bebauungspläne Erfurt');

    const onlyServices = await gw.gql(MunicipalityGeoRecordsDocument, { ars, types: ['SERVICE'], first: 100 });
    expect(onlyServices.data!.municipality!.geoRecords!.edges.every((e) => e.node.type === 'service')).toBe(true);
    expect(onlyServices.data!.municipality!.geoRecords!.totalCount).toBeLessThan(got.totalCount);
  });
});
