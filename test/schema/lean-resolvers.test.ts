import { execute, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { gatewaySchema } from '../../src/schema/build';
import { MunicipalityService } from '../../src/services/municipalities';

/**
 * src/schema/lean-resolvers.ts: fields that need none of type-graphql's per-call wrapper run without it — so a
 * resolver with arguments whose value is at hand answers without a promise (issue 15) — while every field that
 * needs the wrapper keeps it: `@Authorized` fields still refuse a caller without the role.
 */
const LAUSCHA = { ars: '160720011011', ags: '16072011', name: 'Lauscha, Stadt' }; // data/ (Destatis GV-ISys)

const context = (role: 'public' | 'integrator') => ({ role, services: { municipalities: new MunicipalityService(municipalityDirectory()) } });

describe('lean resolvers', () => {
  it('a query with arguments over reference data answers synchronously, with the data', () => {
    const result = execute({
      schema: gatewaySchema(),
      document: parse(`{ municipality(ars: "${LAUSCHA.ars}") { ars ags name district { ars } } }`),
      contextValue: context('public'),
    });
    // type-graphql's wrapper validates each argument in an async function: its answer would be a promise.
    expect(result).not.toBeInstanceOf(Promise);
    const r = result as ExecutionResult<{ municipality: Record<string, unknown> }>;
    expect(r.errors).toBeUndefined();
    expect(r.data?.municipality).toMatchObject({ ars: LAUSCHA.ars, ags: LAUSCHA.ags, name: LAUSCHA.name, district: { ars: '16072' } });
  });

  it('bad input still gets the typed error naming the argument', () => {
    const r = execute({ schema: gatewaySchema(), document: parse('{ municipality(ars: "160720011011", ags: "16072011") { name } }'), contextValue: context('public') }) as ExecutionResult;
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('an @Authorized field keeps its check: FORBIDDEN for the public role, the value for an integrator', async () => {
    const field = (gatewaySchema().getType('DirectoryCertificate') as { getFields(): Record<string, { resolve?: (...a: unknown[]) => unknown }> }).getFields().fingerprint;
    expect(field.resolve).toBeTypeOf('function');
    const cert = { fingerprint: 'a'.repeat(40) };
    await expect(Promise.resolve().then(() => field.resolve!(cert, {}, context('public'), {}))).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await field.resolve!(cert, {}, context('integrator'), {})).toBe(cert.fingerprint);
  });

  it('plain fields are read as properties, fields with a resolver method keep one', () => {
    const fields = (type: string) => (gatewaySchema().getType(type) as { getFields(): Record<string, { resolve?: unknown }> }).getFields();
    expect(fields('AdministrativeService').name.resolve).toBeUndefined();
    expect(fields('Municipality').name.resolve).toBeUndefined();
    // Node's `id` is resolved by a `globalId` method under another name: replaced by the method, never by a property read.
    expect(fields('Municipality').id.resolve).toBeTypeOf('function');
    expect(fields('AdministrativeService').onlineServices.resolve).toBeTypeOf('function');
  });
});
