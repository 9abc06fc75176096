import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, GatewayError, MunicipalityByAgsDocument, MunicipalityByArsDocument, request } from '../../client/src';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/** The client package's request helpers against a running gateway over a real socket. */
describe('@thuegate/client request() and execute()', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => gw?.stop());

  it('returns the typed data of a document', async () => {
    const erfurt = municipalityDirectory().getByAgs('16051000')!;
    const data = await request({ url: `${gw.url}/graphql` }, MunicipalityByArsDocument, { ars: erfurt.ars });
    expect(data.municipality?.name).toBe(erfurt.name);
    expect(data.municipality?.ags).toBe('16051000');
  });

  it('throws a GatewayError carrying the codes and the message naming the argument', async () => {
    const err = await request({ url: `${gw.url}/graphql` }, MunicipalityByAgsDocument, { ags: '1605100' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).codes).toEqual(['BAD_USER_INPUT']);
    expect((err as GatewayError).message).toMatch(/ags.*8 digits|AGS/);
    expect((err as GatewayError).result.status).toBe(400);
  });

  it('execute() keeps the whole answer and asks for the GraphQL response media type', async () => {
    const r = await execute({ url: `${gw.url}/graphql` }, MunicipalityByAgsDocument, { ags: '16072011' });
    expect(r.errors).toEqual([]);
    expect(r.data?.municipality?.name).toBe('Lauscha, Stadt');
    expect(r.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });

  it('sends the API key as x-api-key', async () => {
    const r = await execute({ url: `${gw.url}/graphql`, apiKey: 'tg_not-a-registered-key' }, MunicipalityByAgsDocument, { ags: '16072011' });
    expect(r.status).toBe(401);
    expect(r.errors[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
