import { describe, expect, it } from 'vitest';
import { mergeOnlineService } from '../../../src/services/online-services';
import type { CatalogueEntry } from '../../../src/upstreams/thavel/mapper';

// Issue 16 item 13: LINKS_DIFFER is asserted. One online service as the ThAVEL catalogue and PVOG list it
// (sandbox-style addresses of the reserved example domain); only the link lists vary.
const p = { source: 'thavel' as const, fetchedAt: new Date('2026-01-01T00:00:00Z'), stale: false };
const FORM = 'https://formulare.thavel.example/antrag/wohngeld';
const INFO = 'https://formulare.thavel.example/info/wohngeld';

function entry(urls: string[]): CatalogueEntry {
  return {
    id: 'L999999.OD.5001', title: 'Wohngeld beantragen', titles: { de: 'Wohngeld beantragen' }, languages: ['de'],
    links: urls.map((url, i) => ({ url, title: null, typeCode: i === 0 ? '01' : '02', languageCode: 'de' })),
    trustLevel: null, leikaKeys: ['99107023037000'], areas: ['16'], loginMethods: [], payment: { required: null, methods: [] },
    operatorUnitId: null, providerName: 'ThAVEL', validFrom: null, validTo: null, lastUpdate: null,
  };
}
const pvog = (urls: string[]) => ({
  dto: { id: 'L999999.OD.5001', name: 'Wohngeld beantragen', links: urls.map((url) => ({ url, title: url })), leikaKeys: ['99107023037000'] },
  p: { ...p, source: 'pvog' as const },
});
const merge = (thavel: string[], pv: string[]) => mergeOnlineService({ e: entry(thavel), p }, pvog(pv), new Set(['formulare.thavel.example']));

describe('online service links from ThAVEL and PVOG', () => {
  it('the same links (in any order) are no discrepancy', () => {
    expect(merge([FORM, INFO], [INFO, FORM]).discrepancies).toEqual([]);
  });
  it('a link only one source lists is LINKS_DIFFER', () => {
    expect(merge([FORM, INFO], [FORM]).discrepancies).toEqual(['LINKS_DIFFER']);
  });
  it('another address for the form is LINKS_DIFFER, the sources keep their own URLs', () => {
    const m = merge([FORM], ['https://formulare.thavel.example/antrag/wohngeld-2026']);
    expect(m.discrepancies).toEqual(['LINKS_DIFFER']);
    expect(m.sources.map((s) => [s.source, s.urls])).toEqual([
      ['THAVEL_CATALOGUE', [FORM]],
      ['PVOG', ['https://formulare.thavel.example/antrag/wohngeld-2026']],
    ]);
  });
});
