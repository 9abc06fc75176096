import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache, type DataCache } from '../../../src/cache';
import { startSandboxServer, type SandboxServer } from '../../../src/sandbox/http';
import { defaultWorld } from '../../../src/sandbox/world';
import { PvogClient } from '../../../src/upstreams/pvog/client';
import { ONLINE_PAGE_SIZE, pvogSandboxRoutes } from '../../../src/upstreams/pvog/sandbox';
import { XzufiSnapshot, readBulkFeed } from '../../../src/formats/xzufi/bulk';
import { XzufiVersionError, parseXzufiMessage } from '../../../src/formats/xzufi/xzufi';
import { createUpstreamClient, type UpstreamClient } from '../../../src/upstreams/runtime/http';
import { UpstreamSource } from '../../../src/upstreams/runtime/source';
import { XmlSecurityError } from '../../../src/upstreams/runtime/xml';

/**
 * Synthetic XZuFi 2.2 documents built from the published element names (portal-pvog.md §3/§4;
 * field list from rongem/pvog and codedust/xzufi). Not a recorded PVOG response: none is published.
 */
const NS = 'http://xoev.de/schemata/xzufi/2_2_0';
const message = (body: string, version = '2.2.0', ns = NS) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<xzufi:transfer.operation xmlns:xzufi="${ns}" produktbezeichnung="Sandbox-Redaktionssystem" produkthersteller="thuegate" xzufiVersion="${version}">
  <nachrichtenkopf><erstellungszeitpunkt>2026-11-01T00:00:00Z</erstellungszeitpunkt></nachrichtenkopf>
  ${body}
</xzufi:transfer.operation>`;

const LEISTUNG = `
<leistung>
  <id schemeAgencyID="SBX16">SBX16.LB.1001</id>
  <struktur><leistungsobjektID schemeID="x">SBX16.LB.1001</leistungsobjektID></struktur>
  <referenzLeiKa><code>99008001012000</code></referenzLeiKa>
  <modulText>
    <positionDarstellung>1</positionDarstellung>
    <inhalt languageCode="de">Personalausweis beantragen</inhalt>
    <inhalt languageCode="en">Apply for an identity card</inhalt>
    <leikaTextmodul><code>03</code></leikaTextmodul>
  </modulText>
  <modulText>
    <positionDarstellung>2</positionDarstellung>
    <inhalt languageCode="de">&lt;p&gt;Den Ausweis &lt;b&gt;persönlich&lt;/b&gt; beantragen.&lt;/p&gt;</inhalt>
    <inhalt languageCode="en"><![CDATA[<p>Apply <b>in person</b>.</p>]]></inhalt>
    <leikaTextmodul><code>05</code></leikaTextmodul>
    <weiterfuehrenderLink><uri>https://pvog.sandbox.invalid/x</uri><titel>Mehr</titel></weiterfuehrenderLink>
  </modulText>
  <modulKosten><beschreibung languageCode="de">37 EUR</beschreibung><beschreibung languageCode="en">EUR 37</beschreibung></modulKosten>
  <modulFrist><beschreibung languageCode="de">keine</beschreibung></modulFrist>
  <modulBearbeitungsdauer><beschreibung languageCode="de">2 bis 4 Wochen</beschreibung></modulBearbeitungsdauer>
  <gueltigkeitGebietID schemeID="urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs">16</gueltigkeitGebietID>
  <versionsinformation><geaendertDatumZeit>2026-03-10T05:29:43Z</geaendertDatumZeit></versionsinformation>
  <kuenftigesElement>ignored</kuenftigesElement>
</leistung>`;

const OE = `
<organisationseinheit>
  <id schemeAgencyID="SBX16">SBX16.OE.1006</id>
  <name><name languageCode="de">Stadtverwaltung Erfurt</name><name languageCode="en">City of Erfurt</name></name>
  <anschrift>
    <strasse>Fischmarkt</strasse><hausnummer>1</hausnummer><postleitzahl>99084</postleitzahl><ort>Erfurt</ort>
    <verwaltungspolitischeKodierung>
      <bundesland><code>16</code><name>Thüringen</name></bundesland>
      <gemeindeschluessel><code>16051000</code></gemeindeschluessel>
      <regionalschluessel><code>160510000000</code></regionalschluessel>
    </verwaltungspolitischeKodierung>
  </anschrift>
  <zustaendigkeit><leistungID>SBX16.LB.1001</leistungID><gebietID>160510000000</gebietID></zustaendigkeit>
</organisationseinheit>`;

describe('parseXzufiMessage', () => {
  it('reads schreibe entries with their published element names, in several languages', () => {
    const m = parseXzufiMessage(
      message(`<schreibe>${LEISTUNG}${OE}
        <zustaendigkeitTransferObjekt><id>SBX16.ZS.1</id><leistungID>SBX16.LB.1001</leistungID><uebergeordnetesObjektID>SBX16.OE.1006</uebergeordnetesObjektID><gebietId>160510000000</gebietId></zustaendigkeitTransferObjekt>
        <onlinedienst><id>SBX16.OD.1</id><bezeichnung languageCode="de">Online-Antrag</bezeichnung><link><typ><code>01</code></typ><link>https://antrag.sandbox.invalid/a</link><titel>Start</titel></link><vertrauensniveau><code>substanziell</code></vertrauensniveau></onlinedienst>
      </schreibe>`),
    );
    expect(m.version).toBe('2.2.0');
    expect(m.producer).toEqual({ product: 'Sandbox-Redaktionssystem', manufacturer: 'thuegate' });
    expect(m.skipped).toEqual([]);
    const [l, oe, zs, od] = m.writes;
    expect(l).toMatchObject({
      kind: 'leistung',
      id: 'SBX16.LB.1001',
      leikaKey: '99008001012000',
      names: { de: 'Personalausweis beantragen', en: 'Apply for an identity card' },
      fees: [{ de: '37 EUR', en: 'EUR 37' }],
      deadlines: [{ de: 'keine' }],
      processingTimes: [{ de: '2 bis 4 Wochen' }],
      areaIds: ['16'],
      lastUpdate: '2026-03-10T05:29:43Z',
      languages: ['de', 'en'],
    });
    expect(l.kind === 'leistung' && l.textModules[1]).toEqual({
      code: '05',
      position: 2,
      texts: { de: '<p>Den Ausweis <b>persönlich</b> beantragen.</p>', en: '<p>Apply <b>in person</b>.</p>' },
      links: [{ uri: 'https://pvog.sandbox.invalid/x', title: 'Mehr' }],
    });
    expect(oe).toEqual({
      kind: 'organisationseinheit',
      id: 'SBX16.OE.1006',
      names: { de: 'Stadtverwaltung Erfurt', en: 'City of Erfurt' },
      addresses: [{ city: 'Erfurt', postalCode: '99084', street: 'Fischmarkt', houseNumber: '1', ars: '160510000000', ags: '16051000' }],
      responsibilities: [{ leistungId: 'SBX16.LB.1001', areaIds: ['160510000000'], role: null }],
    });
    expect(zs).toEqual({ kind: 'zustaendigkeit', id: 'SBX16.ZS.1', leistungId: 'SBX16.LB.1001', parentId: 'SBX16.OE.1006', areaIds: ['160510000000'] });
    expect(od).toMatchObject({ kind: 'onlinedienst', names: { de: 'Online-Antrag' }, trustLevel: 'substanziell', links: [{ url: 'https://antrag.sandbox.invalid/a', typeCode: '01', title: 'Start' }] });
  });

  it('reads loesche entries and skips and counts entries it cannot read', () => {
    const m = parseXzufiMessage(
      message(`<schreibe>
          <leistung><referenzLeiKa><code>99008001012000</code></referenzLeiKa></leistung>
          <leistung><id>SBX16.LB.9</id><referenzLeiKa><code>99008001</code></referenzLeiKa></leistung>
          <organisationseinheit><id>SBX16.OE.2</id><zustaendigkeit><gebietID>16</gebietID></zustaendigkeit></organisationseinheit>
          ${LEISTUNG}
        </schreibe>
        <loesche>
          <id klasse="Zustaendigkeit">SBX16.ZS.77</id>
          <id klasse="Leistung">SBX16.LB.1001</id>
          <id klasse="Unbekannt">SBX16.X.1</id>
          <id klasse="Onlinedienst"></id>
        </loesche>
        <loesche klasse="Organisationseinheit"><id>SBX16.OE.5</id></loesche>`),
    );
    expect(m.writes.map((w) => w.id)).toEqual(['SBX16.LB.1001']);
    expect(m.deletes).toEqual([
      { klasse: 'Zustaendigkeit', id: 'SBX16.ZS.77' },
      { klasse: 'Leistung', id: 'SBX16.LB.1001' },
      { klasse: 'Organisationseinheit', id: 'SBX16.OE.5' },
    ]);
    expect(m.skipped.map((s) => s.reason)).toEqual([
      'missing id',
      'referenzLeiKa/code "99008001" is not a 14-digit LeiKa key',
      'missing zustaendigkeit/leistungID',
      'unknown klasse "Unbekannt"',
      'missing id',
    ]);
  });

  it('accepts "2.2" and the 2.2.0 namespace alone, rejects other major versions and DTDs', () => {
    expect(parseXzufiMessage(message('', '2.2')).version).toBe('2.2');
    expect(parseXzufiMessage(`<x:m xmlns:x="${NS}"/>`).version).toBe('2.2.0');
    expect(() => parseXzufiMessage(message('', '3.0.0'))).toThrow(XzufiVersionError);
    expect(() => parseXzufiMessage(`<x:m xmlns:x="http://xoev.de/schemata/xzufi/3_0_0"/>`)).toThrow(XzufiVersionError);
    expect(() => parseXzufiMessage('<!DOCTYPE m [<!ENTITY a "b">]><m xzufiVersion="2.2.0">&a;</m>')).toThrow(XmlSecurityError);
  });
});

describe('readBulkFeed', () => {
  it('follows naechsterIndex, stops when it does not advance, and applies deletes (orphans counted)', async () => {
    const pages: Record<number, unknown> = {
      0: { xzufiObjekte: message(`<schreibe>${LEISTUNG}${OE}</schreibe>`), vollstaendig: false, naechsterIndex: 2, naechsteAnfrageUrl: '/x?index=2' },
      2: {
        xzufiObjekte: message(`<loesche><id klasse="Leistung">SBX16.LB.1001</id><id klasse="Zustaendigkeit">SBX16.ZS.404</id></loesche>`),
        vollstaendig: false,
        naechsterIndex: 2, // does not advance: a broken feed must not loop
        naechsteAnfrageUrl: '/x?index=2',
      },
    };
    const asked: number[] = [];
    const snap = new XzufiSnapshot();
    for await (const page of readBulkFeed(async (i) => (asked.push(i), pages[i]))) snap.apply(page);
    expect(asked).toEqual([0, 2]);
    expect(snap.summary).toEqual({ pages: 2, written: 2, deleted: 1, orphanDeletes: 1, orphanDeletesByClass: { Zustaendigkeit: 1 }, skipped: 0, complete: false });
    expect(snap.byKind('organisationseinheit').map((o) => o.id)).toEqual(['SBX16.OE.1006']);
    expect(snap.byKind('leistung')).toEqual([]);
  });

  describe('against the Bereitstelldienst sandbox over HTTP', () => {
    let server: SandboxServer;
    let client: UpstreamClient;
    let cache: DataCache;
    beforeAll(async () => {
      server = await startSandboxServer({ name: 'pvog', routes: pvogSandboxRoutes(defaultWorld()) });
      client = createUpstreamClient({ name: 'pvog', baseUrl: server.url });
      cache = createCache({ maxBytes: 1 << 24 });
    });
    afterAll(async () => {
      await client?.close();
      await cache?.close();
      await server?.close();
    });

    it('harvests the whole world page by page until vollstaendig', async () => {
      const world = defaultWorld();
      const pvog = new PvogClient(new UpstreamSource('pvog', client, cache, { ttlMs: 0, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 }));
      const call = { signal: new AbortController().signal, deadline: Date.now() + 20_000 };
      const snap = new XzufiSnapshot();
      for await (const page of readBulkFeed(async (i) => (await pvog.bulkPage(i, '16', call)).value)) snap.apply(page);
      const online = world.onlineServices.filter((o) => o.announcedIn.pvog).length;
      const extras = world.bulkFeed.orphanResponsibilities.length + world.bulkFeed.orphanDeleteIds.length;
      const total = world.services.length + world.organisationUnits.length + online + extras;
      expect(snap.summary).toMatchObject({ complete: true, pages: Math.ceil(total / 60), skipped: 0, orphanDeletes: world.bulkFeed.orphanDeleteIds.length, deleted: 0 });
      expect(snap.byKind('leistung').map((l) => l.leikaKey).sort()).toEqual(world.services.map((s) => s.leikaKey).sort());
      expect(snap.byKind('leistung').find((l) => l.leikaKey === '99008001012000')!.names).toEqual({
        de: 'Personalausweis beantragen',
        en: 'Personalausweis beantragen (EN, Sandbox)',
      });
      const oe = snap.byKind('organisationseinheit');
      expect(oe).toHaveLength(world.organisationUnits.length);
      // A district- or Land-wide Zuständigkeit is declared once with the district's or the Land's ARS: count what it covers.
      const covered = (g: string) => world.municipalities.filter((m) => m.ars.startsWith(g)).length;
      const zsCount = oe.reduce((n, o) => n + o.responsibilities.reduce((k, r) => k + r.areaIds.reduce((c, g) => c + covered(g), 0), 0), 0);
      expect(zsCount).toBe(world.responsibilities.length);
      expect(snap.byKind('onlinedienst')).toHaveLength(online);
      expect(server.requestCount('bereitstelldienst')).toBe(snap.summary.pages);
    }, 30_000);

    it('reads locations and follows the online-services nextPageToken to the end', async () => {
      const world = defaultWorld();
      const pvog = new PvogClient(new UpstreamSource('pvog', client, cache, { ttlMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 }));
      const call = { signal: new AbortController().signal, deadline: Date.now() + 20_000 };
      const loc = await pvog.locations('Erfurt', call);
      expect(loc.value[0]).toEqual({ ars: '160510000000', ags: '16051000', name: 'Erfurt, Stadt', postalCode: world.municipalities[0].postalCode });
      server.resetCounts();
      const os = await pvog.onlineServices('160510000000', call);
      const expected = world.onlineServices.filter((o) => o.announcedIn.pvog && o.areas.includes('160510000000'));
      expect(os.value.map((o) => o.id).sort()).toEqual(expected.map((o) => o.id).sort());
      expect(expected.length).toBeGreaterThan(ONLINE_PAGE_SIZE); // paging is exercised
      expect(server.requestCount('onlineservices')).toBe(Math.ceil(expected.length / ONLINE_PAGE_SIZE));
      expect(os.provenance.source).toBe('pvog');
    });
  });
});
