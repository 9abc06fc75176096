import { buildSchema, graphql } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/upstreams/runtime/errors';
import { retryAfterMs } from '../../../src/upstreams/runtime/policy';

const schema = buildSchema('type Query { services: [String!] }');

async function execute(error: Error) {
  return graphql({ schema, source: '{ services }', rootValue: { services: () => { throw error; } } });
}

describe('UpstreamError as a GraphQL error', () => {
  const envBefore = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = envBefore;
  });

  it('reaches the client with code, upstream and status in extensions and a safe message', async () => {
    const err = new UpstreamError({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: 'pvog',
      status: 503,
      production: true,
      internal: { url: 'https://pvog-internal.corp.example/api', bodySnippet: 'Stacktrace: …' },
      cause: new Error('ECONNRESET 10.0.0.7'),
    });
    const result = await execute(err);
    expect(result.data).toEqual({ services: null });
    expect(result.errors).toHaveLength(1);
    const wire = JSON.parse(JSON.stringify(result.errors![0]));
    expect(wire).toEqual({
      message: "Upstream 'pvog' is unavailable (HTTP 503).",
      locations: [{ line: 1, column: 3 }],
      path: ['services'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'pvog', status: 503 },
    });
    expect(result.errors![0].originalError).toBe(err);
  });

  it('hides internals when production is not given, whatever NODE_ENV says (only the validated config turns details on)', () => {
    process.env.NODE_ENV = 'development';
    const unset = new UpstreamError({ code: 'UPSTREAM_TIMEOUT', upstream: 'dvdv', internal: { reason: 'deadline' } });
    expect(unset.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', upstream: 'dvdv' });
    const dev = new UpstreamError({ code: 'UPSTREAM_TIMEOUT', upstream: 'dvdv', production: false, internal: { reason: 'deadline' } });
    expect(dev.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', upstream: 'dvdv', detail: { reason: 'deadline' } });
  });

  it('reclassify keeps upstream, status, internals and mode', () => {
    const forbidden = new UpstreamError({ code: 'UPSTREAM_FORBIDDEN', upstream: 'geoproxy', status: 401, production: true, internal: { url: 'u' } });
    const prot = forbidden.reclassify('UPSTREAM_PROTECTED');
    expect(prot).toBeInstanceOf(UpstreamError);
    expect(prot.extensions).toEqual({ code: 'UPSTREAM_PROTECTED', upstream: 'geoproxy', status: 401 });
    expect(prot.message).toBe("Upstream 'geoproxy': the service is access-protected (HTTP 401).");
    expect(prot.internal.url).toBe('u');
    expect(prot.cause).toBe(forbidden);
  });

  it('names limits and waits in messages', () => {
    expect(new UpstreamError({ code: 'UPSTREAM_TOO_LARGE', upstream: 'thavel', limitBytes: 1024, production: true }).message).toBe(
      "Upstream 'thavel' sent a response larger than 1024 bytes; it was discarded.",
    );
    const rl = new UpstreamError({ code: 'UPSTREAM_RATE_LIMITED', upstream: 'pvog', status: 429, retryAfterMs: 2500, production: true });
    expect(rl.message).toBe("Upstream 'pvog' is rate-limiting the gateway (HTTP 429); retry after 3 s.");
    expect(rl.extensions.retryAfterSeconds).toBe(3);
  });
});

describe('Retry-After parsing', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('reads delta-seconds, HTTP dates and RateLimit-Reset', () => {
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': 'Sun, 01 Mar 2026 12:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'ratelimit-reset': '7' }, now)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});
