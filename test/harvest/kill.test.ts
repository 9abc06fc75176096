import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore, type SnapshotRow } from '../../src/harvest/store';
import { projectRoot } from '../../src/util/paths';
import { count, startHarvestFixture, type HarvestFixture } from './helpers';

const BIN = join(projectRoot(), 'bin', 'thuegate.js');
const KILLS = 10;

function runChild(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (status) => resolve({ status, stdout, stderr: stderr.slice(-4000) })));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a harvest killed with SIGKILL at random points', () => {
  let fx: HarvestFixture;
  let store: SnapshotStore;
  let municipalities: number;
  // PVOG throttled (500 requests/s): a harvest of 605 places (some 33,000 requests with responsibilities, descriptions and
  // units) spans a minute or more, so kills land anywhere in it; the kill points follow the harvest's own progress
  // (finished units), not the clock, so a slow machine moves them along.
  const childEnv = (maxRps = '500') => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...fx.env, LOG_LEVEL: 'warn', HARVEST_CONCURRENCY: '4', PVOG_MAX_RPS: maxRps });
  beforeAll(async () => {
    fx = await startHarvestFixture();
    store = new SnapshotStore(fx.db);
    municipalities = fx.sb.world.municipalities.length;
    // A first, complete snapshot of the quick upstreams: what readers must keep seeing while PVOG harvests get killed.
    const first = await fx.harvest({ only: ['thavel', 'geomis'] });
    expect(first.status).toBe('complete');
  }, 600_000);
  afterAll(async () => fx?.close());

  /** Finished PVOG units of the snapshot being built (0 before the child has one). */
  const unitsDone = async () => {
    const b = await store.building();
    return b ? count(fx.db, `select count(*)::int as n from harvest_progress where snapshot_id = ? and unit like 'pvog:%'`, [b.id]) : 0;
  };

  /** Every upstream of the snapshot reads back with exactly the items its counts record; its facts cover every municipality PVOG was harvested for. */
  const assertReadable = async (s: SnapshotRow, label: string) => {
    for (const [u, c] of Object.entries(s.counts)) expect((await store.items(u, s.id)).length, `${label}: ${u}`).toBe(c.total);
    const facts = await store.facts(s.id);
    expect(new Set(facts.map((f) => f.ars)).size, label).toBe(s.counts.pvog ? municipalities : 0);
  };

  it(`keeps the current snapshot readable through ${KILLS} kills, resumes without redoing finished units, and the next run completes`, async () => {
    const first = (await store.current())!;
    await assertReadable(first, 'before');
    let doneBefore = 0;
    const killedAt: string[] = [];
    for (let run = 0; run < KILLS; run++) {
      // Kill points spread over the harvest: run i dies somewhere in the i-th tenth of the units; the last one after
      // every unit is done, while the facts are computed and the snapshot completes.
      const target = run < KILLS - 1 ? Math.max(doneBefore + 1, Math.floor(((run + Math.random()) / (KILLS - 1)) * municipalities)) : municipalities;
      const child: ChildProcess = spawn(process.execPath, [BIN, 'harvest', '--upstream', 'pvog', '--no-progress'], { env: childEnv(), stdio: 'ignore' });
      let exited = false;
      const exit = new Promise((r) => child.once('exit', () => r((exited = true))));
      const deadline = Date.now() + 180_000;
      let done = 0;
      while (!exited && Date.now() < deadline && (done = await unitsDone()) < target) await sleep(50);
      if (run === KILLS - 1) await sleep(Math.floor(Math.random() * 1500));
      child.kill('SIGKILL');
      await exit;
      killedAt.push(`${done}/${municipalities}`);

      const cur = (await store.current())!;
      // Before the switch the first snapshot is current and untouched; a kill after the switch leaves the new one current.
      if (cur.id === first.id) {
        expect(await store.countItems('pvog', cur.id), `run ${run}`).toBe(0);
      } else {
        expect(cur.status).toBe('complete');
        expect(cur.counts.pvog.total).toBeGreaterThan(0);
      }
      await assertReadable(cur, `run ${run}`);
      const building = await store.building();
      if (building) {
        const finished = (await store.doneUnits(building.id)).size;
        expect(finished, `run ${run}`).toBeGreaterThanOrEqual(doneBefore); // finished units survive the kill
        doneBefore = finished;
      }
    }
    // Kills landed across the whole harvest, not only at its start.
    expect(Number(killedAt.at(-2)!.split('/')[0])).toBeGreaterThan(municipalities / 2);

    const building = await store.building();
    // Not spawnSync: the sandbox upstreams run in this process and must keep answering.
    const last = await runChild(['harvest', '--upstream', 'pvog', '--no-progress'], childEnv('1000'));
    expect(last.status, last.stderr).toBe(0);
    if (building) {
      expect(last.stdout).toMatch(/snapshot \d+ complete/);
      expect(last.stdout).toContain('resumed after an interrupted run');
    }
    const cur = (await store.current())!;
    expect(cur.id).toBeGreaterThan(first.id);
    if (building) expect(cur.id).toBe(building.id);
    await assertReadable(cur, 'after');
    expect(await count(fx.db, `select count(distinct item_key)::int as n from harvest_item where upstream = 'pvog'`)).toBe(await store.countItems('pvog', cur.id));
    // Each item was written once across all runs: no unit was redone into a second version.
    expect(await count(fx.db, `select count(*)::int as n from harvest_item where upstream = 'pvog'`)).toBe(await store.countItems('pvog', cur.id));
    expect(await count(fx.db, `select count(distinct ars)::int as n from availability_fact where removed_in is null`)).toBe(municipalities);
    expect(await count(fx.db, `select count(*)::int as n from harvest_run where status = 'running'`)).toBe(0);
  }, 1_800_000);
});
