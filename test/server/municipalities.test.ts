import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MunicipalityByAgsDocument, MunicipalityByArsDocument, MunicipalityPageDocument, type MunicipalityPageQuery } from '../../client/generated/graphql';
import { parseCsv } from '../../src/util/csv';
import { dataPath } from '../../src/util/paths';
import { startTestGateway, type GqlResult, type TestGateway } from '../helpers/gateway';

// The shipped Destatis list is the ground truth the answers are checked against.
const source = parseCsv(readFileSync(dataPath('thueringen-gemeinden.csv'), 'utf8'));

let gw: TestGateway;
beforeAll(async () => { gw = await startTestGateway(); });
afterAll(async () => { await gw?.stop(); });

describe('municipality(ars|ags)', () => {
  it('answers Erfurt for ARS 160510000000, with provenance', async () => {
    const r = await gw.gql(MunicipalityByArsDocument, { ars: '160510000000' });
    expect(r.errors).toBeUndefined();
    expect(r.data?.municipality).toMatchObject({
      name: 'Erfurt, Stadt',
      ags: '16051000',
      district: { ars: '16051', urban: true },
      verband: null,
      provenance: { source: 'destatis-gv-isys', stale: false, fetchedAt: '2024-12-31T00:00:00.000Z' },
    });
    expect(r.data?.municipality?.provenance.attribution).toContain('Destatis');
  });

  it('finds Lauscha by AGS, in district Sonneberg', async () => {
    const r = await gw.gql(MunicipalityByAgsDocument, { ags: '16072011' });
    expect(r.data?.municipality).toMatchObject({ ars: '160720011011', name: 'Lauscha, Stadt', district: { ars: '16072', name: 'Sonneberg' } });
  });

  it('returns the Verwaltungsgemeinschaft of a member municipality', async () => {
    const row = source.find((m) => m.verband_key)!;
    const r = await gw.gql(MunicipalityByArsDocument, { ars: row.ars });
    expect(r.data?.municipality?.verband).toEqual({ ars: row.verband_key, name: row.verband_name });
  });

  it('rejects a malformed ARS literal naming the argument and the expected form', async () => {
    const r = await gw.raw('{ municipality(ars: "1605100000") { name } }');
    expect(r.status).toBe(400);
    expect(r.errors?.[0].message).toMatch(/^Argument "ars" of field "municipality" has an invalid value "1605100000": expected an ARS .*2, 3, 5, 9 or 12 digits/);
    expect(r.errors?.[0].extensions).toMatchObject({ argument: 'ars', field: 'municipality', type: 'ARS', expected: 'an ARS (Amtlicher Regionalschlüssel) of 2, 3, 5, 9 or 12 digits as a string, e.g. "160510000000"' });
  });

  it('rejects a malformed AGS variable naming the variable and the expected form', async () => {
    const r = await gw.gql(MunicipalityByAgsDocument, { ags: '1605100' });
    expect(r.status).toBe(400);
    expect(r.errors?.[0].message).toMatch(/Variable "\$ags" got invalid value "1605100"; .*expected an AGS .*2, 3, 5 or 8 digits/);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('treats a well-formed but unknown ARS as NOT_FOUND naming the key, not as a silent null', async () => {
    const r = await gw.gql(MunicipalityByArsDocument, { ars: '169990000000' });
    expect(r.data?.municipality).toBeNull();
    expect(r.errors?.[0]).toMatchObject({ message: 'No municipality in Thüringen with ars "169990000000"', extensions: { code: 'NOT_FOUND', key: '169990000000' } });
  });

  it('asks for a 12-digit ARS when given a district key', async () => {
    const r = await gw.raw('{ municipality(ars: "16051") { name } }');
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'ars' } });
    expect(r.errors?.[0].message).toContain('12-digit ARS');
  });

  it('needs exactly one of ars and ags', async () => {
    const both = await gw.raw('{ municipality(ars: "160510000000", ags: "16051000") { name } }');
    const none = await gw.raw('{ municipality { name } }');
    for (const r of [both, none]) expect(r.errors?.[0].message).toContain('exactly one of the arguments ars or ags');
  });
});

describe('municipalities(filter, first, after)', () => {
  it('pages through every municipality of the source list exactly once', async () => {
    const seen: string[] = [];
    let after: string | null | undefined = undefined;
    let pages = 0;
    for (;;) {
      const r: GqlResult<MunicipalityPageQuery> = await gw.gql(MunicipalityPageDocument, { first: 250, after });
      expect(r.errors).toBeUndefined();
      const page = r.data!.municipalities;
      expect(page.totalCount).toBe(source.length);
      seen.push(...page.edges.map((e) => e.node.ars));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(605);
    expect(new Set(seen).size).toBe(605);
    expect([...seen].sort()).toEqual(source.map((m) => m.ars).sort());
  });

  it('returns all 605 with first: 1000 in one page, served from the response cache the second time', async () => {
    const r = await gw.gql(MunicipalityPageDocument, { first: 1000, filter: { namePrefix: 'a' } });
    const all = await gw.gql(MunicipalityPageDocument, { first: 1000 });
    expect(all.data!.municipalities.edges).toHaveLength(605);
    expect(all.data!.municipalities.pageInfo.hasNextPage).toBe(false);
    const again = await gw.gql(MunicipalityPageDocument, { first: 1000 });
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(again.data).toEqual(all.data);
    expect(r.headers.get('x-cache')).toBe('MISS');
  });

  it('filters by district and by name prefix, case-insensitively', async () => {
    const sonneberg = source.filter((m) => m.kreis_key === '16072');
    const r = await gw.gql(MunicipalityPageDocument, { filter: { district: '16072' }, first: 1000 });
    expect(r.data!.municipalities.edges.map((e) => e.node.ars).sort()).toEqual(sonneberg.map((m) => m.ars).sort());

    const bad = source.filter((m) => m.name.toLowerCase().startsWith('bad '));
    const r2 = await gw.gql(MunicipalityPageDocument, { filter: { namePrefix: 'BAD ' }, first: 1000 });
    expect(bad.length).toBeGreaterThan(5);
    expect(r2.data!.municipalities.totalCount).toBe(bad.length);

    const r3 = await gw.gql(MunicipalityPageDocument, { filter: { district: '16072', namePrefix: 'lau' } });
    expect(r3.data!.municipalities.edges.map((e) => e.node.name)).toEqual(['Lauscha, Stadt']);
  });

  it('filters by Verwaltungsgemeinschaft', async () => {
    const vg = source.find((m) => m.verband_key)!.verband_key;
    const members = source.filter((m) => m.verband_key === vg);
    const r = await gw.gql(MunicipalityPageDocument, { filter: { verband: vg } });
    expect(r.data!.municipalities.totalCount).toBe(members.length);
  });

  it.each([
    [{ first: 1001 }, 'first', 'an integer from 0 to 1000'],
    [{ first: -1 }, 'first', 'an integer from 0 to 1000'],
    [{ after: 'not-a-cursor' }, 'after', 'a cursor returned in pageInfo.endCursor'],
    [{ filter: { district: '160720011' } }, 'filter.district', 'the 5-digit ARS of a Kreis'],
    [{ filter: { namePrefix: '   ' } }, 'filter.namePrefix', 'at least one non-blank character'],
  ])('rejects %j naming %s', async (variables, argument, expected) => {
    const r = await gw.gql(MunicipalityPageDocument, variables as never);
    expect(r.data).toBeNull();
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(r.errors?.[0].message).toContain(expected);
  });

  it('answers an empty page, not an error, when nothing matches', async () => {
    const r = await gw.gql(MunicipalityPageDocument, { filter: { namePrefix: 'Zzz' } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.municipalities).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
