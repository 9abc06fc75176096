import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCheck, type CheckOptions } from '../../src/conformance/cli';
import { RULE_IDS } from '../../src/conformance/rules';
import type { PlantedDefect } from '../../src/sandbox/world/types';
import { loadConfig } from '../../src/server/config';
import { addClient } from '../../src/services/clients';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

// `thuegate check` end to end: its action function with real stdout/stderr capture, against a gateway over the
// sandbox world (by --url, as a CI job does) and embedded (no --url).
let gw: TestGateway;
let adminKey: string;
let defects: PlantedDefect[];
const dir = mkdtempSync(join(tmpdir(), 'thuegate-check-'));
const config = () => loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' });

async function check(opts: Partial<CheckOptions>) {
  let out = '';
  let err = '';
  const code = await runCheck({ format: 'text', failOn: 'error', timeout: '600', ...opts }, config, { out: (t) => void (out += t), err: (t) => void (err += t), tty: false });
  return { code, out, err };
}
const expectedKeys = (ds: PlantedDefect[]) => new Set(ds.filter((d) => d.rule).flatMap((d) => [d.rule!, ...d.alsoViolates].map((r) => `${r} ${d.subject}`)));

beforeAll(async () => {
  gw = await startTestGateway({ ADMIN_TOKEN: 'cli-test-admin-token-0123456789abcdef', PVOG_BULK_URL: 'sandbox' });
  adminKey = (await addClient(gw.db, { name: 'ci', role: 'admin' })).key;
  defects = [];
  for (const url of Object.values(gw.sandboxes!.urls)) defects.push(...((await (await fetch(`${url}/__sandbox/defects`)).json()) as { defects: PlantedDefect[] }).defects);
}, 120_000);
afterAll(async () => gw?.stop());

it('--url --run --format json: exactly the manifest defects (rule, subject, severity, message, evidence), exit 1 because planted errors exist', async () => {
  const file = join(dir, 'findings.json');
  const r = await check({ url: gw.url, apiKey: adminKey, run: true, format: 'json', output: file });
  expect(r.err).toMatch(new RegExp(`finding\\(s\\) from ${RULE_IDS.length} rule\\(s\\)`));
  expect(r.code).toBe(1);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { findings: { rule: string; subject: string; severity: string; message: string; evidence: unknown }[]; summary: Record<string, number> };
  expect(new Set(json.findings.map((f) => `${f.rule} ${f.subject}`))).toEqual(expectedKeys(defects));
  for (const f of json.findings) {
    expect(Object.keys(f)).toEqual(expect.arrayContaining(['rule', 'subject', 'severity', 'message', 'evidence']));
    expect(f.evidence).not.toBeNull(); // an admin key sees DVDV evidence too
  }
  expect(json.summary.error).toBe(json.findings.filter((f) => f.severity === 'error').length);
  // No harvest on this gateway yet: the run read the upstreams live and says so.
  expect((json as unknown as { run: { basis: unknown } }).run.basis).toMatchObject({ source: 'live', snapshotId: null });
}, 300_000);

it('--format junit is JUnit XML: testsuites / a testsuite per rule / a testcase per subject with failure message and evidence', async () => {
  const r = await check({ url: gw.url, format: 'junit' });
  expect(r.code).toBe(1);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(r.out);
  const suites = doc.testsuites.testsuite as { '@name': string; '@tests': string; '@failures': string; testcase: { '@classname': string; '@name': string; failure?: { '@message': string; '@type': string; '#text'?: string } }[] }[];
  expect(suites).toHaveLength(RULE_IDS.length);
  let failures = 0;
  for (const s of suites) {
    const rule = s['@name'].split(' ')[0];
    expect(Number(s['@tests'])).toBe(s.testcase.length);
    const failing = s.testcase.filter((c) => c.failure);
    expect(Number(s['@failures'])).toBe(failing.length);
    failures += failing.length;
    for (const c of failing) {
      expect(c['@classname']).toBe(rule);
      expect(c.failure!['@message']).toMatch(/^\[(error|warning|info)\] /);
      if (!rule.startsWith('D-')) expect(() => JSON.parse(c.failure!['#text']!)).not.toThrow();
    }
  }
  expect(failures).toBe(expectedKeys(defects).size);
  expect(Number(doc.testsuites['@failures'])).toBe(failures);
  // Without an integrator key the DVDV evidence is withheld, and the report says so.
  expect(r.err).toMatch(/evidence of \d+ DVDV finding\(s\) withheld/);
}, 120_000);

it('--rules and --scope narrow the report; --fail-on decides the exit code', async () => {
  const rules = await check({ url: gw.url, format: 'json', rules: 'R5,XG8' });
  const j = JSON.parse(rules.out) as { findings: { rule: string; subject: string; ars: string; severity: string }[]; rules: { id: string }[] };
  expect(j.rules.map((x) => x.id)).toEqual(['R5', 'XG8']);
  expect(j.findings.map((f) => `${f.rule} ${f.subject}`).sort()).toEqual(defects.filter((d) => d.rule === 'R5' || d.rule === 'XG8').map((d) => `${d.rule} ${d.subject}`).sort());
  expect(rules.code).toBe(1); // R5 is an error

  const p10 = defects.find((d) => d.rule === 'P-10')!;
  const district = p10.subject.split('@')[1].slice(0, 5);
  const scoped = JSON.parse((await check({ url: gw.url, format: 'json', scope: district })).out) as typeof j;
  expect(scoped.findings.map((f) => `${f.rule} ${f.subject}`)).toContain(`P-10 ${p10.subject}`);
  expect(scoped.findings.every((f) => f.ars.startsWith(district))).toBe(true);

  expect((await check({ url: gw.url, rules: 'XG8' })).code).toBe(0); // warnings only, --fail-on error
  expect((await check({ url: gw.url, rules: 'XG8', failOn: 'warning' })).code).toBe(1);
  expect((await check({ url: gw.url, failOn: 'never' })).code).toBe(0);
}, 120_000);

it('exit 2 when the check cannot run: bad scope, unknown rule, unreachable gateway, --run without admin', async () => {
  const bad = await check({ url: gw.url, scope: '1606' });
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/--scope: expected an ARS/);
  const unknown = await check({ url: gw.url, rules: 'R99' });
  expect(unknown.code).toBe(2);
  expect(unknown.err).toMatch(/rules.*R99/);
  expect((await check({ url: 'http://127.0.0.1:9' })).code).toBe(2);
  const forbidden = await check({ url: gw.url, run: true });
  expect(forbidden.code).toBe(2);
  expect(forbidden.err).toMatch(/could not start a run/);
}, 60_000);

it('without --url: starts an embedded sandbox gateway, harvests it into a fresh snapshot and checks that (text report names the snapshot)', async () => {
  const r = await check({ rules: 'R9,D-5', format: 'text' });
  expect(r.code).toBe(1);
  expect(r.out).toMatch(/^data: harvest snapshot 1 as of \d{4}-\d{2}-\d{2}T[\d:.]+Z; read live: /m);
  const want = defects.filter((d) => d.rule === 'R9' || d.rule === 'D-5');
  for (const d of want) expect(r.out).toContain(`${d.rule!.padEnd(5)} ${d.subject}`);
  expect(r.out).toMatch(new RegExp(`${want.length} finding\\(s\\): \\d+ error, \\d+ warning, 0 info; 2 rule\\(s\\) run`));
}, 300_000);
