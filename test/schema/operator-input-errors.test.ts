import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld } from '../../src/sandbox/world';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

// Silent empty answers for keys that cannot match anything are replaced by errors naming the argument (issue 14).
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.stop();
});

const districts = new Set(municipalityDirectory().all.map((m) => m.district.ars));
const world = buildWorld({});
const worldKeys = new Set(world.services.map((s) => s.leikaKey));
/** A well-formed LeiKa key (99 + 12 digits) that no Leistung of the sandbox world carries, found from the data. */
const UNKNOWN_KEY = ['99999999999999', '99000000000000', '99123456789012'].find((k) => !worldKeys.has(k))!;
const LAUSCHA = '160720011011';

describe('unknown district', () => {
  it('answers BAD_USER_INPUT with argument filter.district instead of totalCount 0', async () => {
    const unknown = ['16099', '16050', '09162'].find((d) => !districts.has(d))!;
    const r = await gw.raw(`{ municipalities(filter: { district: "${unknown}" }) { totalCount } }`);
    expect(r.data).toBeNull();
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.district' });
    expect(r.errors?.[0].message).toContain(`"${unknown}"`);
    expect(r.errors?.[0].message).toMatch(new RegExp(`one of the ${districts.size} Thuringian districts`));
  });

  it('a known district still filters', async () => {
    const r = await gw.raw('{ municipalities(filter: { district: "16072" }, first: 0) { totalCount } }');
    expect(r.errors).toBeUndefined();
    expect(r.data.municipalities.totalCount).toBe(municipalityDirectory().all.filter((m) => m.district.ars === '16072').length);
  });

  it('an unknown Verband answers BAD_USER_INPUT with argument filter.verband', async () => {
    const r = await gw.raw('{ municipalities(filter: { verband: "160729999" }) { totalCount } }');
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.verband' });
  });
});

describe('a well-formed LeiKa key that no Leistung carries', () => {
  it('is NOT_FOUND on service, routes, services(leikaKeys), onlineServices and responsibleUnit', async () => {
    const cases: [string, string, string][] = [
      ['service', `{ service(leikaKey: "${UNKNOWN_KEY}", ars: "${LAUSCHA}") { name } }`, 'leikaKey'],
      ['routes', `{ routes(leikaKey: "${UNKNOWN_KEY}", ars: "${LAUSCHA}") { destinationName } }`, 'leikaKey'],
      ['services', `{ services(ars: "${LAUSCHA}", leikaKeys: ["99008001012000", "${UNKNOWN_KEY}"]) { totalCount } }`, 'leikaKeys'],
      ['onlineServices', `{ onlineServices(ars: "${LAUSCHA}", leikaKey: "${UNKNOWN_KEY}") { totalCount } }`, 'leikaKey'],
      ['municipality', `{ municipality(ars: "${LAUSCHA}") { responsibleUnit(leikaKey: "${UNKNOWN_KEY}") { name } } }`, 'leikaKey'],
    ];
    for (const [field, query, argument] of cases) {
      const r = await gw.raw(query);
      expect({ field, errors: r.errors?.map((e) => ({ code: e.extensions?.code, argument: e.extensions?.argument, key: e.extensions?.key })) }).toEqual({
        field,
        errors: [{ code: 'NOT_FOUND', argument, key: UNKNOWN_KEY }],
      });
      expect(r.errors?.[0].message).toBe(`No Leistung in the PVOG catalogue for Thüringen with ${argument} "${UNKNOWN_KEY}"`);
    }
  });

  it('a key carried by a Leistung that is not offered at the place stays an empty answer, without error', async () => {
    // From the world: a Leistung and a municipality where no Zuständigkeit offers it (e.g. Bewohnerparken in a village).
    const offered = new Set(world.responsibilities.map((r) => `${r.leikaKey}@${r.areaArs}`));
    const pair = world.services
      .flatMap((s) => world.municipalities.map((m) => ({ key: s.leikaKey, ars: m.ars })))
      .find((p) => !offered.has(`${p.key}@${p.ars}`));
    expect(pair).toBeDefined();
    const { key, ars } = pair!;
    const r = await gw.raw(`{ service(leikaKey: "${key}", ars: "${ars}") { name } routes(leikaKey: "${key}", ars: "${ars}") { destinationName } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ service: null, routes: [] });
  });

  it('known keys answer as before', async () => {
    const r = await gw.raw(`{ service(leikaKey: "99008001012000", ars: "${LAUSCHA}") { leikaKey } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.service.leikaKey).toBe('99008001012000');
  });
});
