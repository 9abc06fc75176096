import { describe, expect, it } from 'vitest';
import { parseBulkEnvelope, XzufiSnapshot, type BulkPage } from '../../src/formats/xzufi/bulk';
import { parseXzufiMessage, XzufiError, XzufiVersionError } from '../../src/formats/xzufi/xzufi';

/**
 * XZuFi 2.2 entries beyond the Leistung/OE basics (docs/upstreams/portal-pvog.md §3/§4, docs/upstreams/thavel.md
 * §2.1 for Onlinedienst): element names as published; values are the documents' own. Ids of the sandbox range.
 */
const NS = 'http://xoev.de/schemata/xzufi/2_2_0';
const msg = (body: string, attrs = 'xzufiVersion="2.2.0"') => `<x:transfer.operation xmlns:x="${NS}" ${attrs}>${body}</x:transfer.operation>`;
const writes = (body: string) => parseXzufiMessage(msg(`<schreibe>${body}</schreibe>`));

describe('Onlinedienst (ThAVEL catalogue entry)', () => {
  it('every field: links with type and language, trust level with its list, responsibilities, login and payment, provider, validity', () => {
    const m = writes(`<onlinedienst>
      <id>L999999.OD.5001</id>
      <bezeichnung languageCode="de">Wohngeld online</bezeichnung><bezeichnung languageCode="en">Housing benefit online</bezeichnung><bezeichnung languageCode="de">zweiter Name</bezeichnung>
      <link><link>https://formulare.thavel.example/antrag</link><titel>Antrag</titel><typ><code>01</code></typ><languageCode>de</languageCode></link>
      <link languageCode="en"><link>https://formulare.thavel.example/en</link></link>
      <link><titel>ohne Adresse</titel></link>
      <vertrauensniveau listURI="urn:xoev-de:fim:codeliste:vertrauensniveau"><code>substanziell</code></vertrauensniveau>
      <zustaendigkeit><leistungID>L999999.LB.1</leistungID><gebietID>16</gebietID><gebietID></gebietID><gebietID>16051</gebietID></zustaendigkeit>
      <identifizierungsmittel><code>BUNDID</code></identifizierungsmittel><identifizierungsmittel><code>SERVICEKONTO_TH</code></identifizierungsmittel><identifizierungsmittel/>
      <zahlungsweise><code>PAYPAL</code></zahlungsweise><zahlungsweise/>
      <zahlungErforderlich>true</zahlungErforderlich>
      <bereitstellendeOrganisationseinheitID>L999999.OE.1</bereitstellendeOrganisationseinheitID>
      <anbieter><name>ThAVEL</name></anbieter>
      <gueltigkeit><beginn>2026-01-01</beginn><ende>2026-12-31</ende></gueltigkeit>
      <versionsinformation><geaendertDatumZeit>2026-01-15T08:00:00Z</geaendertDatumZeit></versionsinformation>
    </onlinedienst>`);
    expect(m.skipped).toEqual([]);
    expect(m.writes).toEqual([
      {
        kind: 'onlinedienst',
        id: 'L999999.OD.5001',
        // the first text per language wins
        names: { de: 'Wohngeld online', en: 'Housing benefit online' },
        links: [
          { url: 'https://formulare.thavel.example/antrag', title: 'Antrag', typeCode: '01', languageCode: 'de' },
          { url: 'https://formulare.thavel.example/en', title: null, typeCode: null, languageCode: 'en' },
        ],
        trustLevel: 'substanziell',
        trustLevelList: 'urn:xoev-de:fim:codeliste:vertrauensniveau',
        responsibilities: [{ leistungId: 'L999999.LB.1', areaIds: ['16', '16051'] }],
        loginMethods: ['BUNDID', 'SERVICEKONTO_TH'],
        paymentMethods: ['PAYPAL'],
        paymentRequired: true,
        operatorUnitId: 'L999999.OE.1',
        providerName: 'ThAVEL',
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        lastUpdate: '2026-01-15T08:00:00Z',
      },
    ]);
  });

  it('listURI as a child element; payment not required, or unknown when not a boolean; absent parts null', () => {
    const [a, b, c] = writes(`
      <onlinedienst><id>L999999.OD.1</id><vertrauensniveau><code>hoch</code><listURI>urn:list</listURI></vertrauensniveau><zahlungErforderlich>false</zahlungErforderlich></onlinedienst>
      <onlinedienst><id>L999999.OD.2</id><zahlungErforderlich>ja</zahlungErforderlich></onlinedienst>
      <onlinedienst><id>L999999.OD.3</id></onlinedienst>`).writes as any[];
    expect([a.trustLevel, a.trustLevelList, a.paymentRequired]).toEqual(['hoch', 'urn:list', false]);
    expect(b.paymentRequired).toBeNull();
    expect(c).toMatchObject({ names: {}, links: [], trustLevel: null, trustLevelList: null, responsibilities: [], loginMethods: [], paymentMethods: [], paymentRequired: null, operatorUnitId: null, providerName: null, validFrom: null, validTo: null, lastUpdate: null });
  });

  it('a responsibility without leistungID skips the whole entry, naming what is missing', () => {
    const m = writes(`<onlinedienst><id>L999999.OD.9</id><zustaendigkeit><gebietID>16</gebietID></zustaendigkeit></onlinedienst><onlinedienst><bezeichnung>ohne Id</bezeichnung></onlinedienst>`);
    expect(m.writes).toEqual([]);
    expect(m.skipped).toEqual([
      { element: 'onlinedienst', reason: 'missing zustaendigkeit/leistungID' },
      { element: 'onlinedienst', reason: 'missing id' },
    ]);
  });
});

describe('Leistung, OE, Zuständigkeit and Spezialisierung details', () => {
  it('name from text module 03, else 02; positions only when numeric; a link given as text; no LeiKa key is allowed', () => {
    const [l] = writes(`<leistung><id>L999999.LB.2</id>
      <modulText><leikaTextmodul><code>02</code></leikaTextmodul><inhalt>Wohngeld</inhalt><positionDarstellung>x</positionDarstellung></modulText>
      <modulText><leikaTextmodul><code>05</code></leikaTextmodul><inhalt languageCode="en">Text</inhalt>
        <weiterfuehrenderLink>https://formulare.thavel.example/info</weiterfuehrenderLink><weiterfuehrenderLink><uri></uri></weiterfuehrenderLink><weiterfuehrenderLink><titel>Nur ein Titel</titel></weiterfuehrenderLink></modulText>
      <modulText><inhalt></inhalt></modulText>
    </leistung>`).writes as any[];
    expect(l.leikaKey).toBeNull();
    expect(l.names).toEqual({ de: 'Wohngeld' });
    expect(l.textModules.map((t: any) => [t.code, t.position])).toEqual([['02', null], ['05', null], [null, null]]);
    expect(l.textModules[1].links).toEqual([{ uri: 'https://formulare.thavel.example/info', title: null }]);
    expect(l.textModules[2].texts).toEqual({});
    expect(l.languages).toEqual(['de', 'en']);
    expect(l).toMatchObject({ fees: [], deadlines: [], processingTimes: [], areaIds: [], lastUpdate: null });

    const [l3] = writes(`<leistung><id>L999999.LB.3</id><modulText><leikaTextmodul><code>02</code></leikaTextmodul><inhalt>zwei</inhalt></modulText>
      <modulText><leikaTextmodul><code>03</code></leikaTextmodul><inhalt>drei</inhalt><positionDarstellung>0</positionDarstellung></modulText></leistung>`).writes as any[];
    expect(l3.names).toEqual({ de: 'drei' });
    expect(l3.textModules[1].position).toBe(0);
    expect(writes(`<leistung><id>L999999.LB.4</id></leistung>`).writes[0]).toMatchObject({ names: {}, languages: [] });
    expect(writes(`<leistung><id>L999999.LB.5</id><referenzLeiKa><code>9910702303700a</code></referenzLeiKa></leistung>`).skipped[0].reason).toBe(
      'referenzLeiKa/code "9910702303700a" is not a 14-digit LeiKa key',
    );
    expect(writes(`<leistung><id>L999999.LB.5</id><referenzLeiKa><code>991070230370001</code></referenzLeiKa></leistung>`).skipped).toHaveLength(1);
  });

  it('an OE name given directly; an address without codes; Zuständigkeit areas in both spellings; Spezialisierung', () => {
    const m = writes(`
      <organisationseinheit><id>L999999.OE.7</id><name languageCode="de">Landratsamt</name><anschrift><ort>Gotha</ort></anschrift></organisationseinheit>
      <organisationseinheit><id>L999999.OE.8</id></organisationseinheit>
      <zustaendigkeitTransferObjekt><id>L999999.ZS.1</id><leistungID>L999999.LB.1</leistungID><gebietID>16067</gebietID><gebietId>16</gebietId><gebietID/></zustaendigkeitTransferObjekt>
      <zustaendigkeitTransferObjekt><id>L999999.ZS.2</id></zustaendigkeitTransferObjekt>
      <spezialisierung><id>L999999.SP.1</id></spezialisierung>
      <spezialisierung/>
      <unbekannt><id>x</id></unbekannt>`);
    expect(m.writes).toEqual([
      { kind: 'organisationseinheit', id: 'L999999.OE.7', names: { de: 'Landratsamt' }, addresses: [{ city: 'Gotha', postalCode: null, street: null, houseNumber: null, ars: null, ags: null }], responsibilities: [] },
      { kind: 'organisationseinheit', id: 'L999999.OE.8', names: {}, addresses: [], responsibilities: [] },
      { kind: 'zustaendigkeit', id: 'L999999.ZS.1', leistungId: 'L999999.LB.1', parentId: null, areaIds: ['16', '16067'] },
      { kind: 'spezialisierung', id: 'L999999.SP.1' },
    ]);
    expect(m.skipped).toEqual([
      { element: 'zustaendigkeitTransferObjekt', reason: 'missing leistungID' },
      { element: 'spezialisierung', reason: 'missing id' },
    ]);
  });

  it('deletions without klasse are skipped as unknown klasse null', () => {
    const m = parseXzufiMessage(msg('<loesche><id>L999999.LB.1</id></loesche><loesche klasse="Leistung">L999999.LB.2</loesche>'));
    expect(m.deletes).toEqual([{ klasse: 'Leistung', id: 'L999999.LB.2' }]);
    expect(m.skipped).toEqual([{ element: 'loesche', reason: 'unknown klasse null' }]);
  });
});

describe('message version (portal-pvog.md §4: accept 2.2 and 2.2.0, reject other major versions)', () => {
  it('declared versions of major 2 are read; the producer attributes are optional', () => {
    for (const v of ['2', '2.2', '2.2.0', '2.1.0']) expect(parseXzufiMessage(msg('', `xzufiVersion="${v}"`)).version).toBe(v);
    expect(parseXzufiMessage(msg('')).producer).toEqual({ product: null, manufacturer: null });
  });

  it('other versions, or a namespace of another major version, are XzufiVersionError naming the version', () => {
    for (const v of ['3.0.0', '20', '2.2.0.1', '1.2', '2.x']) {
      expect(() => parseXzufiMessage(msg('', `xzufiVersion="${v}"`))).toThrow(new XzufiVersionError(v));
    }
    expect(() => parseXzufiMessage(`<x:m xmlns:x="http://xoev.de/schemata/xzufi/3_0_0" xzufiVersion="2.2.0"/>`)).toThrow(new XzufiVersionError('3.0.0'));
    expect(new XzufiVersionError('3.0.0').message).toBe(`XZuFi version "3.0.0" is not supported; expected 2.2 (${NS})`);
    expect(new XzufiVersionError('3.0.0').name).toBe('XzufiVersionError');
  });

  it('neither attribute nor XZuFi namespace: not an XZuFi message', () => {
    let e: unknown;
    try {
      parseXzufiMessage('<m xmlns="urn:other"/>');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(XzufiError);
    expect(e).not.toBeInstanceOf(XzufiVersionError);
    expect((e as Error).message).toBe('not an XZuFi message: neither an xzufiVersion attribute nor an XZuFi namespace');
    expect((e as Error).name).toBe('XzufiError');
  });
});

describe('bulk envelope and snapshot', () => {
  it('envelope fields as documented; a non-integer index and non-string URL are absent', () => {
    expect(parseBulkEnvelope({ xzufiObjekte: '<m/>', vollstaendig: true, naechsterIndex: 200, naechsteAnfrageUrl: 'https://pvog.example/api?index=200' })).toEqual({
      xzufiObjekte: '<m/>', vollstaendig: true, naechsterIndex: 200, naechsteAnfrageUrl: 'https://pvog.example/api?index=200',
    });
    expect(parseBulkEnvelope({ xzufiObjekte: '', vollstaendig: 'true', naechsterIndex: 2.5, naechsteAnfrageUrl: 7 })).toEqual({ xzufiObjekte: '', vollstaendig: false, naechsterIndex: null, naechsteAnfrageUrl: null });
    expect(parseBulkEnvelope({ xzufiObjekte: '', naechsterIndex: '200' }).naechsterIndex).toBeNull();
    expect(() => parseBulkEnvelope(null)).toThrow(new XzufiError('Bereitstelldienst page is not a JSON object'));
    expect(() => parseBulkEnvelope('x')).toThrow(new XzufiError('Bereitstelldienst page is not a JSON object'));
    expect(() => parseBulkEnvelope({ xzufiObjekte: 5 })).toThrow(new XzufiError('Bereitstelldienst page has no xzufiObjekte string'));
  });

  it('each delete class removes the object kind it names; byKind lists one kind; the summary counts', () => {
    const s = new XzufiSnapshot();
    const pageOf = (body: string, vollstaendig: boolean): BulkPage => ({ index: 0, message: parseXzufiMessage(msg(body)), envelope: { vollstaendig, naechsterIndex: null, naechsteAnfrageUrl: null } });
    s.apply(pageOf(`<schreibe>
      <leistung><id>A</id></leistung><organisationseinheit><id>A</id></organisationseinheit>
      <zustaendigkeitTransferObjekt><id>A</id><leistungID>A</leistungID></zustaendigkeitTransferObjekt>
      <spezialisierung><id>A</id></spezialisierung><onlinedienst><id>A</id></onlinedienst><leistung/></schreibe>`, false));
    expect(s.byKind('leistung').map((o) => o.id)).toEqual(['A']);
    expect(s.byKind('onlinedienst')).toHaveLength(1);
    expect(s.summary).toEqual({ pages: 1, written: 5, deleted: 0, orphanDeletes: 0, orphanDeletesByClass: {}, skipped: 1, complete: false });
    for (const [klasse, kind] of [['Leistung', 'leistung'], ['Organisationseinheit', 'organisationseinheit'], ['Zustaendigkeit', 'zustaendigkeit'], ['LeistungSpezialisierung', 'spezialisierung'], ['Onlinedienst', 'onlinedienst']] as const) {
      const before = s.objects.size;
      s.apply(pageOf(`<loesche><id klasse="${klasse}">A</id></loesche>`, true));
      expect(s.byKind(kind)).toEqual([]);
      expect(s.objects.size).toBe(before - 1);
    }
    s.apply(pageOf(`<loesche><id klasse="Leistung">A</id></loesche>`, true));
    expect(s.summary).toEqual({ pages: 7, written: 5, deleted: 5, orphanDeletes: 1, orphanDeletesByClass: { Leistung: 1 }, skipped: 1, complete: true });
  });
});
