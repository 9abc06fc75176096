import { createHash } from 'node:crypto';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MunicipalityByArsDocument, RegisterPersistedDocumentDocument } from '../../client/generated/graphql';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/** Trusted documents (issue 13 item 4) and automatic persisted queries behind the response cache. */
const ADMIN_TOKEN = 'trusted-documents-test-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
// The client SDK sends print(document); its documents are registered when the gateway starts.
const SDK_QUERY = print(MunicipalityByArsDocument);
const REGISTER = print(RegisterPersistedDocumentDocument);
const ERFURT = { ars: '160510000000' };

type Answer = { status: number; headers: Headers; body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] } };

async function post(gw: TestGateway, payload: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

async function get(gw: TestGateway, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${gw.url}/graphql?${new URLSearchParams(params)}`, { headers: { 'apollo-require-preflight': '1', ...headers } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

async function storedHashes(gw: TestGateway): Promise<string[]> {
  const rows = await gw.db.orm.em.fork().getConnection().execute<{ hash: string }[]>('select hash from persisted_document');
  return rows.map((r) => r.hash);
}

describe('TRUSTED_DOCUMENTS=allow-listed', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ TRUSTED_DOCUMENTS: 'allow-listed', ADMIN_TOKEN });
  });
  afterAll(() => gw?.stop());

  it('runs the client SDK’s documents, registered from client/operations when the gateway starts', async () => {
    expect(await storedHashes(gw)).toContain(sha256(SDK_QUERY));
    const r = await post(gw, { query: SDK_QUERY, variables: ERFURT });
    expect(r.status).toBe(200);
    expect(r.body.data.municipality.name).toBe('Erfurt, Stadt');
  });

  it('refuses an unregistered document with PERSISTED_QUERY_NOT_IN_LIST, also when its normalised form is cached', async () => {
    // Same operation as the SDK's, other whitespace: the response cache holds its answer under the normalised form.
    const variant = SDK_QUERY.replace(/\n\s*/g, ' ');
    expect(sha256(variant)).not.toBe(sha256(SDK_QUERY));
    await post(gw, { query: SDK_QUERY, variables: ERFURT });
    const r = await post(gw, { query: variant, variables: ERFURT });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-cache')).toBeNull();
    expect(r.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(r.body.data).toBeUndefined();
  });

  it('runs a document once an admin registered it, by text and by documentId', async () => {
    const doc = '{ municipality(ags: "16055000") { name ags } }';
    expect((await post(gw, { query: doc })).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const anonymous = await post(gw, { query: REGISTER, variables: { body: doc } });
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await storedHashes(gw)).not.toContain(sha256(doc));

    const reg = await post(gw, { query: REGISTER, variables: { body: doc } }, admin);
    expect(reg.body.data.registerPersistedDocument).toEqual({ documentId: `sha256:${sha256(doc)}`, created: true });
    expect(await storedHashes(gw)).toContain(sha256(doc));
    expect((await post(gw, { query: REGISTER, variables: { body: doc } }, admin)).body.data.registerPersistedDocument.created).toBe(false);

    expect((await post(gw, { query: doc })).body.data).toEqual({ municipality: { name: 'Weimar, Stadt', ags: '16055000' } });
    expect((await post(gw, { documentId: `sha256:${sha256(doc)}` })).body.data.municipality.ags).toBe('16055000');
  });

  it('answers an unknown or malformed documentId with a clear error', async () => {
    const unknown = await post(gw, { documentId: `sha256:${'0'.repeat(64)}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const malformed = await post(gw, { documentId: 'md5:abc' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0].message).toMatch(/documentId: expected "sha256:"/);
  });
});

describe('TRUSTED_DOCUMENTS=required', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ TRUSTED_DOCUMENTS: 'required', ADMIN_TOKEN });
  });
  afterAll(() => gw?.stop());

  it('refuses document text, registered or not, with PERSISTED_QUERY_ID_REQUIRED', async () => {
    for (const query of [SDK_QUERY, '{ municipality(ags: "16051000") { name } }']) {
      const r = await post(gw, { query, variables: ERFURT });
      expect(r.status).toBe(400);
      expect(r.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
    }
  });

  it('runs documents by id in a POST body, including the admin registration itself', async () => {
    const r = await post(gw, { documentId: `sha256:${sha256(SDK_QUERY)}`, variables: ERFURT });
    expect(r.body.data.municipality.name).toBe('Erfurt, Stadt');
    const doc = '{ municipality(ags: "16053000") { name } }';
    const reg = await post(gw, { documentId: `sha256:${sha256(REGISTER)}`, variables: { body: doc } }, admin);
    expect(reg.body.data.registerPersistedDocument.documentId).toBe(`sha256:${sha256(doc)}`);
    expect((await post(gw, { documentId: `sha256:${sha256(doc)}` })).body.data.municipality.name).toBe('Jena, Stadt');
  });

  it('answers GET by document id with headers an HTTP cache can use', async () => {
    const params = { documentId: `sha256:${sha256(SDK_QUERY)}`, variables: JSON.stringify(ERFURT) };
    const first = await get(gw, params);
    expect(first.status).toBe(200);
    expect(first.body.data.municipality.name).toBe('Erfurt, Stadt');
    expect(first.headers.get('cache-control')).toMatch(/^max-age=[1-9]\d*, public$/);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get(gw, params);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect((await get(gw, params, { 'if-none-match': etag! })).status).toBe(304);
    // Text in the GET query is refused like in a POST.
    expect((await get(gw, { query: SDK_QUERY, variables: JSON.stringify(ERFURT) })).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
  });
});

describe('automatic persisted queries behind the response cache', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw?.stop());

  it('stores the hash of a registration request answered from the response cache (X-Cache: HIT)', async () => {
    const query = '{ municipality(ags: "16054000") { name } }';
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    expect((await post(gw, { query })).headers.get('x-cache')).toBe('MISS');
    const registering = await post(gw, { query, extensions: { persistedQuery } });
    expect(registering.headers.get('x-cache')).toBe('HIT');
    const byHash = await post(gw, { extensions: { persistedQuery } });
    expect(byHash.body.errors).toBeUndefined();
    expect(byHash.body.data).toEqual({ municipality: { name: 'Suhl, Stadt' } });
  });

  it('accepts a documentId of a registered document with trusted documents off', async () => {
    const r = await post(gw, { documentId: `sha256:${sha256(SDK_QUERY)}`, variables: ERFURT });
    expect(r.body.data.municipality.name).toBe('Erfurt, Stadt');
  });
});
