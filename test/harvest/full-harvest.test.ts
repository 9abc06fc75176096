import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore } from '../../src/harvest/store';
import { count, startHarvestFixture, type HarvestFixture } from './helpers';

describe('full harvest of the sandbox world into PostgreSQL', () => {
  let fx: HarvestFixture;
  let outcome: Awaited<ReturnType<HarvestFixture['harvest']>>;
  beforeAll(async () => {
    fx = await startHarvestFixture();
    outcome = await fx.harvest();
  }, 300_000);
  afterAll(async () => fx?.close());

  it('completes a snapshot with items of every upstream and points readers at it', async () => {
    expect(outcome.status).toBe('complete');
    if (outcome.status !== 'complete') return;
    const store = new SnapshotStore(fx.db);
    const cur = await store.current();
    expect(cur?.id).toBe(outcome.snapshotId);
    for (const u of ['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv']) {
      expect(outcome.counts[u].total, u).toBeGreaterThan(0);
      expect(outcome.counts[u].added, u).toBe(outcome.counts[u].total);
      expect(outcome.counts[u].requests, u).toBeGreaterThan(0);
    }
    expect(cur?.baseUrls.pvog).toEqual([fx.sb.urls.pvog]);
    expect(await count(fx.db, `select count(distinct ars)::int as n from availability_fact`)).toBe(605);
  });
});
