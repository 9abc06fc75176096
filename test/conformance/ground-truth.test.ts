import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIVE_SUPPLEMENTS } from '../../src/conformance/from-snapshot';
import { runChecks, type CheckResult } from '../../src/conformance/engine';
import { Prober } from '../../src/conformance/probes';
import { RULE_IDS } from '../../src/conformance/rules';
import type { PlantedDefect } from '../../src/sandbox/world/types';
import { SnapshotReader } from '../../src/harvest/snapshot-reader';
import { collectSandboxSnapshot } from './helpers';

// Ground truth: the sandbox world's manifest of planted defects (served by every sandbox at /__sandbox/defects), checked
// over a harvest snapshot of that world — as a gateway's conformance run does (src/conformance/from-snapshot.ts).
let env: Awaited<ReturnType<typeof collectSandboxSnapshot>>;
let defects: PlantedDefect[];
let result: CheckResult;
let probe: Prober;
const requested: string[] = [];
let atCollection: Record<string, { total: number; byRoute: Record<string, number>; requests: { method: string; path: string; search: string }[] }>;

beforeAll(async () => {
  env = await collectSandboxSnapshot();
  expect(env.harvest.status).toBe('complete');
  // What the collection alone asked each sandbox (counters were reset after the harvest; probes come later).
  atCollection = Object.fromEntries(
    Object.entries(env.sandboxes.servers).map(([n, sv]) => [
      n,
      {
        total: sv.requestCount(),
        byRoute: Object.fromEntries(['servicedescriptions.byArs', 'onlineservices', 'bereitstelldienst', 'web-links', 'catalogue'].map((r) => [r, sv.requestCount(r)])),
        requests: [...sv.requests()],
      },
    ]),
  );
  defects = [];
  for (const url of Object.values(env.sandboxes.urls)) defects.push(...((await (await fetch(`${url}/__sandbox/defects`)).json()) as { defects: PlantedDefect[] }).defects);
  probe = new Prober({ upstreamOrigins: Object.values(env.sandboxes.urls), allowHosts: [], aliases: env.input.urlAliases, perHostRps: 200, concurrency: 8, onRequest: (u) => requested.push(u) });
  result = await runChecks(env.input, { probe });
}, 900_000);
afterAll(async () => env?.close());

const key = (rule: string, subject: string) => `${rule} ${subject}`;

it('the manifest is the one of the world (every planted defect, most with a rule)', () => {
  expect(defects).toHaveLength(env.sandboxes.world.defects.length);
  expect(defects.filter((d) => d.rule).length).toBeGreaterThan(35);
});

it('finds every planted defect that has a rule, plus its alsoViolates on the same subject, and nothing else (precision = recall = 100 %)', () => {
  const expected = new Set(defects.filter((d) => d.rule).flatMap((d) => [d.rule!, ...d.alsoViolates].map((r) => key(r, d.subject))));
  const found = new Set(result.findings.map((f) => key(f.rule, f.subject)));
  const missing = [...expected].filter((k) => !found.has(k));
  const unplanted = [...found].filter((k) => !expected.has(k));
  expect({ missing, unplanted }).toEqual({ missing: [], unplanted: [] });
  expect(result.findings).toHaveLength(expected.size);
});

it('reports each defect with the manifest severity of its rule and a message and evidence', () => {
  for (const d of defects.filter((x) => x.rule)) {
    const f = result.findings.find((x) => x.rule === d.rule && x.subject === d.subject)!;
    expect({ id: d.id, severity: f.severity }).toEqual({ id: d.id, severity: d.severity });
    expect(f.message.length).toBeGreaterThan(10);
    expect(Object.keys(f.evidence).length).toBeGreaterThan(0);
  }
});

it('every rule a defect names is implemented, and every implemented rule was evaluated (link probes on configured upstreams only)', () => {
  const named = new Set(defects.flatMap((d) => (d.rule ? [d.rule, ...d.alsoViolates] : [])));
  expect([...named].filter((r) => !RULE_IDS.includes(r))).toEqual([]);
  expect(result.outcomes.filter((o) => o.status !== 'evaluated')).toEqual([]);
  expect(probe.sent).toBeGreaterThan(0);
  // Every probe went to a sandbox upstream's loopback origin, none to the world's canonical *.sandbox.invalid hosts.
  const origins = new Set(Object.values(env.sandboxes.urls).map((u) => new URL(u).origin));
  expect(requested.filter((u) => !origins.has(new URL(u).origin))).toEqual([]);
});

it('defects without a rule (announcement disagreements) are not conformance findings', () => {
  const merge = defects.filter((d) => !d.rule);
  expect(merge.length).toBeGreaterThan(0);
  for (const d of merge) expect(result.findings.filter((f) => f.subject === d.subject)).toEqual([]);
});

it('narrows by rule and by scope', async () => {
  const onlyP = await runChecks(env.input, { rules: ['P-3', 'XG8'] });
  expect([...new Set(onlyP.findings.map((f) => f.rule))].sort()).toEqual(['P-3', 'XG8']);
  const p10 = defects.find((d) => d.rule === 'P-10')!;
  const ars = p10.subject.split('@')[1];
  const scoped = await runChecks(env.input, { scope: ars.slice(0, 5) });
  expect(scoped.findings.map((f) => key(f.rule, f.subject))).toContain(key('P-10', p10.subject));
  expect(scoped.findings.every((f) => f.ars.startsWith(ars.slice(0, 5)))).toBe(true);
  expect(scoped.findings.length).toBeLessThan(result.findings.length);
  await expect(runChecks(env.input, { rules: ['R99'] })).rejects.toThrow(/unknown rule id\(s\) R99; known: R1, R2/);
});

it('the run rests on the harvest snapshot and says which one; what the snapshot holds is not fetched again (counted at the sandboxes)', async () => {
  const snap = (await new SnapshotReader(env.db).latest())!;
  expect(env.input.basis).toMatchObject({ source: 'snapshot', snapshotId: snap.id, snapshotFinishedAt: snap.finishedAt.toISOString() });
  const { pvog, geomis, geoproxy, thavel } = atCollection;
  // PVOG service listings and online services, the GeoMIS catalogue: only the snapshot, never the upstream.
  expect(pvog.byRoute).toMatchObject({ 'servicedescriptions.byArs': 0, onlineservices: 0, bereitstelldienst: 0 });
  // Responsibilities and Organisationseinheiten too (this snapshot was harvested from the Bereitstelldienst feed). The
  // feed carries no Suchdienst description, so only those are asked — one per Leistung — and the basis says so.
  const lbIds = new Set(env.input.pvog.servicesByArs.flatMap((p) => p.services.map((s) => s.id)));
  expect(pvog.requests.length).toBeGreaterThan(0);
  expect(pvog.requests.filter((r) => !/\/servicedescriptions\/[^/]+\/detail$/.test(decodeURIComponent(r.path)))).toEqual([]);
  expect(pvog.requests.length).toBeLessThanOrEqual(lbIds.size);
  expect(env.input.basis!.live.filter((l) => l.startsWith('pvog:'))).toEqual([LIVE_SUPPLEMENTS.pvog]);
  expect(env.input.pvog.unitsByService.length).toBe(env.input.pvog.servicesByArs.reduce((n, p) => n + p.services.length, 0));
  expect(env.input.gaps.filter((g) => g.upstream === 'pvog')).toEqual([]);
  expect(geomis.total).toBe(0);
  // Geoproxy: GetCapabilities only for services the harvest does not hold; the harvested ones come from the snapshot.
  const harvested = new Set((await new SnapshotReader(env.db).items('geoproxy')).map((i) => i.payload.service.name));
  expect(harvested.size).toBeGreaterThan(0);
  expect(geoproxy.total).toBeLessThan(500); // all of them are in requests()
  const capsRead = geoproxy.requests.filter((r) => /request=getcapabilities/i.test(r.search)).map((r) => decodeURIComponent(r.path).replace(/^\/geoproxy\/services\//, ''));
  expect(capsRead.length).toBeGreaterThan(0);
  expect(capsRead.filter((n) => harvested.has(n))).toEqual([]);
  // ThAVEL: entries and the reader's warnings (P-1/P-5 findings above rest on them) come from the snapshot; the catalogue
  // is not read again, and no link was probed yet.
  expect(thavel.byRoute['web-links']).toBe(0);
  expect(thavel.byRoute.catalogue).toBe(0);
  expect(env.input.basis!.live.filter((l) => l.startsWith('thavel'))).toEqual([]);
  expect(env.input.thavel!.catalogue.entries.length).toBe((await new SnapshotReader(env.db).items('thavel', { prefix: 'entry:' })).length);
  expect(env.input.thavel!.catalogue.warnings.length).toBeGreaterThan(0);
  // DVDV: the D-rule findings above (D-1..D-6) rest on the harvested lookups; the directory is not asked at all, and
  // the run says so (no live supplement), its data as old as the harvest's DVDV phase.
  expect(atCollection.dvdv.total).toBe(0);
  expect(env.input.basis!.live.filter((l) => l.startsWith('dvdv'))).toEqual([]);
  expect(env.input.gaps.filter((g) => g.upstream === 'dvdv')).toEqual([]);
  expect(env.input.dvdv!.retrievedAt).toBe(snap.counts.dvdv.harvestedAt);
  expect(env.input.dvdv!.categories.length).toBeGreaterThan(0);
  expect(env.input.dvdv!.authorities.filter((a) => a.organization).length).toBeGreaterThan(0);
  expect(env.input.dvdv!.services.filter((s) => s.service).length).toBeGreaterThan(0);
});
