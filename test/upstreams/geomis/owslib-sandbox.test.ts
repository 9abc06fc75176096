import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorld } from '../../../src/sandbox/world';
import { UPSTREAMS } from '../../../src/upstreams/runtime/names';
import { projectRoot } from '../../../src/util/paths';

/**
 * Issue 16 item 8: OWSLib (Debian python3-owslib, installed by .ci/run) — an OGC client no one here
 * wrote — against every sandbox protocol, with the sandbox started as an external tool would:
 * `thuegate sandbox --port-base N`. The script is test/owslib/check_sandbox.py; Debian's
 * /usr/bin/python3 is used on purpose (python3 on PATH may be another interpreter without owslib).
 * Skipped, loudly, only when OWSLib is not installed.
 */

const PYTHON = '/usr/bin/python3';
const haveOwslib = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import owslib'], { encoding: 'utf8' }).status === 0;
if (!haveOwslib) {
  console.warn('\n!!! OWSLib is not installed: test/upstreams/geomis/owslib-sandbox.test.ts is SKIPPED.\n!!! Install it with: apt-get install -y python3-owslib\n');
}

const BIN = join(projectRoot(), 'bin', 'thuegate.js');
const SCRIPT = join(projectRoot(), 'test', 'owslib', 'check_sandbox.py');

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** A base N with N..N+4 free on loopback (random, so parallel runs do not collide). */
async function freePortBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const free = await Promise.all(UPSTREAMS.map((_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no five consecutive free ports found');
}

interface OwslibResult {
  csw: {
    type: string; version: string; title: string; provider: string; contactEmail: string; operations: string[]; outputSchemas: string[];
    dc: { matched: number; pages: number; ids: string[]; titles: string[] };
    iso: { matched: number; returned: number; ids: string[]; titles: string[] };
    byId: { id: string; dcTitle: string; dcType: string; isoTitle: string; isoType: string };
  };
  wms130: { version: string; title: string; layers: Record<string, { title: string; bbox: number[] | null }>; getMapFormats: string[] };
  wms111: { version: string; title: string; layers: Record<string, { title: string; bbox: number[] | null }>; getMapFormats: string[] };
  wfs200: { version: string; title: string; featureTypes: Record<string, { title: string; bbox: number[] | null }>; operations: string[] };
  wfs110: { version: string; title: string; featureTypes: Record<string, { title: string; bbox: number[] | null }>; operations: string[] };
}

describe.skipIf(!haveOwslib)('OWSLib accepts every sandbox protocol answer (thuegate sandbox --port-base)', () => {
  const world = defaultWorld();
  let child: ChildProcess;
  let base: number;
  const urls: Record<string, string> = {};
  let result: OwslibResult;

  beforeAll(async () => {
    base = await freePortBase();
    child = spawn(process.execPath, [BIN, 'sandbox', '--port-base', String(base)], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('sandbox did not print its URLs within 30 s')), 30_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const [name, url] = line.split('\t');
        if (url) urls[name] = url;
        if (Object.keys(urls).length === UPSTREAMS.length) (clearTimeout(timer), resolve());
      });
      child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
    });
    const run = spawnSync(PYTHON, [SCRIPT, `${urls.geomis}/`, urls.geoproxy], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`OWSLib refused an answer:\n${run.stderr}`);
    result = JSON.parse(run.stdout) as OwslibResult;
  }, 180_000);
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
  });

  const services = () =>
    [...new Map(world.geo.records.filter((r) => r.hierarchyLevel === 'service').map((r) => [r.fileIdentifier, r])).values()].sort((a, b) =>
      a.fileIdentifier < b.fileIdentifier ? -1 : 1,
    );
  const service = (name: string) => world.geo.ogcServices.find((s) => s.name === name)!;

  it('--port-base N puts pvog on N, thavel N+1, geomis N+2, geoproxy N+3, dvdv N+4', () => {
    expect(urls).toEqual(Object.fromEntries(UPSTREAMS.map((n, i) => [n, `http://127.0.0.1:${base + i}`])));
  });

  it('CSW GetCapabilities: identification, ServiceProvider, operations, both output schemas', () => {
    expect(result.csw).toMatchObject({ type: 'CSW', version: '2.0.2', title: 'GeoMIS.Th (Sandbox)' });
    expect(result.csw.provider).toBeTruthy();
    expect(result.csw.contactEmail).toMatch(/@/);
    expect(result.csw.operations).toEqual(['GetCapabilities', 'GetRecordById', 'GetRecords']);
    expect(result.csw.outputSchemas.sort()).toEqual(['http://www.isotc211.org/2005/gmd', 'http://www.opengis.net/cat/csw/2.0.2']);
  });

  it('CSW GetRecords (Dublin Core) with a constraint, paged by nextRecord: every service record once', () => {
    const expected = services();
    expect(result.csw.dc.matched).toBe(expected.length);
    expect(result.csw.dc.pages).toBe(Math.ceil(expected.length / 4));
    expect(result.csw.dc.ids).toEqual(expected.map((r) => r.fileIdentifier));
    expect(result.csw.dc.titles).toEqual(expected.map((r) => r.title));
  });

  it('CSW GetRecords (ISO 19139) read as MD_Metadata', () => {
    const expected = services().slice(0, 3);
    expect(result.csw.iso).toEqual({ matched: services().length, returned: 3, ids: expected.map((r) => r.fileIdentifier), titles: expected.map((r) => r.title) });
  });

  it('CSW GetRecordById in both schemas (Dublin Core by default)', () => {
    const r = services()[0];
    expect(result.csw.byId).toEqual({ id: r.fileIdentifier, dcTitle: r.title, dcType: 'service', isoTitle: r.title, isoType: 'service' });
  });

  it.each(['wms130', 'wms111'] as const)('WMS %s: version, layers with their own extents, GetMap formats', (key) => {
    const dop = service('DOP');
    const got = result[key];
    expect(got.version).toBe(key === 'wms130' ? '1.3.0' : '1.1.1');
    expect(got.title).toBe(dop.title);
    for (const l of dop.layers) {
      expect(got.layers[l.name].title).toBe(l.title);
      expect(got.layers[l.name].bbox!.slice(0, 4)).toEqual([l.bbox.west, l.bbox.south, l.bbox.east, l.bbox.north]);
    }
    expect(got.getMapFormats).toEqual(dop.outputFormats);
  });

  it.each([
    ['wfs200', 'kommunal/komm_wfs', '2.0.0'],
    ['wfs110', 'STRNETZ_wfs', '1.1.0'],
  ] as const)('WFS %s (%s): version, feature types with WGS84 boxes', (key, name, version) => {
    const svc = service(name);
    const got = result[key];
    expect(got.version).toBe(version);
    expect(got.title).toBe(svc.title);
    expect(Object.keys(got.featureTypes).sort()).toEqual(svc.layers.map((l) => l.name).sort());
    for (const l of svc.layers) expect(got.featureTypes[l.name].bbox).toEqual([l.bbox.west, l.bbox.south, l.bbox.east, l.bbox.north]);
    expect(got.operations).toContain('GetFeature');
  });
});
