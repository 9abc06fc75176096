import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AvailabilityMatrixRow, AvailabilityReport } from '../availability/types';
import { ARS_SPEC, KeyFormatError, LEIKA_SPEC } from '../schema/scalars/keys';
import { availabilityCsv } from './availability-csv';
import { REPORT_CSS, renderAvailabilityPage } from './availability-page';
import { renderAvailabilitySvg } from './availability-svg';

export interface ReportsDeps {
  availability(leikaKey: string, scope?: string): Promise<AvailabilityReport>;
  matrix(leikaKeys: string[], scope?: string): Promise<AvailabilityMatrixRow[]>;
}

/** One CSV asks for at most this many keys: 605 rows each, and the matrix is cost-limited like any field. */
export const MAX_CSV_LEIKA_KEYS = 50;

/** Reports derive from public portal data and change only with a new snapshot: short public caching is safe. */
const CACHE_CONTROL = 'public, max-age=60';

/** The page needs nothing but its own stylesheet; SVG documents get no script either (an SVG can carry one). */
const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SVG_CSP = "default-src 'none'; frame-ancestors 'self'";

class ParameterError extends Error {}

/**
 * The availability reports over HTTP (issue 11, deliver 4 and 5):
 * `GET /reports/availability.svg|.csv|(html)?leikaKey=…&scope=…`. Mount with `app.use(createReportsRouter(deps))`.
 */
export function createReportsRouter(deps: ReportsDeps): Router {
  const router = Router();

  router.get('/reports/availability.svg', handle(async (req, res) => {
    const report = await deps.availability(singleLeikaKey(req), scope(req));
    res.setHeader('Content-Security-Policy', SVG_CSP);
    send(res, 'image/svg+xml; charset=utf-8', `<?xml version="1.0" encoding="UTF-8"?>\n${renderAvailabilitySvg(report)}\n`);
  }));

  router.get('/reports/availability.csv', handle(async (req, res) => {
    const keys = leikaKeys(req);
    const area = scope(req);
    const rows = await deps.matrix(keys, area);
    const name = `availability-${keys.length === 1 ? keys[0] : `${keys.length}-keys`}${area ? `-${area}` : ''}.csv`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    send(res, 'text/csv; charset=utf-8; header=present', availabilityCsv(rows));
  }));

  router.get('/reports/availability', handle(async (req, res) => {
    const report = await deps.availability(singleLeikaKey(req), scope(req));
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    send(res, 'text/html; charset=utf-8', renderAvailabilityPage(report));
  }));

  router.get('/reports/report.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('text/css; charset=utf-8').send(REPORT_CSS);
  });

  return router;
}

function send(res: Response, type: string, body: string): void {
  res.setHeader('Cache-Control', CACHE_CONTROL);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Type', type);
  res.send(body);
}

function handle(fn: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      await fn(req, res);
    } catch (e) {
      const status = statusOf(e);
      if (!status) return next(e);
      res.setHeader('Cache-Control', 'no-store');
      if (status === 503) res.setHeader('Retry-After', '300');
      res.status(status).json({ errors: [{ message: (e as Error).message, extensions: { code: codeOf(e) ?? 'BAD_USER_INPUT' } }] });
    }
  };
}

/** Deps signal a missing snapshot with `code` (or a GraphQLError's `extensions.code`) SNAPSHOT_NOT_AVAILABLE. */
function codeOf(e: unknown): string | undefined {
  const err = e as { code?: unknown; extensions?: { code?: unknown } } | null;
  const code = err?.code ?? err?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

function statusOf(e: unknown): 400 | 404 | 503 | undefined {
  if (e instanceof ParameterError) return 400;
  const code = codeOf(e);
  if (code === 'SNAPSHOT_NOT_AVAILABLE') return 503;
  if (code === 'NOT_FOUND') return 404;
  if (code === 'BAD_USER_INPUT') return 400;
  return undefined;
}

/** Query values as strings; Express 5's simple parser yields a string or, for a repeated parameter, an array. */
function values(req: Request, name: string): string[] {
  const v = req.query[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) throw new ParameterError(`Query parameter "${name}" must be a plain value.`);
  return list as string[];
}

function checked(name: string, spec: typeof LEIKA_SPEC, value: string): string {
  if (!spec.test(value)) throw new ParameterError(`Query parameter "${name}": ${new KeyFormatError(spec, value).message}`);
  return value;
}

function leikaKeys(req: Request): string[] {
  const list = values(req, 'leikaKey');
  if (!list.length) throw new ParameterError(`Query parameter "leikaKey" is required: ${LEIKA_SPEC.expected}.`);
  const keys = [...new Set(list.map((v) => checked('leikaKey', LEIKA_SPEC, v)))];
  if (keys.length > MAX_CSV_LEIKA_KEYS) {
    throw new ParameterError(`Query parameter "leikaKey" is given ${keys.length} times: at most ${MAX_CSV_LEIKA_KEYS} keys per CSV.`);
  }
  return keys;
}

function singleLeikaKey(req: Request): string {
  const list = values(req, 'leikaKey');
  if (list.length > 1) throw new ParameterError(`Query parameter "leikaKey" must be given once for this report (got ${list.length}); the CSV takes several.`);
  return leikaKeys(req)[0];
}

function scope(req: Request): string | undefined {
  const list = values(req, 'scope');
  if (list.length > 1) throw new ParameterError(`Query parameter "scope" must be given at most once: ${ARS_SPEC.expected}.`);
  return list.length ? checked('scope', ARS_SPEC, list[0]) : undefined;
}
