import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/util/csv';
import { EWA_KEY } from './fixture';
import { startReportsServer } from './server';

describe('reports router over a real socket', () => {
  let srv: Awaited<ReturnType<typeof startReportsServer>>;
  let empty: Awaited<ReturnType<typeof startReportsServer>>;
  beforeAll(async () => {
    srv = await startReportsServer();
    empty = await startReportsServer({ snapshot: false });
  });
  afterAll(async () => {
    await srv?.stop();
    await empty?.stop();
  });

  it('GET /reports/availability.svg answers an SVG image with short public caching and passes the scope', async () => {
    const res = await fetch(`${srv.url}/reports/availability.svg?leikaKey=${EWA_KEY}&scope=16070`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const body = await res.text();
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(body).toContain('>Ilm-Kreis<');
    expect(srv.calls.at(-1)).toEqual(['availability', EWA_KEY, '16070']);
  });

  it('GET /reports/availability.csv takes several leikaKey parameters and answers an attachment', async () => {
    const res = await fetch(`${srv.url}/reports/availability.csv?leikaKey=${EWA_KEY}&leikaKey=99128009012000`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="availability-2-keys.csv"');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const rows = parseCsv(await res.text());
    expect(rows).toHaveLength(2 * 605);
    expect(new Set(rows.map((r) => r.leika_key))).toEqual(new Set([EWA_KEY, '99128009012000']));
    expect(rows.find((r) => r.ars === '160510000000')?.name).toBe('Erfurt, Stadt');
    expect(srv.calls.at(-1)).toEqual(['matrix', [EWA_KEY, '99128009012000'], undefined]);
  });

  it('GET /reports/availability answers the HTML page under a CSP without inline script or style, with its stylesheet', async () => {
    const res = await fetch(`${srv.url}/reports/availability?leikaKey=${EWA_KEY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await res.text()).toContain('<link rel="stylesheet" href="report.css">');
    const css = await fetch(`${srv.url}/reports/report.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('caption');
  });

  it.each([
    ['/reports/availability.svg?leikaKey=1234', 'leikaKey', /expected a LeiKa key of 14 digits starting with 99.*got "1234"/],
    ['/reports/availability?leikaKey=99999001001000&scope=1607', 'scope', /expected an ARS \(Amtlicher Regionalschlüssel\) of 2, 3, 5, 9 or 12 digits.*got "1607"/],
    ['/reports/availability.csv', 'leikaKey', /is required: a LeiKa key of 14 digits/],
    ['/reports/availability.svg?leikaKey=99999001001000&leikaKey=99128009012000', 'leikaKey', /must be given once/],
    ['/reports/availability.csv?leikaKey=99999001001000&leikaKey=abc', 'leikaKey', /got "abc"/],
    ['/reports/availability.svg?leikaKey[a]=99999001001000', 'leikaKey', /./],
  ])('answers 400 naming the parameter and the expected form: %s', async (path, param, message) => {
    const before = srv.calls.length;
    const res = await fetch(srv.url + path);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].message).toContain(`"${param}"`);
    expect(body.errors[0].message).toMatch(message);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(srv.calls.length).toBe(before);
  });

  it('answers 503 with the message when there is no snapshot yet', async () => {
    for (const path of ['/reports/availability.svg', '/reports/availability.csv', '/reports/availability']) {
      const res = await fetch(`${empty.url}${path}?leikaKey=${EWA_KEY}`);
      expect(res.status, path).toBe(503);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]).toEqual({ message: 'No harvest snapshot yet: run `thuegate harvest` first.', extensions: { code: 'SNAPSHOT_NOT_AVAILABLE' } });
    }
  });
});
