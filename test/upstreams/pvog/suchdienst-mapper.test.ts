import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startSandboxServer, type SandboxServer } from '../../../src/sandbox/http';
import { createUpstreamClient, type UpstreamClient, type UpstreamResponse } from '../../../src/upstreams/runtime/http';
import {
  parseLocations,
  parseOnlineServicesPage,
  parseServiceDetail,
  parseServicePage,
  parseUnitDetail,
  parseUnitTitles,
} from '../../../src/upstreams/pvog/mapper';

/**
 * The PVOG Suchdienst JSON mapper field by field (docs/upstreams/portal-pvog.md §2: field names as listed there;
 * inner fields marked [sandbox] as the PVOG sandbox writes them, src/upstreams/pvog/sandbox.ts). Each body is
 * served over a loopback socket and read by the real upstream client, so the mapper sees a real response.
 * Identifiers are of the reserved sandbox range (L999999…); expected values are the body's own values.
 */

let server: SandboxServer;
let pvog: UpstreamClient;
let body: unknown = null;
let status = 200;

beforeAll(async () => {
  server = await startSandboxServer({ name: 'pvog', routes: [{ method: 'GET', path: '/answer', handler: () => json(body, status) }] });
  pvog = createUpstreamClient({ name: 'pvog', baseUrl: server.url, production: true, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await pvog.close();
  await server.close();
});

async function answer(value: unknown, code = 200): Promise<UpstreamResponse> {
  body = value;
  status = code;
  return pvog.request({ path: '/answer', acceptStatus: [404] });
}

/** The thrown error's GraphQL-visible code and upstream (UPSTREAM_BAD_RESPONSE naming pvog) and its log reason. */
function failure(fn: () => unknown): { code: string; upstream: string; reason: string } {
  try {
    fn();
  } catch (e) {
    const err = e as { code: string; upstream: string; internal: { reason?: string } };
    return { code: err.code, upstream: err.upstream, reason: String(err.internal?.reason) };
  }
  throw new Error('expected the mapper to throw');
}

describe('servicedescriptions page (Spring-Data: content[], totalElements, totalPages)', () => {
  it('reads summaries: id, LeiKa key, plain-text name, lastUpdate, online links with uri or url', async () => {
    const res = await answer({
      content: [
        {
          id: 'L999999.LB.1001',
          leikaId: '99107023037000',
          name: 'Wohngeld <b>beantragen</b>',
          lastUpdate: '2026-01-15T08:00:00Z',
          onlineServiceLinks: [
            { title: 'Online beantragen', uri: 'https://formulare.thavel.example/antrag/wohngeld' },
            { url: 'https://formulare.thavel.example/info/wohngeld' },
            { title: 'kein Ziel' },
            'https://not-an-object.example/',
          ],
        },
        { id: 4711, name: 'Numerische Id' },
        { name: 'ohne Id' },
        'kein Objekt',
      ],
      totalElements: 37,
      totalPages: 4,
    });
    const page = parseServicePage(res);
    expect(page.totalElements).toBe(37);
    expect(page.totalPages).toBe(4);
    expect(page.items).toEqual([
      {
        id: 'L999999.LB.1001',
        leikaKey: '99107023037000',
        name: 'Wohngeld beantragen',
        lastUpdate: '2026-01-15T08:00:00Z',
        onlineServiceLinks: [
          { title: 'Online beantragen', url: 'https://formulare.thavel.example/antrag/wohngeld' },
          // a link without a title is titled by its address
          { title: 'https://formulare.thavel.example/info/wohngeld', url: 'https://formulare.thavel.example/info/wohngeld' },
        ],
      },
      // PVOG ids are strings; a numeric id is read as its decimal string, absent fields are null / empty
      { id: '4711', leikaKey: null, name: 'Numerische Id', lastUpdate: null, onlineServiceLinks: [] },
    ]);
  });

  it('without totals: totalElements = the items read, one page', async () => {
    const page = parseServicePage(await answer({ content: [{ id: 'L999999.LB.1', name: 'A' }, { id: 'L999999.LB.2', name: 'B' }], totalElements: 'many' }));
    expect(page.totalElements).toBe(2);
    expect(page.totalPages).toBe(1);
    // a non-finite number is no total either
    expect(parseServicePage(await answer({ content: [], totalPages: null })).totalPages).toBe(1);
  });

  it('a body without a content array is UPSTREAM_BAD_RESPONSE naming pvog', async () => {
    for (const bad of [{ items: [] }, [], 'content', { content: {} }]) {
      const res = await answer(bad);
      expect(failure(() => parseServicePage(res))).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'pvog', reason: 'unexpected servicedescriptions page shape' });
    }
  });
});

describe('service detail', () => {
  const DETAIL = {
    id: 'L999999.LB.1001',
    leikaId: '99107023037000',
    name: 'Wohngeld',
    lastUpdate: '2026-01-15T08:00:00Z',
    validFrom: '2026-01-01',
    details: [
      { type: { code: '03', name: 'leistungsbezeichnungII' }, languageCode: 'de', text: 'Wohngeld beantragen' },
      { type: { code: '05' }, text: '<p>Zuschuss zur Miete</p>' },
      { type: { code: '05', name: 'volltext' }, languageCode: 'en', text: '<p>Housing benefit</p>' },
      { type: { name: 'ohne Code' }, text: 'dropped' },
      { type: { code: '06' }, text: 42 },
      { text: 'no type' },
      null,
    ],
    costs: [
      { description: 'gebührenfrei', amount: 0, currency: 'EUR' },
      { description: 'Auslagen', amount: 'viel' },
      { amount: 5 },
    ],
    deadlines: [{ description: 'innerhalb eines Monats' }, { description: '' }, {}],
    processingTime: { description: 'etwa 6 Wochen', min: 4, max: 8, unit: 'Wochen' },
    legalBases: [{ title: '§ 1 WoGG' }, { title: '' }, { url: 'no title' }],
    forms: [{ title: 'Antrag', uri: 'https://formulare.thavel.example/wohngeld.pdf' }, { title: 'ohne Adresse' }],
    writtenFormRequired: true,
    release: { date: '2026-01-10', by: 'Redaktion Thüringen' },
    organisations: [
      { id: 'L999999.OE.1', title: 'Wohngeldstelle', role: { code: '01', name: 'Zuständige Stelle' } },
      { id: 'L999999.OE.2', role: { name: 'ohne Code' } },
      { title: 'ohne Id' },
    ],
  };

  it('reads text modules, fees, deadlines, processing time, legal basis, forms, release and organisations', async () => {
    const d = parseServiceDetail(await answer(DETAIL));
    expect(d).toEqual({
      id: 'L999999.LB.1001',
      leikaKey: '99107023037000',
      name: 'Wohngeld',
      lastUpdate: '2026-01-15T08:00:00Z',
      onlineServiceLinks: [],
      validFrom: '2026-01-01',
      textModules: [
        { code: '03', kind: 'leistungsbezeichnungII', languageCode: 'de', html: 'Wohngeld beantragen' },
        // no languageCode: German, the portal language
        { code: '05', kind: null, languageCode: 'de', html: '<p>Zuschuss zur Miete</p>' },
        { code: '05', kind: 'volltext', languageCode: 'en', html: '<p>Housing benefit</p>' },
      ],
      fees: [
        { description: 'gebührenfrei', amount: 0, currency: 'EUR' },
        { description: 'Auslagen', amount: null, currency: null },
      ],
      deadlines: [{ description: 'innerhalb eines Monats' }],
      processingTime: { description: 'etwa 6 Wochen', min: 4, max: 8, unit: 'Wochen' },
      legalBasis: ['§ 1 WoGG'],
      forms: [{ title: 'Antrag', url: 'https://formulare.thavel.example/wohngeld.pdf' }],
      writtenFormRequired: true,
      release: { date: '2026-01-10', by: 'Redaktion Thüringen' },
      organisations: [
        { id: 'L999999.OE.1', title: 'Wohngeldstelle', role: { code: '01', name: 'Zuständige Stelle' } },
        { id: 'L999999.OE.2', title: '', role: null },
      ],
    });
  });

  it('absent optional parts are null or empty, not invented', async () => {
    const d = parseServiceDetail(await answer({ id: 'L999999.LB.2', name: 'Kurz', processingTime: 'sechs Wochen', release: 'gestern', writtenFormRequired: 'ja' }));
    expect(d).toMatchObject({
      validFrom: null,
      textModules: [],
      fees: [],
      deadlines: [],
      processingTime: null,
      legalBasis: [],
      forms: [],
      writtenFormRequired: null,
      release: null,
      organisations: [],
    });
    expect(parseServiceDetail(await answer({ id: 'L999999.LB.3', writtenFormRequired: false, processingTime: {} }))).toMatchObject({
      name: '',
      writtenFormRequired: false,
      processingTime: { description: null, min: null, max: null, unit: null },
    });
  });

  it('a detail without an id, or not an object, is UPSTREAM_BAD_RESPONSE naming pvog', async () => {
    for (const bad of [{ name: 'ohne Id' }, [{ id: 'L999999.LB.1' }]]) {
      const res = await answer(bad);
      expect(failure(() => parseServiceDetail(res))).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'pvog', reason: 'unexpected service detail shape' });
    }
  });
});

describe('organisation units', () => {
  it('titles: id, title, role; entries without id are dropped; a non-array is a shape error', async () => {
    const t = parseUnitTitles(
      await answer([
        { id: 'L999999.OE.1', title: 'Bürgeramt', role: { code: '01', name: 'Zuständige Stelle' } },
        { id: 'L999999.OE.2', title: 'Ansprechpunkt', role: { code: '02' } },
        { id: 'L999999.OE.3', title: 'ohne Rolle', role: 'zuständig' },
        { title: 'ohne Id' },
      ]),
    );
    expect(t).toEqual([
      { id: 'L999999.OE.1', title: 'Bürgeramt', role: { code: '01', name: 'Zuständige Stelle' } },
      { id: 'L999999.OE.2', title: 'Ansprechpunkt', role: { code: '02', name: null } },
      { id: 'L999999.OE.3', title: 'ohne Rolle', role: null },
    ]);
    const res = await answer({ content: [] });
    expect(failure(() => parseUnitTitles(res))).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'pvog', reason: 'unexpected organisationunits titles shape' });
  });

  // Top-level fields as in the published /v5/organisationunits/detail sample (portal-pvog.md §2); inner fields [sandbox].
  const UNIT = {
    id: 'L999999.OE.868',
    title: 'Bürgeramt Sandbox',
    shortTitle: 'BA',
    languages: ['de', 'en', 7],
    lastUpdate: '2022-10-10T09:12:27.031512400Z',
    additionalInformation: 'Termine nach Vereinbarung',
    location: [
      {
        address: { street: 'Fischmarkt', houseNumber: '1', zipCode: '99084', city: 'Erfurt', ars: '160510000000', ags: '16051000' },
        openingHours: [
          { day: 'MONDAY', from: '08:00', to: '12:00' },
          { day: 'TUESDAY', from: '14:00' },
          'Mittwoch',
        ],
        openingHoursNote: 'Donnerstag bis 18 Uhr',
      },
      { address: { city: 'Weimar' }, openingHours: [{ day: 'FRIDAY', from: '09:00', to: '11:00' }] },
      { address: 'Markt 1' },
      'kein Ort',
    ],
    communicationSystems: [
      { channel: 'Telefon', value: '+49 361 000000' },
      { channel: 'PHONE', value: '+49 361 999999' },
      { channel: 'fax', value: '+49 361 000001' },
      { channel: 'EMAIL', value: 'buergeramt@sandbox.example' },
      { channel: 'URL', value: 'https://sandbox.example/buergeramt' },
      { channel: 'WEB', value: 'https://sandbox.example/zweite' },
      { channel: 'PIGEON', value: 'Taube' },
      { value: 'ohne Kanal' },
      'kein Objekt',
    ],
    role: { code: '02', name: 'Ansprechpunkt' },
  };

  it('detail: addresses of every location, opening hours of the first, first value per contact channel, role', async () => {
    const u = parseUnitDetail(await answer(UNIT));
    expect(u).toEqual({
      id: 'L999999.OE.868',
      name: 'Bürgeramt Sandbox',
      shortName: 'BA',
      languages: ['de', 'en', '7'],
      lastUpdate: '2022-10-10T09:12:27.031512400Z',
      addresses: [
        { street: 'Fischmarkt', houseNumber: '1', postalCode: '99084', city: 'Erfurt', ars: '160510000000', ags: '16051000' },
        { street: null, houseNumber: null, postalCode: null, city: 'Weimar', ars: null, ags: null },
      ],
      openingHours: [{ day: 'MONDAY', opens: '08:00', closes: '12:00' }],
      openingHoursNote: 'Donnerstag bis 18 Uhr',
      contact: { phone: '+49 361 000000', fax: '+49 361 000001', email: 'buergeramt@sandbox.example', website: 'https://sandbox.example/buergeramt' },
      role: { code: '02', name: 'Ansprechpunkt' },
    });
  });

  it('detail without locations: the note falls back to additionalInformation; 404 is no unit', async () => {
    const u = parseUnitDetail(await answer({ id: 'L999999.OE.9', title: 'Amt', additionalInformation: 'nur online' }));
    expect(u).toEqual({
      id: 'L999999.OE.9',
      name: 'Amt',
      shortName: null,
      languages: [],
      lastUpdate: null,
      addresses: [],
      openingHours: [],
      openingHoursNote: 'nur online',
      contact: { phone: null, fax: null, email: null, website: null },
      role: null,
    });
    expect(parseUnitDetail(await answer({ type: 'about:blank', title: 'Not Found' }, 404))).toBeNull();
  });

  it('a detail without id or without a string title is UPSTREAM_BAD_RESPONSE naming pvog', async () => {
    for (const bad of [{ title: 'Amt' }, { id: 'L999999.OE.9', title: 5 }, [UNIT]]) {
      const res = await answer(bad);
      expect(failure(() => parseUnitDetail(res))).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'pvog', reason: 'unexpected organisationunit detail shape' });
    }
  });
});

describe('locations and online services', () => {
  it('locations: ars, ags, name, zip as in the Nördlingen example (portal-pvog.md §2); entries without ars dropped', async () => {
    const l = parseLocations(
      await answer([
        { ars: '097790194194', ags: '09779194', name: 'Nördlingen', zip: '86720', zipCodeCount: 1 },
        { ars: '160510000000' },
        { name: 'ohne ARS' },
        null,
      ]),
    );
    expect(l).toEqual([
      { ars: '097790194194', ags: '09779194', name: 'Nördlingen', postalCode: '86720' },
      { ars: '160510000000', ags: null, name: '', postalCode: null },
    ]);
    const res = await answer({ locations: [] });
    expect(failure(() => parseLocations(res))).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'pvog', reason: 'unexpected locations shape' });
  });

  it('online services: the lowercase onlineservices array, links, LeiKa keys of the service descriptions, cursor', async () => {
    const p = parseOnlineServicesPage(
      await answer({
        totalHits: 120,
        nextPageToken: 'tok-2',
        onlineservices: [
          {
            id: 'L999999.OD.5001',
            name: 'Wohngeld online',
            links: [{ uri: 'https://formulare.thavel.example/antrag/wohngeld', title: 'Antrag' }, { title: 'ohne Adresse' }],
            serviceDescriptions: [{ leikaId: '99107023037000', ars: ['16'] }, { ars: ['16'] }, 'x'],
          },
          { id: 'L999999.OD.5002' },
          { name: 'ohne Id' },
        ],
      }),
    );
    expect(p).toEqual({
      totalHits: 120,
      nextPageToken: 'tok-2',
      items: [
        {
          id: 'L999999.OD.5001',
          name: 'Wohngeld online',
          links: [{ title: 'Antrag', url: 'https://formulare.thavel.example/antrag/wohngeld' }],
          leikaKeys: ['99107023037000'],
        },
        { id: 'L999999.OD.5002', name: '', links: [], leikaKeys: [] },
      ],
    });
  });

  it('online services: no totalHits = the items read; an empty token ends the cursor; the camel-case array is a shape error', async () => {
    const p = parseOnlineServicesPage(await answer({ nextPageToken: '', onlineservices: [{ id: 'L999999.OD.1' }] }));
    expect(p.totalHits).toBe(1);
    expect(p.nextPageToken).toBeNull();
    const res = await answer({ onlineServices: [] });
    expect(failure(() => parseOnlineServicesPage(res))).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'pvog', reason: 'unexpected onlineservices page shape' });
  });
});
