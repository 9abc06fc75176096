import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ConformanceDocument,
  ConformanceHistoryDocument,
  ConformanceRunDocument,
  StartConformanceRunDocument,
} from '../../client/generated/graphql';
import { addClient } from '../../src/services/clients';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { createThrowawayDatabase, type ThrowawayPostgres } from '../persistence/helpers';

// Runs and history in the real PostgreSQL, through the gateway's GraphQL API and the typed client documents.
const ADMIN_TOKEN = 'conformance-test-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
let pg: ThrowawayPostgres;
let gw: TestGateway;
let integrator: Record<string, string>;

beforeAll(async () => {
  pg = await createThrowawayDatabase();
  gw = await startTestGateway({ DATABASE_URL: pg.url, ADMIN_TOKEN, PVOG_BULK_URL: 'sandbox' });
  integrator = { 'x-api-key': (await addClient(gw.db, { name: 'kiv', role: 'integrator' })).key };
}, 120_000);
afterAll(async () => {
  await gw?.stop();
  await pg?.drop();
});

async function runToEnd(): Promise<string> {
  const started = await gw.gql(StartConformanceRunDocument, {}, admin);
  expect(started.errors).toBeUndefined();
  const id = started.data!.startConformanceRun.id;
  for (;;) {
    const r = await gw.gql(ConformanceRunDocument, { id });
    const run = r.data!.conformanceRun!;
    if (run.status !== 'RUNNING') {
      expect(run.error).toBeNull();
      expect(run.status).toBe('SUCCEEDED');
      return id;
    }
    await new Promise((res) => setTimeout(res, 500));
  }
}

it('starting a run needs the admin role', async () => {
  const r = await gw.gql(StartConformanceRunDocument, {});
  expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it('a run stores the findings of every planted defect; conformance() filters by rule, severity and scope; a fixed finding shows closed in conformanceHistory', async () => {
  const world = gw.sandboxes!.world;
  const first = await runToEnd();
  const all = await gw.gql(ConformanceDocument, {});
  expect(all.data!.conformance!.run.id).toBe(first);
  const expected = new Set(world.defects.filter((d) => d.rule).flatMap((d) => [d.rule!, ...d.alsoViolates].map((r) => `${r} ${d.subject}`)));
  expect(new Set(all.data!.conformance!.findings.map((f) => `${f.rule} ${f.subject}`))).toEqual(expected);
  // Rows in PostgreSQL: one per finding of the run.
  const rows = await gw.db.orm.em.getConnection().execute<{ n: string }[]>(`select count(*)::text as n from conformance_finding where run_id = ?`, [first]);
  expect(Number(rows[0].n)).toBe(expected.size);

  const errorsOnly = await gw.gql(ConformanceDocument, { severity: ['ERROR'], rules: ['R5', 'XG8', 'D-5'] });
  const want = world.defects.filter((d) => ['R5', 'XG8', 'D-5'].includes(d.rule ?? '') && d.severity === 'error').map((d) => `${d.rule} ${d.subject}`).sort();
  expect(errorsOnly.data!.conformance!.findings.map((f) => `${f.rule} ${f.subject}`).sort()).toEqual(want);

  const p10 = world.defects.find((d) => d.rule === 'P-10')!;
  const district = p10.subject.split('@')[1].slice(0, 5);
  const scoped = await gw.gql(ConformanceDocument, { scope: district });
  expect(scoped.data!.conformance!.findings.map((f) => `${f.rule} ${f.subject}`)).toContain(`P-10 ${p10.subject}`);
  expect(scoped.data!.conformance!.findings.every((f) => f.ars.startsWith(district))).toBe(true);

  // Fix the record without abstract in the upstream, drop the cached GeoMIS answers, run again.
  const r5 = world.defects.find((d) => d.rule === 'R5')!;
  const record = world.geo.records.find((r) => r.fileIdentifier === r5.subject)!;
  record.abstract = 'Nachgetragene Kurzbeschreibung des Datensatzes.';
  const purge = await gw.raw('mutation { purgeCache(upstream: "geomis") { purged } }', {}, admin);
  expect(purge.errors).toBeUndefined();
  const second = await runToEnd();

  const h = await gw.gql(ConformanceHistoryDocument, { last: 2 });
  expect(h.errors).toBeUndefined();
  const [latest, earlier] = h.data!.conformanceHistory;
  expect(latest.run.id).toBe(second);
  expect(latest.previousRun!.id).toBe(first);
  expect(latest.closed.map((f) => `${f.rule} ${f.subject}`)).toEqual([`R5 ${r5.subject}`]);
  expect(latest.opened).toEqual([]);
  expect(earlier.run.id).toBe(first);
  expect(earlier.previousRun).toBeNull();
  expect(earlier.opened).toHaveLength(expected.size);

  // Scoped history: the GeoMIS record is Land-wide, so a district's history does not show it.
  const hd = await gw.gql(ConformanceHistoryDocument, { scope: district, last: 1 });
  expect(hd.data!.conformanceHistory[0].closed).toEqual([]);
}, 300_000);

it('DVDV evidence only for integrators: public callers get FORBIDDEN on D-rule evidence, other evidence stays readable', async () => {
  const pub = await gw.gql(ConformanceDocument, { rules: ['D-5', 'R9'] });
  const d = pub.data!.conformance!.findings.filter((f) => f.rule === 'D-5');
  expect(d.length).toBeGreaterThan(0);
  expect(d.every((f) => f.evidence === null)).toBe(true);
  expect(pub.data!.conformance!.findings.find((f) => f.rule === 'R9')!.evidence).toEqual({ bboxes: [] });
  expect(pub.errors!.length).toBe(d.length);
  expect(pub.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);

  const kiv = await gw.gql(ConformanceDocument, { rules: ['D-5'] }, integrator);
  expect(kiv.errors).toBeUndefined();
  expect(kiv.data!.conformance!.findings.every((f) => typeof (f.evidence as { fingerprint?: string }).fingerprint === 'string')).toBe(true);
});

it('bad input names the argument', async () => {
  const r = await gw.gql(ConformanceDocument, { rules: ['R99'] });
  expect(r.errors![0].message).toMatch(/Argument "rules": expected rule ids of the catalogue/);
  expect(r.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
  const bad = await gw.raw('{ conformance(scope: "1606") { run { id } } }');
  expect(bad.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

it('GET /reports/conformance: offline HTML with counts per rule and severity, a chart per district and the findings with evidence', async () => {
  const world = gw.sandboxes!.world;
  const res = await fetch(`${gw.url}/reports/conformance`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  const html = await res.text();
  const stillOpen = world.defects.filter((d) => d.rule && d.rule !== 'R5'); // R5 was fixed above
  for (const d of stillOpen) expect(html).toContain(d.subject.replace(/&/g, '&amp;'));
  expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Findings per district: /);
  expect(html).not.toMatch(/<script/i);
  // A public reader gets D-rule evidence withheld, an integrator sees it.
  const cert = world.defects.find((d) => d.rule === 'D-5')!;
  expect(html).toContain('withheld (integrator role)');
  const kiv = await (await fetch(`${gw.url}/reports/conformance`, { headers: integrator })).text();
  expect(kiv).not.toContain('withheld (integrator role)');
  expect(kiv).toContain(`&quot;fingerprint&quot;:&quot;${cert.subject}&quot;`);
  // Scope narrows; a bad scope names the parameter.
  const p10 = world.defects.find((d) => d.rule === 'P-10')!;
  const district = p10.subject.split('@')[1].slice(0, 5);
  const scoped = await (await fetch(`${gw.url}/reports/conformance?scope=${district}`)).text();
  expect(scoped).toContain(p10.subject);
  expect(scoped).not.toContain(world.defects.find((d) => d.rule === 'R9')!.subject);
  const bad = await fetch(`${gw.url}/reports/conformance?scope=1606`);
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/Parameter "scope": expected an ARS/);
  expect((await fetch(`${gw.url}/reports/conformance.css`)).status).toBe(200);
});
