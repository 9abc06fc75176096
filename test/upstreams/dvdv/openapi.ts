import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Validates DVDV response bodies against the official OpenAPI (test/fixtures/dvdv, Dataport v2 2.15.0).
 * The spec's own vocabulary is used as is: OpenAPI 3.0 `nullable`, its custom formats (`hexadezimal`,
 * `dezimal`, the ISO date pattern) made executable below.
 */
const SPEC_FILE = join(__dirname, '../../fixtures/dvdv/dvdv2-v2-openapi.dataport.yaml');
export const spec = parse(readFileSync(SPEC_FILE, 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
};

/**
 * Documented errata of the spec: some batch operations declare a single object as their 200 body although
 * the API (and zustellix' recorded bodies) answer with an array in request order, `null` for no hit. For
 * those the body must be an array of at most 200 items, each null or valid against the declared schema.
 * batch/findServiceSpecificationUrisByCategory declares `Request`, clearly a copy error: its items are
 * validated as the single operation's body (ServiceBase[]).
 */
export const BATCH_ITEM_SCHEMA_ERRATA: Record<string, string> = {
  '/{entryPath}/v2/batch/findservicedescription': 'declared',
  '/{entryPath}/v2/batch/findauthoritydescription': 'declared',
  '/{entryPath}/v2/batch/findOrganizationsByServiceElement': 'declared',
  '/{entryPath}/v2/batch/findServiceSpecificationUrisByCategory': '/{entryPath}/v2/findServiceSpecificationUrisByCategory',
};

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('hexadezimal', /^[0-9a-fA-F]+$/);
ajv.addFormat('dezimal', /^[0-9]+$/);
ajv.addFormat('URI reference', true);
ajv.addFormat("Datum (im Format ISO-8601, d.h.yyyy-MM-dd'T'HH:mm:ss.SSS'Z')", ISO_MS);
ajv.addSchema(spec as object, 'dvdv-spec');

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const cache = new Map<string, ValidateFunction>();

function validatorAt(pointer: string): ValidateFunction {
  let v = cache.get(pointer);
  if (!v) cache.set(pointer, (v = ajv.compile({ $ref: `dvdv-spec#${pointer}` })));
  return v;
}

function contentPointer(path: string, method: string, status: number): string | undefined {
  const res = spec.paths[path]?.[method]?.responses[String(status)];
  if (!res) throw new Error(`spec has no ${method.toUpperCase()} ${path} → ${status}`);
  const type = res.content ? Object.keys(res.content)[0] : undefined;
  return type ? `/paths/${escape(path)}/${method}/responses/${status}/content/${escape(type)}/schema` : undefined;
}

export interface SpecCheck {
  ok: boolean;
  errors: string[];
}

/** Checks one response (spec path template, method, status, content-type, parsed body) against the spec. */
export function checkResponse(path: string, method: 'get' | 'post', status: number, contentType: string | null, body: unknown): SpecCheck {
  const pointer = contentPointer(path, method, status);
  if (!pointer) return body === undefined ? { ok: true, errors: [] } : { ok: false, errors: [`${status} has no body in the spec`] };
  const declaredType = Object.keys(spec.paths[path][method].responses[String(status)].content!)[0];
  const errors: string[] = [];
  if (!contentType || contentType.split(';')[0].trim() !== declaredType.split(';')[0].trim()) errors.push(`content-type ${contentType} ≠ ${declaredType}`);
  const erratum = BATCH_ITEM_SCHEMA_ERRATA[path];
  if (erratum && status === 200) {
    if (!Array.isArray(body) || body.length > 200) return { ok: false, errors: [...errors, 'batch body must be an array of ≤ 200 items'] };
    const item = validatorAt(erratum === 'declared' ? pointer : contentPointer(erratum, 'get', 200)!);
    body.forEach((x, i) => {
      if (x !== null && !item(x)) errors.push(...item.errors!.map((e) => `[${i}]${e.instancePath} ${e.message}`));
    });
  } else {
    const v = validatorAt(pointer);
    if (!v(body)) errors.push(...v.errors!.map((e) => `${e.instancePath || '/'} ${e.message}`));
  }
  return { ok: errors.length === 0, errors };
}
