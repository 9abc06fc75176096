import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore } from '../../src/harvest/store';
import { projectRoot } from '../../src/util/paths';
import { count, startHarvestFixture, type HarvestFixture } from './helpers';

const BIN = join(projectRoot(), 'bin', 'thuegate.js');

function runChild(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (status) => resolve({ status, stdout, stderr: stderr.slice(-4000) })));
}

describe('a harvest killed with SIGKILL at random points', () => {
  let fx: HarvestFixture;
  let store: SnapshotStore;
  // PVOG at the real service's 5 requests/s: slow enough that every kill lands in the middle of the harvest.
  const childEnv = (maxRps = '5') => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...fx.env, LOG_LEVEL: 'warn', HARVEST_CONCURRENCY: '4', PVOG_MAX_RPS: maxRps });
  beforeAll(async () => {
    fx = await startHarvestFixture();
    store = new SnapshotStore(fx.db);
    // A first, complete snapshot of the quick upstreams: what readers must keep seeing while PVOG harvests get killed.
    const first = await fx.harvest({ only: ['thavel', 'geomis'] });
    expect(first.status).toBe('complete');
  }, 600_000);
  afterAll(async () => fx?.close());

  it('keeps the previous snapshot readable, resumes without redoing finished units, and the next run completes', async () => {
    const before = await store.current();
    const thavelItems = await store.countItems('thavel', before!.id);
    let doneBefore = 0;
    for (let run = 0; run < 4; run++) {
      const child = spawn(process.execPath, [BIN, 'harvest', '--upstream', 'pvog'], { env: childEnv(), stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 4_000 + Math.floor(Math.random() * 8_000)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const cur = await store.current();
      expect(cur?.id, `run ${run}`).toBe(before!.id);
      expect(await store.countItems('thavel', cur!.id)).toBe(thavelItems);
      expect(await store.countItems('pvog', cur!.id)).toBe(0);
      const building = await store.building();
      if (building) {
        const done = (await store.doneUnits(building.id)).size;
        expect(done).toBeGreaterThanOrEqual(doneBefore); // finished units survive the kill
        doneBefore = done;
      }
    }
    const building = await store.building();
    // Not spawnSync: the sandbox upstreams run in this process and must keep answering.
    // The completing run may go fast: what it must show is the resume, not the throttle.
    const last = await runChild(['harvest', '--upstream', 'pvog', '--no-progress'], childEnv('1000'));
    expect(last.status, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/snapshot \d+ complete/);
    if (building) expect(last.stdout).toContain('resumed after an interrupted run');
    const cur = await store.current();
    expect(cur!.id).toBeGreaterThan(before!.id);
    if (building) expect(cur!.id).toBe(building.id);
    expect(await count(fx.db, `select count(distinct item_key)::int as n from harvest_item where upstream = 'pvog'`)).toBe(await store.countItems('pvog', cur!.id));
    // Each item was written once across all runs: no unit was redone into a second version.
    expect(await count(fx.db, `select count(*)::int as n from harvest_item where upstream = 'pvog'`)).toBe(await store.countItems('pvog', cur!.id));
    expect(await count(fx.db, `select count(distinct ars)::int as n from availability_fact where removed_in is null`)).toBe(605);
    expect(await count(fx.db, `select count(*)::int as n from harvest_run where status = 'running'`)).toBe(0);
  }, 1_800_000);
});
