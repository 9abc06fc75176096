import { describe, expect, it } from 'vitest';
import { FaultInjector, FaultSpecError, formatFaultPlan, parseFaultPlan } from '../../../src/sandbox/faults';

describe('fault plan syntax', () => {
  it('parses the documented example into per-upstream rules', () => {
    const plan = parseFaultPlan('pvog:/v7/servicedescriptions/*=status:503,count:2;geomis:*=latency:2000');
    expect(plan).toEqual([
      { upstream: 'pvog', route: '/v7/servicedescriptions/*', status: 503, count: 2 },
      { upstream: 'geomis', route: '*', latencyMs: 2000 },
    ]);
  });

  it('understands every effect, units and flags', () => {
    const [r] = parseFaultPlan(' dvdv:/v2/batch/* = method:post, latency:2s, drip:150ms, chunk:1kb, truncate:0.25, after:1, count:3 ');
    expect(r).toEqual({
      upstream: 'dvdv',
      route: '/v2/batch/*',
      method: 'POST',
      latencyMs: 2000,
      dripMs: 150,
      dripChunkBytes: 1024,
      truncate: 0.25,
      after: 1,
      count: 3,
    });
    expect(parseFaultPlan('*=reset')[0]).toEqual({ upstream: '*', route: '*', reset: true });
    expect(parseFaultPlan('geoproxy=oversize')[0].oversizeBytes).toBe(50 * 1024 * 1024);
    expect(parseFaultPlan('geoproxy=oversize:2mb')[0].oversizeBytes).toBe(2 * 1024 * 1024);
    expect(parseFaultPlan('thavel=truncate,malformed')[0]).toMatchObject({ truncate: 0.5, malformed: true });
    expect(parseFaultPlan('pvog=status:429,retry-after:3')[0]).toMatchObject({ status: 429, retryAfterSeconds: 3 });
    expect(parseFaultPlan('')).toEqual([]);
    expect(parseFaultPlan(' ; ')).toEqual([]);
  });

  it('round-trips through formatFaultPlan', () => {
    const spec = 'pvog:/v7/*=status:503,retry-after:1,count:2;geomis:*=latency:2000;dvdv:/v2/*=method:POST,drip:10,chunk:8,truncate:0.5';
    const plan = parseFaultPlan(spec);
    expect(parseFaultPlan(formatFaultPlan(plan))).toEqual(plan);
  });

  it.each([
    ['pvog', /<upstream>\[:<route>\]=<effect>/],
    ['nosuch:*=status:500', /an upstream name \(pvog, thavel, geomis, geoproxy, dvdv or \*\)/],
    ['pvog:v7=status:500', /a route starting with "\/"/],
    ['pvog=', /at least one effect/],
    ['pvog=status:700', /status:<HTTP status 200–599>/],
    ['pvog=status:abc', /non-negative integer/],
    ['pvog=latency:fast', /latency:<duration> like 250, 250ms or 2s/],
    ['pvog=oversize:lots', /oversize:<size>/],
    ['pvog=truncate:1.5', /fraction/],
    ['pvog=explode', /one of latency, status/],
    ['pvog=count:2', /at least one of latency, status, reset/],
    ['pvog=reset,status:500', /reset on its own/],
    ['pvog=latency:5,retry-after:2', /retry-after together with status/],
    ['pvog=latency:1,chunk:8', /chunk together with drip/],
  ])('rejects %j naming the entry and the expected form', (spec, expected) => {
    let err: unknown;
    try {
      parseFaultPlan(`geomis=latency:1;${spec}`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FaultSpecError);
    expect((err as Error).message).toContain(JSON.stringify(spec.trim()));
    expect((err as Error).message).toMatch(expected);
  });
});

describe('FaultInjector', () => {
  it('applies only rules for its upstream (or *) and matches the path glob', () => {
    const inj = new FaultInjector('pvog', 'geomis=status:500;pvog:/v7/servicedescriptions/*=status:503;*:/health=reset');
    expect(inj.plan).toHaveLength(2);
    expect(inj.pick('GET', '/v7/servicedescriptions/123')?.status).toBe(503);
    expect(inj.pick('GET', '/v7/servicedescriptions')).toBeUndefined();
    expect(inj.pick('GET', '/v3/locations')).toBeUndefined();
    expect(inj.pick('GET', '/health')?.reset).toBe(true);
  });

  it('honours after, count and method, then falls through to later rules', () => {
    const inj = new FaultInjector('dvdv', 'dvdv=status:503,after:1,count:2,method:GET;dvdv=latency:5');
    const seen = [0, 1, 2, 3].map(() => inj.pick('GET', '/x'));
    expect(seen.map((r) => r?.status ?? r?.latencyMs)).toEqual([5, 503, 503, 5]);
    expect(inj.pick('POST', '/x')?.latencyMs).toBe(5);
  });

  it('resets counters when the plan is replaced', () => {
    const inj = new FaultInjector('geomis', 'geomis=status:500,count:1');
    expect(inj.pick('GET', '/')?.status).toBe(500);
    expect(inj.pick('GET', '/')).toBeUndefined();
    inj.set('geomis=status:500,count:1');
    expect(inj.pick('GET', '/')?.status).toBe(500);
    inj.set(undefined);
    expect(inj.pick('GET', '/')).toBeUndefined();
  });

  it('validates plans given as objects like parsed ones', () => {
    expect(() => new FaultInjector('pvog', [{ upstream: 'pvog', route: '*', count: 1 }])).toThrow(FaultSpecError);
  });
});
