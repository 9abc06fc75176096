import type { GraphQLFormattedError } from 'graphql';
import { expect } from 'vitest';
import type { UpstreamErrorCode, UpstreamName } from '../../src/upstreams/runtime';
import type { TestGateway } from './gateway';
import { scrapeSum } from './metrics';

/**
 * Fault matrix (issue 3): for every GraphQL field backed by an upstream, each kind of upstream
 * failure must end in a bounded, partial answer — HTTP 200, `data` present, the field null, an error
 * naming the upstream with the right code — while the process stays healthy and /metrics counts it.
 *
 *   const target = faultTarget(gw, { requestTimeoutMs: 2000, adminToken: ADMIN_TOKEN });
 *   await runFaultMatrix(target, [{ upstream: 'pvog', route: '/v7/servicedescriptions*',
 *     query: '{ municipality(ars: "160510000000") { services { name } } }', fieldPath: 'municipality.services' }]);
 *
 * The gateway must run with ADMIN_TOKEN set: the data cache is purged before every run (otherwise
 * stale-if-error would rightly hide the fault). After each fault the same query runs once without
 * faults and must succeed — that proves recovery and resets the breaker's consecutive-failure count,
 * so every kind meets a closed breaker (the default breaker opens after 5 consecutive failures and no
 * kind causes more than 3: one attempt plus two retries).
 */

export interface FaultCase {
  upstream: UpstreamName;
  /** Path glob in the fault-plan syntax, e.g. `/v7/servicedescriptions/*`; `*` = every path. */
  route: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Response path of the field that must become null: `a.b.0.c` or an array. */
  fieldPath: string | readonly (string | number)[];
}

export interface FaultKind {
  name: string;
  /** Effect list of the fault-plan syntax (see src/sandbox/faults.ts). */
  effects(requestTimeoutMs: number): string;
  expectedCode: UpstreamErrorCode;
  /**
   * transport = the HTTP runtime sees the failure and counts it in thuegate_upstream_requests_total by code;
   * content = the response arrived (counted `ok` there) and the adapter's parser rejected it. Both count as
   * a failed origin load in thuegate_cache_origin_loads_total{result="error"}.
   */
  detectedBy: 'transport' | 'content';
}

export const FAULT_KINDS: readonly FaultKind[] = [
  { name: 'status:503', effects: () => 'status:503', expectedCode: 'UPSTREAM_UNAVAILABLE', detectedBy: 'transport' },
  { name: 'reset', effects: () => 'reset', expectedCode: 'UPSTREAM_UNAVAILABLE', detectedBy: 'transport' },
  { name: 'truncate', effects: () => 'truncate:0.3', expectedCode: 'UPSTREAM_BAD_RESPONSE', detectedBy: 'transport' },
  { name: 'malformed', effects: () => 'malformed', expectedCode: 'UPSTREAM_BAD_RESPONSE', detectedBy: 'content' },
  { name: 'oversize', effects: () => 'oversize:40mb', expectedCode: 'UPSTREAM_TOO_LARGE', detectedBy: 'transport' },
  { name: 'latency beyond deadline', effects: (t) => `latency:${t + 2_000}`, expectedCode: 'UPSTREAM_TIMEOUT', detectedBy: 'transport' },
  { name: 'drip', effects: () => 'drip:1500ms,chunk:16', expectedCode: 'UPSTREAM_TIMEOUT', detectedBy: 'transport' },
];

export interface FaultMatrixTarget {
  url: string;
  /** Replaces the fault plan of the sandbox upstreams (rules only apply to the upstream they name). */
  setFaults(plan: string | undefined): void;
  /** The gateway's REQUEST_TIMEOUT_MS. */
  requestTimeoutMs: number;
  adminToken: string;
}

export function faultTarget(gw: TestGateway, opts: { requestTimeoutMs: number; adminToken: string }): FaultMatrixTarget {
  if (!gw.sandboxes) throw new Error('fault matrix: the gateway runs without sandbox upstreams');
  const world = gw.sandboxes;
  return { url: gw.url, setFaults: (plan) => world.setFaults(plan), ...opts };
}

export interface FaultMatrixOptions {
  kinds?: readonly FaultKind[];
  /** Allowed time beyond REQUEST_TIMEOUT_MS for the whole HTTP answer. Default 2000 ms. */
  marginMs?: number;
  headers?: Record<string, string>;
}

export interface FaultRun {
  upstream: UpstreamName;
  fieldPath: string;
  kind: string;
  elapsedMs: number;
  problems: string[];
}

/** Runs every case × kind and fails (one assertion listing every problem) unless all behave. */
export async function runFaultMatrix(target: FaultMatrixTarget, cases: readonly FaultCase[], opts: FaultMatrixOptions = {}): Promise<FaultRun[]> {
  const runs: FaultRun[] = [];
  try {
    for (const c of cases) {
      for (const kind of opts.kinds ?? FAULT_KINDS) runs.push(await runOne(target, c, kind, opts));
    }
  } finally {
    target.setFaults(undefined);
  }
  const failures = runs.filter((r) => r.problems.length).map((r) => `${r.upstream} ${r.fieldPath} [${r.kind}]: ${r.problems.join('; ')}`);
  expect(failures, 'fault matrix').toEqual([]);
  return runs;
}

async function runOne(target: FaultMatrixTarget, c: FaultCase, kind: FaultKind, opts: FaultMatrixOptions): Promise<FaultRun> {
  const path = typeof c.fieldPath === 'string' ? c.fieldPath.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [...c.fieldPath];
  const run: FaultRun = { upstream: c.upstream, fieldPath: path.join('.'), kind: kind.name, elapsedMs: 0, problems: [] };
  const problem = (p: string) => run.problems.push(p);
  const margin = opts.marginMs ?? 2_000;

  await purge(target, c.upstream);
  const counted = () =>
    Promise.all([
      scrapeSum(target.url, 'thuegate_upstream_requests_total', { upstream: c.upstream, outcome: kind.expectedCode }),
      scrapeSum(target.url, 'thuegate_cache_origin_loads_total', { upstream: c.upstream, result: 'error' }),
    ]);
  const [byCodeBefore, loadErrorsBefore] = await counted();
  target.setFaults(`${c.upstream}:${c.route}=${kind.effects(target.requestTimeoutMs)}`);

  const started = Date.now();
  let res: { status: number; body: { data?: unknown; errors?: GraphQLFormattedError[] } } | undefined;
  try {
    res = await post(target, c, opts.headers, target.requestTimeoutMs + margin + 5_000);
  } catch (e) {
    problem(`no HTTP answer: ${(e as Error).message}`);
  }
  run.elapsedMs = Date.now() - started;
  target.setFaults(undefined);

  if (run.elapsedMs > target.requestTimeoutMs + margin) problem(`answered after ${run.elapsedMs} ms (limit ${target.requestTimeoutMs} + ${margin} ms)`);
  if (res) {
    if (res.status !== 200) problem(`HTTP ${res.status}, expected 200`);
    if (res.body.data === undefined || res.body.data === null) problem('no `data` in the response (the failure was not contained to the field)');
    else if (at(res.body.data, path) !== null) problem(`field is ${JSON.stringify(at(res.body.data, path))?.slice(0, 80)}, expected null`);
    const err = res.body.errors?.find((e) => e.extensions?.upstream === c.upstream);
    if (!err) problem(`no error with extensions.upstream = "${c.upstream}" (got ${JSON.stringify(res.body.errors?.map((e) => e.extensions))})`);
    else {
      if (err.extensions?.code !== kind.expectedCode) problem(`extensions.code ${String(err.extensions?.code)}, expected ${kind.expectedCode}`);
      const ep = err.path ?? [];
      if (!path.every((p, i) => ep[i] === p)) problem(`error path ${ep.join('.')} is not at or below ${path.join('.')}`);
    }
  }

  const health = await fetch(`${target.url}/healthz`).then((r) => r.status, () => 0);
  if (health !== 200) problem(`/healthz answered ${health} afterwards`);
  const [byCodeAfter, loadErrorsAfter] = await counted();
  if (!(loadErrorsAfter > loadErrorsBefore)) problem(`/metrics did not count a failed origin load for ${c.upstream}`);
  if (kind.detectedBy === 'transport' && !(byCodeAfter > byCodeBefore)) problem(`/metrics did not count a ${kind.expectedCode} request for ${c.upstream}`);

  // Recovery: the same query without faults must answer the field (and resets the breaker's failure streak).
  await purge(target, c.upstream);
  const healthy = await post(target, c, opts.headers, target.requestTimeoutMs + margin).catch(() => undefined);
  if (!healthy || healthy.status !== 200 || healthy.body.errors?.length || at(healthy.body.data, path) == null) {
    problem(`did not recover once the fault was lifted: ${JSON.stringify(healthy?.body.errors ?? healthy?.status ?? 'no answer').slice(0, 200)}`);
  }
  return run;
}

async function post(target: FaultMatrixTarget, c: FaultCase, headers: Record<string, string> = {}, timeoutMs: number) {
  const r = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: c.query, variables: c.variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: r.status, body: (await r.json()) as { data?: unknown; errors?: GraphQLFormattedError[] } };
}

async function purge(target: FaultMatrixTarget, upstream: UpstreamName): Promise<void> {
  const r = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.adminToken}` },
    body: JSON.stringify({ query: 'mutation Purge($u: String) { purgeCache(upstream: $u) { purged } }', variables: { u: upstream } }),
  });
  const body = (await r.json()) as { errors?: GraphQLFormattedError[] };
  if (body.errors?.length) throw new Error(`fault matrix: cache purge failed (${body.errors[0].message}); start the gateway with ADMIN_TOKEN`);
}

function at(data: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = data;
  for (const p of path) {
    if (cur === null || cur === undefined) return cur;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}
