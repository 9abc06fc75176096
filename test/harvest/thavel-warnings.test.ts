import { expect, it } from 'vitest';
import { thavelWarningItems } from '../../src/harvest/harvester';
import type { Catalogue, CatalogueEntry, CatalogueWarning } from '../../src/upstreams/thavel/mapper';

// The ThAVEL reader's warnings as snapshot items (src/harvest/items.ts): what a full and a delta read write and retire.
// The warning texts are the reader's own (src/upstreams/thavel/mapper.ts, src/formats/xzufi/xzufi.ts).
const entry = (id: string): CatalogueEntry => ({
  id, title: id, titles: { de: id }, languages: ['de'], links: [], trustLevel: null, leikaKeys: [], areas: [], loginMethods: [],
  payment: { required: false, methods: [] }, operatorUnitId: null, providerName: null, validFrom: null, validTo: null, lastUpdate: null,
} as unknown as CatalogueEntry);
const area = (id: string, v: string): CatalogueWarning => ({ element: 'onlinedienst', id, reason: `gebietID ${JSON.stringify(v)} is not an ARS of 2, 3, 5, 9 or 12 digits` });
const unresolved = (id: string, ref: string): CatalogueWarning => ({ element: 'onlinedienst', id, reason: `leistungID ${JSON.stringify(ref)} has no LeiKa key in the catalogue` });
const skippedLeistung = (v: string): CatalogueWarning => ({ element: 'leistung', id: null, reason: `referenzLeiKa/code ${JSON.stringify(v)} is not a 14-digit LeiKa key` });
const cat = (ids: string[], warnings: CatalogueWarning[], deletedIds: string[] = []): Catalogue => ({ entries: ids.map(entry), deletedIds, warnings });

it('a full read: one warnings item per Onlinedienst with warnings, one for the catalogue, none for clean entries', () => {
  const r = thavelWarningItems(cat(['SBX.OD.1', 'SBX.OD.2', 'SBX.OD.3'], [area('SBX.OD.1', '1605'), unresolved('SBX.OD.1', 'SBX.L.9'), unresolved('SBX.OD.2', 'SBX.L.9'), skippedLeistung('9910800')]), undefined);
  expect(r.upserts).toEqual([
    { key: 'warnings:SBX.OD.1', payload: { warnings: [area('SBX.OD.1', '1605'), unresolved('SBX.OD.1', 'SBX.L.9')] } },
    { key: 'warnings:SBX.OD.2', payload: { warnings: [unresolved('SBX.OD.2', 'SBX.L.9')] } },
    { key: 'catalogue-warnings', payload: { warnings: [skippedLeistung('9910800')] } },
  ]);
  // the clean entry's (possibly stored) warnings retire
  expect(r.removes).toEqual(['warnings:SBX.OD.3']);
});

it('a delta read: a fixed Onlinedienst loses its warnings, unchanged ones are not touched, catalogue warnings are kept and added to', () => {
  const stored = { warnings: [skippedLeistung('9910800')] };
  // SBX.OD.1 was fixed (re-sent without a bad area); SBX.OD.4 is new with a bad area; SBX.OD.2 is not in the delta.
  const r = thavelWarningItems(cat(['SBX.OD.1', 'SBX.OD.4'], [area('SBX.OD.4', 'x'), skippedLeistung('123')]), stored);
  expect(r.removes).toEqual(['warnings:SBX.OD.1']);
  expect(r.upserts.map((u) => u.key)).toEqual(['warnings:SBX.OD.4', 'catalogue-warnings']);
  expect(r.upserts.some((u) => u.key === 'warnings:SBX.OD.2') || r.removes.includes('warnings:SBX.OD.2')).toBe(false);
  expect(r.upserts[1].payload).toEqual({ warnings: [skippedLeistung('9910800'), skippedLeistung('123')] });
  // A delta without catalogue-level warnings writes the stored ones back unchanged (same content: no new row).
  expect(thavelWarningItems(cat(['SBX.OD.1'], []), stored).upserts).toEqual([{ key: 'catalogue-warnings', payload: stored }]);
});
