import { describe, expect, it } from 'vitest';
import type { XzufiOnlinedienst } from '../../../src/formats/xzufi/xzufi';
import { applyDelta, areaCovers, resolveCatalogue, type CataloguePage } from '../../../src/upstreams/thavel/mapper';

/**
 * Joining ThAVEL catalogue pages (docs/upstreams/thavel.md §2): Leistung references resolve to LeiKa keys from any
 * page of the read, later pages win per Onlinedienst id, deletions remove, and ARS areas cover by the key hierarchy
 * (Land 2 → Kreis 5 → Gemeinde 12 digits). Ids are of the sandbox range (L999999…), keys from the world's LeiKa data.
 */

const WOHNGELD = '99107023037000';
const PERSO = '99008001012000';

const od = (id: string, over: Partial<XzufiOnlinedienst> = {}): XzufiOnlinedienst => ({
  kind: 'onlinedienst', id, names: { de: `Dienst ${id}` }, links: [], trustLevel: null, trustLevelList: null, responsibilities: [],
  loginMethods: [], paymentMethods: [], paymentRequired: null, operatorUnitId: null, providerName: null, validFrom: null, validTo: null, lastUpdate: null,
  ...over,
});
const page = (index: number, over: Partial<CataloguePage>): CataloguePage => ({ index, next: null, complete: true, onlinedienste: [], leistungen: {}, deletedIds: [], warnings: [], ...over });

describe('resolving catalogue pages', () => {
  it('Leistung ids resolve across pages and from known Leistungen; unresolved ones warn and are left out', () => {
    const c = resolveCatalogue(
      [
        page(0, { onlinedienste: [od('L999999.OD.2', { responsibilities: [{ leistungId: 'L999999.LB.1', areaIds: ['16051'] }, { leistungId: 'L999999.LB.9', areaIds: [] }] })] }),
        page(1, { leistungen: { 'L999999.LB.1': WOHNGELD, 'L999999.LB.3': null } }),
      ],
      { 'L999999.LB.9': PERSO },
    );
    expect(c.entries).toHaveLength(1);
    expect(c.entries[0].leikaKeys).toEqual([PERSO, WOHNGELD]);
    expect(c.warnings).toEqual([]);

    const d = resolveCatalogue([page(0, { onlinedienste: [od('L999999.OD.2', { responsibilities: [{ leistungId: 'L999999.LB.3', areaIds: ['16'] }] })], leistungen: { 'L999999.LB.3': null } })]);
    expect(d.entries[0].leikaKeys).toEqual([]);
    expect(d.warnings).toEqual([{ element: 'onlinedienst', id: 'L999999.OD.2', reason: 'leistungID "L999999.LB.3" has no LeiKa key in the catalogue' }]);
  });

  it('an entry: German title (else the first language), sorted languages and areas without repeats, trust level with its list', () => {
    const c = resolveCatalogue([
      page(0, {
        leistungen: { 'L999999.LB.1': WOHNGELD },
        warnings: [{ element: 'onlinedienst', id: null, reason: 'missing id' }],
        onlinedienste: [
          od('L999999.OD.7', {
            names: { en: 'Housing benefit', de: 'Wohngeld' },
            trustLevel: 'substantiell', trustLevelList: 'urn:xoev-de:fim:codeliste:vertrauensniveau',
            responsibilities: [{ leistungId: 'L999999.LB.1', areaIds: ['16071', '16'] }, { leistungId: 'L999999.LB.1', areaIds: ['16'] }],
            loginMethods: ['BUNDID'], paymentMethods: ['PAYPAL'], paymentRequired: true, operatorUnitId: 'L999999.OE.1', providerName: 'ThAVEL',
            validFrom: '2026-01-01', validTo: '2026-12-31', lastUpdate: '2026-01-15T08:00:00Z',
          }),
          od('L999999.OD.3', { names: { en: 'Only English', fr: 'Français' } }),
          od('L999999.OD.4', { names: {} }),
        ],
      }),
    ]);
    expect(c.entries.map((e) => e.id)).toEqual(['L999999.OD.3', 'L999999.OD.4', 'L999999.OD.7']);
    expect(c.entries.map((e) => e.title)).toEqual(['Only English', '', 'Wohngeld']);
    expect(c.entries[0].languages).toEqual(['en', 'fr']);
    expect(c.entries[2]).toEqual({
      id: 'L999999.OD.7', title: 'Wohngeld', titles: { en: 'Housing benefit', de: 'Wohngeld' }, languages: ['de', 'en'], links: [],
      trustLevel: { code: 'substantiell', listURI: 'urn:xoev-de:fim:codeliste:vertrauensniveau' },
      leikaKeys: [WOHNGELD], areas: ['16', '16071'], loginMethods: ['BUNDID'], payment: { required: true, methods: ['PAYPAL'] },
      operatorUnitId: 'L999999.OE.1', providerName: 'ThAVEL', validFrom: '2026-01-01', validTo: '2026-12-31', lastUpdate: '2026-01-15T08:00:00Z',
    });
    expect(c.entries[0].trustLevel).toBeNull();
    // the pages' own warnings are kept
    expect(c.warnings).toEqual([{ element: 'onlinedienst', id: null, reason: 'missing id' }]);
  });

  it('later pages win per id; a deletion removes what earlier pages listed and is reported', () => {
    const c = resolveCatalogue([
      page(0, { onlinedienste: [od('L999999.OD.1', { names: { de: 'alt' } }), od('L999999.OD.2')] }),
      page(1, { onlinedienste: [od('L999999.OD.1', { names: { de: 'neu' } })], deletedIds: ['L999999.OD.2', 'L999999.OD.8'] }),
    ]);
    expect(c.entries.map((e) => [e.id, e.title])).toEqual([['L999999.OD.1', 'neu']]);
    expect(c.deletedIds).toEqual(['L999999.OD.2', 'L999999.OD.8']);
  });

  it('a delta replaces changed entries and removes deleted ones; the result is sorted by id and carries the delta’s warnings', () => {
    const base = resolveCatalogue([page(0, { onlinedienste: [od('L999999.OD.1'), od('L999999.OD.5'), od('L999999.OD.9')] })]);
    const delta = resolveCatalogue([page(0, { onlinedienste: [od('L999999.OD.5', { names: { de: 'geändert' } }), od('L999999.OD.2')], deletedIds: ['L999999.OD.9'], warnings: [{ element: 'x', id: null, reason: 'r' }] })]);
    const next = applyDelta(base, delta);
    expect(next.entries.map((e) => [e.id, e.title])).toEqual([
      ['L999999.OD.1', 'Dienst L999999.OD.1'],
      ['L999999.OD.2', 'Dienst L999999.OD.2'],
      ['L999999.OD.5', 'geändert'],
    ]);
    expect(next.deletedIds).toEqual([]);
    expect(next.warnings).toEqual([{ element: 'x', id: null, reason: 'r' }]);
  });
});

describe('area coverage by the ARS hierarchy', () => {
  it('a Land or Kreis area covers its municipalities; a municipality area answers a query for its Kreis or Land', () => {
    expect(areaCovers('16', '160510000000')).toBe(true);
    expect(areaCovers('16071', '160710001001')).toBe(true);
    expect(areaCovers('160510000000', '160510000000')).toBe(true);
    expect(areaCovers('160510000000', '16051')).toBe(true);
    expect(areaCovers('16071', '160510000000')).toBe(false);
    expect(areaCovers('15', '160510000000')).toBe(false);
    expect(areaCovers('160710001001', '16051')).toBe(false);
  });
});
