import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/observability/log';
import { SnapshotStore } from '../../src/harvest/store';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { count, startHarvestFixture, type HarvestFixture } from './helpers';

/**
 * Issue 11 acceptance: two replicas on the same PostgreSQL database, both with a harvest schedule — only one harvests
 * (advisory lock), the other says who holds it, and serves the new snapshot once the pointer is switched.
 */

const EWA = '99999001001000';
const AVAILABILITY = `query($k: LeikaKey!) { availability(leikaKey: $k) { total online asOf } }`;

interface Line { level: string; msg: string; fields?: Record<string, unknown> }
function capturingLogger(lines: Line[]): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two replicas with a harvest schedule on one PostgreSQL database', () => {
  let fx: HarvestFixture;
  const logs: [Line[], Line[]] = [[], []];
  let replicas: TestGateway[] = [];
  beforeAll(async () => {
    fx = await startHarvestFixture();
    // No snapshot yet: each replica's schedule harvests at once (run.ts), so both try at the same moment.
    const env = { ...fx.env, HARVEST_INTERVAL: '1h', HARVEST_CONCURRENCY: '12' };
    replicas = await Promise.all(logs.map((l) => startTestGateway(env, capturingLogger(l))));
  }, 600_000);
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await fx?.close();
  });

  it('only one harvests; the other reports the lock holder and serves the new snapshot once it is switched', async () => {
    const started = (l: Line[]) => l.some((x) => x.msg === 'harvest starts snapshot');
    const complete = (l: Line[]) => l.some((x) => x.msg === 'scheduled harvest complete');
    const skipped = (l: Line[]) => l.find((x) => x.msg === 'scheduled harvest skipped: another replica is harvesting');
    const deadline = Date.now() + 900_000;
    while (!logs.some(started) && Date.now() < deadline) await sleep(100);
    const h = logs.findIndex(started);
    expect(h).toBeGreaterThanOrEqual(0);
    const other = 1 - h;

    // While the harvest builds its snapshot, nothing is switched: the other replica has no snapshot to answer from.
    const during = await replicas[other].raw(AVAILABILITY, { k: EWA });
    if (!complete(logs[h])) expect(during.errors?.[0].extensions?.code).toBe('SNAPSHOT_NOT_AVAILABLE');

    while (!complete(logs[h]) && Date.now() < deadline) await sleep(250);
    expect(complete(logs[h])).toBe(true);
    // The other replica tried too, found the lock taken, named who holds it, and harvested nothing.
    expect(skipped(logs[other])?.fields?.holder).toMatch(/PostgreSQL backend pid \d+/);
    expect(started(logs[other])).toBe(false);
    expect(await count(fx.db, `select count(*)::int as n from harvest_snapshot`)).toBe(1);
    expect(await count(fx.db, `select count(*)::int as n from harvest_run`)).toBe(5);

    // Switched: the replica that did not harvest answers from the new snapshot, like the one that did.
    const snap = (await new SnapshotStore(fx.db).current())!;
    const a = await replicas[other].raw(AVAILABILITY, { k: EWA });
    const b = await replicas[h].raw(AVAILABILITY, { k: EWA });
    expect(a.errors).toBeUndefined();
    expect(a.data.availability.total).toBe(605);
    expect(a.data.availability.online).toBeGreaterThan(0);
    expect(new Date(a.data.availability.asOf).getTime()).toBe(snap.finishedAt!.getTime());
    expect(a.data.availability).toEqual(b.data.availability);
  }, 1_200_000);
});
