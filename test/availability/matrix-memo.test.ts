import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvailabilityService, MATRIX_MEMO_ROWS } from '../../src/availability/service';
import { aggregatesOf } from '../../src/harvest/facts';
import { SnapshotStore, type FactInput } from '../../src/harvest/store';
import { openDatabase, type Database } from '../../src/persistence/orm';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { MunicipalityService } from '../../src/services/municipalities';

// availabilityMatrix rows are kept per snapshot, scope and key (issue 15 P4). These tests switch snapshots under one
// service, as a harvest does under a running gateway, and check that every answer is the current snapshot's.
const EWA = '99999001001000';
const ERFURT = '160510000000';
const GERA = '160520000000';

const fact = (ars: string, leikaKey: string, online: boolean): FactInput => ({ ars, serviceId: `svc-${leikaKey}`, leikaKey, serviceName: `Leistung ${leikaKey}`, online });

describe('availabilityMatrix rows across snapshot switches', { timeout: 120_000 }, () => {
  let db: Database;
  let store: SnapshotStore;
  let service: AvailabilityService;
  const dir = municipalityDirectory();

  /** A complete snapshot with these facts, switched to (the pointer moves as a harvest's last step moves it). */
  const publish = async (facts: FactInput[]) => {
    const s = await store.create({ full: true, upstreams: ['pvog'], baseUrls: {}, holder: 'matrix-memo-test' });
    await store.applyFacts(s.id, facts);
    await store.complete(s.id, {}, aggregatesOf(facts));
    return s.id;
  };
  const onlineArs = async (keys: string[], scope?: string) =>
    (await service.matrix(keys, scope)).filter((r) => r.online).map((r) => `${r.leikaKey}@${r.ars}`);

  beforeAll(async () => {
    db = await openDatabase();
    store = new SnapshotStore(db);
    service = new AvailabilityService(db, dir, new MunicipalityService(dir));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('answers from the new snapshot right after a switch, Land-wide and scoped', async () => {
    await publish([fact(ERFURT, EWA, true), fact(GERA, EWA, false)]);
    expect(await onlineArs([EWA])).toEqual([`${EWA}@${ERFURT}`]);
    // Asked again (from the memo): the same answer.
    expect(await onlineArs([EWA])).toEqual([`${EWA}@${ERFURT}`]);
    expect(await onlineArs([EWA], '16051')).toEqual([`${EWA}@${ERFURT}`]);

    await publish([fact(ERFURT, EWA, false), fact(GERA, EWA, true)]);
    expect(await onlineArs([EWA])).toEqual([`${EWA}@${GERA}`]);
    expect(await onlineArs([EWA], '16051')).toEqual([]);
    expect(await onlineArs([EWA], '16052')).toEqual([`${EWA}@${GERA}`]);
  });

  it('keeps scopes apart: a scope gets its own municipalities, whichever scope was asked first', async () => {
    await publish([fact(ERFURT, EWA, true)]);
    const land = await service.matrix([EWA]);
    const erfurt = await service.matrix([EWA], '16051');
    const landAgain = await service.matrix([EWA]);
    expect(land).toHaveLength(dir.all.length);
    expect(erfurt.map((r) => r.ars)).toEqual(dir.within('16051').map((m) => m.ars));
    expect(landAgain).toEqual(land);
  });

  it('orders by key as asked, then ARS, with every column, and stays right past the memo bound', async () => {
    const keys = Array.from({ length: Math.ceil(MATRIX_MEMO_ROWS / dir.all.length) + 5 }, (_, i) => `99${String(i).padStart(12, '0')}`);
    await publish(keys.map((k, i) => fact(dir.all[i].ars, k, true)));
    // More keys than the memo holds, in two calls (the resolver allows 50 per call), then the first ones again.
    for (let i = 0; i < keys.length; i += 50) await service.matrix(keys.slice(i, i + 50));
    const rows = await service.matrix([keys[1], keys[0]]);
    const erfurt = dir.getByArs(ERFURT)!;
    expect(rows).toHaveLength(2 * dir.all.length);
    expect(rows.map((r) => r.leikaKey)).toEqual([...Array(dir.all.length).fill(keys[1]), ...Array(dir.all.length).fill(keys[0])]);
    expect(rows.slice(0, dir.all.length).map((r) => r.ars)).toEqual(dir.all.map((m) => m.ars));
    expect(rows.filter((r) => r.online).map((r) => `${r.leikaKey}@${r.ars}`)).toEqual([`${keys[1]}@${dir.all[1].ars}`, `${keys[0]}@${dir.all[0].ars}`]);
    expect(rows[dir.all.length]).toEqual({
      ars: erfurt.ars,
      ags: erfurt.ags,
      name: erfurt.name,
      districtArs: erfurt.district.ars,
      population: erfurt.population,
      sizeClass: 'OVER_5000',
      leikaKey: keys[0],
      online: true,
    });
  });
});
