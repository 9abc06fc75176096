import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runChecks } from '../../src/conformance/engine';
import type { ConformanceInput } from '../../src/conformance/input';
import { Prober } from '../../src/conformance/probes';
import { municipalityDirectory } from '../../src/reference/municipalities';
import type { CatalogueEntry } from '../../src/upstreams/thavel/mapper';
import type { UnitDetail } from '../../src/upstreams/pvog/mapper';

// P-3b, P-6, P-8, P-9 and D-7 over small inputs shaped like the sandbox world's data. Regional keys are real ones
// from the Destatis register (data/thueringen-gemeinden.csv): Lauscha AGS 16072011, ARS 160720011011 (VG part 0011);
// München ARS 091620000000 (Bayern); Hanau's former ARS 064350014014 (docs/upstreams/portal-pvog.md §6).
const LAUSCHA = '160720011011';

const entry = (id: string, areas: string[], links: string[] = ['https://thavel.sandbox.invalid/govapp/gewerbe-anmelden?oe=SBX16.OE.412']): CatalogueEntry => ({
  id, title: `[Sandbox] Gewerbe anmelden (${id})`, titles: { de: 'Gewerbe anmelden' }, languages: ['de'],
  links: links.map((url) => ({ url, title: 'Online-Antrag starten', typeCode: '01', languageCode: 'de' })),
  trustLevel: { code: 'substanziell', listURI: 'urn:de:sandbox:thuegate:codeliste:vertrauensniveau' }, leikaKeys: ['99050012104000'], areas,
  loginMethods: ['SERVICEKONTO_TH'], payment: { required: false, methods: [] }, operatorUnitId: 'SBX16.OE.412', providerName: 'Stadt Lauscha',
  validFrom: '2024-01-01', validTo: null, lastUpdate: '2026-10-01T00:00:00.000Z',
});

const unit = (id: string, ars: string, ags: string): UnitDetail =>
  ({ id, name: `Stadtverwaltung ${id}`, addresses: [{ street: 'Bahnhofstraße', houseNumber: '12', postalCode: '98724', city: 'Lauscha', ars, ags }] }) as unknown as UnitDetail;

const input = (o: { entries?: CatalogueEntry[]; units?: UnitDetail[]; dvdvRetrievedAt?: string; aliases?: ConformanceInput['urlAliases'] }): ConformanceInput => ({
  collectedAt: '2026-12-02T08:00:00.000Z', asOf: '2026-12-02T08:00:00.000Z', upstreamUrls: {}, urlAliases: o.aliases ?? [],
  municipalities: [...municipalityDirectory().all],
  pvog: { servicesByArs: [], unitsByService: [], details: [], units: o.units ?? [] },
  thavel: { catalogue: { entries: o.entries ?? [], deletedIds: [], warnings: [] } },
  geomis: null, geoproxy: null,
  dvdv: o.dvdvRetrievedAt ? { retrievedAt: o.dvdvRetrievedAt, categories: [], authorities: [], services: [] } : null,
  gaps: [],
});

const got = async (rule: string, i: ConformanceInput, probe?: Prober) => {
  const r = await runChecks(i, { rules: [rule], probe });
  expect(r.outcomes[0].status).toBe('evaluated');
  return r.findings;
};

it('P-6: keys outside Thüringen or not in the register are errors; register keys of every level, padded or not, and the Bund key pass', async () => {
  const clean = [LAUSCHA, '16072', '160720000000', '160720011', '16', '000000000000', '160510000000'];
  expect(await got('P-6', input({ entries: [entry('SBX16.OD.1', clean)], units: [unit('SBX16.OE.1', LAUSCHA, '16072011')] }))).toEqual([]);
  const f = await got('P-6', input({ entries: [entry('SBX16.OD.2', [LAUSCHA, '091620000000']), entry('SBX16.OD.3', ['160729999999'])], units: [unit('SBX16.OE.2', LAUSCHA, '09162000')] }));
  expect(f.map((x) => `${x.subject} ${x.severity}`)).toEqual(['SBX16.OD.2 error', 'SBX16.OD.3 error', 'SBX16.OE.2 error']);
  expect(f[0].evidence.values).toEqual([{ field: 'Onlinedienst gebietID', value: '091620000000', reason: 'outside Thüringen (does not start with 16)' }]);
  expect(f[1].message).toMatch(/160729999999 is not in the register/);
  expect(f[2].message).toMatch(/gemeindeschluessel 09162000 is outside Thüringen/);
});

it('P-8: an AGS padded with 0000 where the register has a Gemeindeverband part is a warning naming the register ARS; a kreisfreie Stadt padded with 0000 is right', async () => {
  const f = await got('P-8', input({ entries: [entry('SBX16.OD.4', [LAUSCHA, '160720000011']), entry('SBX16.OD.5', ['160510000000'])] }));
  expect(f).toHaveLength(1);
  expect(f[0]).toMatchObject({ subject: 'SBX16.OD.4', severity: 'warning', ars: LAUSCHA, evidence: { value: '160720000011', expected: LAUSCHA, ags: '16072011' } });
  expect(f[0].message).toMatch(/looks padded from the AGS/);
  // The padded key is P-8's, not also P-6's.
  expect(await got('P-6', input({ entries: [entry('SBX16.OD.4', [LAUSCHA, '160720000011'])] }))).toEqual([]);
});

it('P-9: a key that left the register names its successor (and is not also a P-6 finding)', async () => {
  const i = input({ entries: [entry('SBX16.OD.6', [LAUSCHA, '064350014014']), entry('SBX16.OD.7', [LAUSCHA])] });
  const f = await got('P-9', i);
  expect(f.map((x) => x.subject)).toEqual(['SBX16.OD.6']);
  expect(f[0]).toMatchObject({ severity: 'warning', evidence: { value: '064350014014', current: '064150000000', effective: '2026-01-01' } });
  expect(await got('P-6', i)).toEqual([]);
});

it('D-7: DVDV data older than two days at the run is an error stating its age; fresher data passes; no DVDV data is not evaluated', async () => {
  const f = await got('D-7', input({ dvdvRetrievedAt: '2026-11-29T08:00:00.000Z' }));
  expect(f).toHaveLength(1);
  expect(f[0]).toMatchObject({ subject: 'dvdv', severity: 'error', evidence: { ageDays: 3, maxAgeDays: 2, retrievedAt: '2026-11-29T08:00:00.000Z' } });
  expect(await got('D-7', input({ dvdvRetrievedAt: '2026-12-01T09:00:00.000Z' }))).toEqual([]);
  const none = await runChecks(input({}), { rules: ['D-7'] });
  expect(none.outcomes[0]).toMatchObject({ status: 'not-evaluated', reason: 'DVDV not collected' });
});

// P-3b: the online-service web host stands for a local server (as the ThAVEL sandbox serves thavel.sandbox.invalid).
let web: Server;
let webUrl: string;
const hits: string[] = [];
beforeAll(async () => {
  web = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith('/govapp/gewerbe-anmelden?')) return res.end('<p>Antrag</p>');
    if (req.url?.startsWith('/govapp/intern')) return (res.statusCode = 403), res.end();
    if (req.url?.startsWith('/govapp/umgezogen')) return res.writeHead(301, { location: '/govapp/gewerbe-anmelden?oe=SBX16.OE.412' }).end();
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((r) => web?.close(r)));

it('P-3b: a link answering 404 is a broken-link warning; ok, redirected and access-protected links pass; links to hosts outside the allow-list are not probed', async () => {
  const aliases = [{ upstream: 'thavel' as const, from: 'https://thavel.sandbox.invalid', to: webUrl }];
  const probe = () => new Prober({ upstreamOrigins: [webUrl], allowHosts: [], aliases, perHostRps: 1000 });
  const entries = [
    entry('SBX16.OD.8', [LAUSCHA], ['https://thavel.sandbox.invalid/govapp/gewerbe-anmelden?oe=SBX16.OE.412', 'https://thavel.sandbox.invalid/govapp/intern', 'https://thavel.sandbox.invalid/govapp/umgezogen']),
    entry('SBX16.OD.9', [LAUSCHA], ['https://thavel.sandbox.invalid/govapp/gewerbe-anmelden-2019?oe=SBX16.OE.412']),
    entry('SBX16.OD.10', [LAUSCHA], ['https://www.lauscha.example.org/formulare/gewerbe.pdf']),
  ];
  const f = await got('P-3b', input({ entries, aliases }), probe());
  expect(f.map((x) => `${x.subject} ${x.severity}`)).toEqual(['SBX16.OD.9 warning']);
  expect(f[0].evidence.broken).toEqual([{ url: 'https://thavel.sandbox.invalid/govapp/gewerbe-anmelden-2019?oe=SBX16.OE.412', requested: `${webUrl}/govapp/gewerbe-anmelden-2019?oe=SBX16.OE.412`, status: 404, reason: 'HTTP 404' }]);
  expect(hits.filter((h) => h.includes('example.org'))).toEqual([]);
  const off = await runChecks(input({ entries, aliases }), { rules: ['P-3b'] });
  expect(off.outcomes[0]).toMatchObject({ status: 'not-evaluated', reason: 'live probes are off' });
});
