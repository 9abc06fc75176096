import { createPublicKey, createVerify, randomBytes } from 'node:crypto';
import { empty, json, type SandboxRequest, type SandboxResponse, type SandboxRoute } from '../../sandbox/http';
import type { DvdvCertificate, DvdvOrganization, DvdvService, DvdvServiceElement, World } from '../../sandbox/world/types';
import { SANDBOX_CLIENT_FINGERPRINT, SANDBOX_CLIENT_PUBLIC_KEY_PEM } from './sandbox-credentials';

/**
 * DVDV2 directory API v2 over the sandbox world, in the shapes of the official OpenAPI (Dataport, v2 2.15.0):
 * GET `/{entryPath}/v2/<function>?request_json=…`, POST `/{entryPath}/v2/batch/<function>` (≤ 200 items,
 * answers in request order, null = no hit) and the standalone-authentication token endpoint. Every body
 * validates against the spec (test/upstreams/dvdv/openapi.test.ts). Route names are the function names, so tests
 * count `findservicedescription` vs `batch/findservicedescription` regardless of the entry path.
 */
import { DVDV_BATCH_MAX, DVDV_ENTRY_PATHS } from './client';
const TOKEN_LIFETIME_S = 86_400;

type Req = Record<string, unknown>;
type Problem = { type: string; title: string; status: number; detail: string; instance: string };

const problemResponse = (p: Problem): SandboxResponse => ({
  status: p.status,
  headers: { 'content-type': 'application/problem+json' },
  body: JSON.stringify(p),
});
const inputProblem = (detail: string, instance = 'problems/instance/RequestJsonProcessing') =>
  problemResponse({ type: 'problems/type/INPUT_VALIDATION', title: 'Invalide Eingabe', status: 400, detail, instance });
const authProblem = (detail: string) =>
  problemResponse({ type: 'problems/type/AUTHENTICATION', title: 'Fehler bei der Standalone-Authentifizierung', status: 401, detail, instance: 'problems/instance/StandaloneAuthentication' });
const notFound = (detail: string) =>
  problemResponse({ type: 'problems/type/ENTITY_NOT_FOUND', title: 'Kein Treffer', status: 404, detail, instance: 'problems/instance/EntityNotFound' });

/** RFC 2047 encoded-word (UTF-8, base64), as DVDV sends `dvdv-warning-msg`. */
export function rfc2047(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function wsdlFor(uri: string, name: string): string {
  // Sandbox placeholder for serviceSpecificationDocument: a minimal WSDL whose targetNamespace is the URI.
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!-- sandbox placeholder -->\n<definitions name="${name}" targetNamespace="${uri}" xmlns="http://schemas.xmlsoap.org/wsdl/"/>`;
}

export function dvdvSandboxRoutes(world: World): SandboxRoute[] {
  const now = Date.parse(`${world.asOf}T12:00:00.000Z`);
  const byKey = new Map<string, DvdvOrganization[]>();
  for (const o of world.dvdv.organizations) for (const k of o.organizationKeys) byKey.set(k, [...(byKey.get(k) ?? []), o]);
  const certByFp = new Map(world.dvdv.certificates.map((c) => [c.fingerprint, c]));
  const tokens = new Map<string, number>(); // token → expiry (epoch ms)

  const cert = (fp: string | null | undefined) => {
    const c: DvdvCertificate | undefined = fp ? certByFp.get(fp) : undefined;
    if (!c) return undefined;
    const { revocationReason, ...rest } = c;
    return revocationReason ? { ...rest, revocationReason } : rest; // the spec's enum is not nullable
  };
  const valid = (x: { validFrom: string | null; validTo: string | null }) =>
    (!x.validFrom || Date.parse(x.validFrom) <= now) && (!x.validTo || Date.parse(x.validTo) > now);
  const serviceBase = (s: DvdvService) => ({
    id: s.id,
    validFrom: s.validFrom,
    validTo: s.validTo,
    nameDe: s.nameDe,
    descriptionDe: s.descriptionDe,
    dvdv1Uuid: s.dvdv1Uuid,
    serviceDescriptionName: s.serviceDescriptionName,
    serviceSpecificationType: s.serviceSpecificationType,
    serviceSpecificationUri: s.serviceSpecificationUri,
  });
  const element = (e: DvdvServiceElement) => {
    const out: Record<string, unknown> = {
      serviceElementId: e.serviceElementId,
      providerId: e.providerId,
      providerNameDe: e.providerNameDe,
      serviceElementName: e.serviceElementName,
      serviceElementDescription: e.serviceElementDescription,
      serviceElementDescriptionName: e.serviceElementDescriptionName,
      serviceElementType: e.serviceElementType,
      required: e.required,
    };
    if (e.serviceElementUri) out.serviceElementUri = e.serviceElementUri;
    if (e.serviceElementText) out.serviceElementText = e.serviceElementText;
    const cc = cert(e.cipherCertificateFingerprint);
    const sc = cert(e.signatureCertificateFingerprint);
    if (cc) out.cipherCertificate = cc;
    if (sc) out.signatureCertificate = sc;
    return out;
  };
  const organization = (o: DvdvOrganization) => ({
    organization: {
      id: o.id,
      validFrom: o.validFrom,
      validTo: o.validTo,
      nameDe: o.nameDe,
      descriptionDe: o.descriptionDe,
      postalAddress: o.postalAddress,
      locationStateId: o.locationStateId,
      dvdv1Id: o.dvdv1Id,
      category: o.category,
      organizationKeys: o.organizationKeys,
      clientCertificates: o.clientCertificateFingerprints.map(cert).filter((c) => c !== undefined),
      services: o.services.map(serviceBase),
    },
    representatives: [],
  });

  // ---- the directory functions: request → body (undefined = no hit) or a warning for 204
  type Hit = { body: unknown } | { none: true; warning?: string };
  const hit = (body: unknown): Hit => ({ body });
  const none = (warning?: string): Hit => ({ none: true, warning });

  const findAuthority = (r: Req): Hit => {
    const org = (byKey.get(String(r.organizationKey)) ?? []).find((o) => o.category === r.category);
    return org ? hit(organization(org)) : none();
  };
  const findService = (r: Req): Hit => {
    const orgs = byKey.get(String(r.organizationKey)) ?? [];
    const matching = orgs.flatMap((o) => o.services.filter((s) => s.serviceSpecificationUri === r.serviceSpecificationUri).map((s) => ({ o, s })));
    const current = matching.find(({ s }) => valid(s));
    if (current) {
      const { o, s } = current;
      return hit({
        ...serviceBase(s),
        serviceSpecificationDocument: wsdlFor(s.serviceSpecificationUri, s.serviceDescriptionName),
        organizationNameDe: o.nameDe,
        locationStateId: o.locationStateId,
        serviceElements: s.serviceElements.map(element),
      });
    }
    return matching.length
      ? none(`Dienst ${String(r.serviceSpecificationUri)} für ${String(r.organizationKey)} ist nicht mehr gültig (seit ${matching[matching.length - 1].s.validTo})`)
      : none();
  };
  const findCategories = (r: Req): string[] => {
    const orgs = byKey.get(String(r.organizationKey)) ?? [];
    const fp = r.fingerPrint ? String(r.fingerPrint) : undefined;
    return [...new Set(orgs.filter((o) => !fp || o.clientCertificateFingerprints.includes(fp)).map((o) => o.category))];
  };
  const urisByCategory = (r: Req) => {
    const seen = new Map<string, DvdvService>();
    for (const o of world.dvdv.organizations) if (o.category === r.category) for (const s of o.services) if (!seen.has(s.serviceSpecificationUri)) seen.set(s.serviceSpecificationUri, s);
    return [...seen.values()].map(serviceBase);
  };
  const verifyCategory = (r: Req) => ({
    verifyCategory: world.dvdv.organizations.some((o) => o.category === r.category && o.clientCertificateFingerprints.includes(String(r.fingerPrint))),
  });

  // ---- request parsing, in the documented error forms
  const requestJson = (req: SandboxRequest): Req | SandboxResponse => {
    const raw = req.query.get('request_json');
    if (raw === null) return inputProblem("7005: URL-Query-Parameter 'request_json' fehlt");
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Req;
    } catch {
      /* reported below */
    }
    return inputProblem(`7006: Fehler bei JSON-Konvertierung für URL-Query-Parameter request_json='${raw.slice(0, 100)}'`);
  };
  const batchBody = (req: SandboxRequest): Req[] | SandboxResponse => {
    let items: unknown;
    try {
      items = req.json();
    } catch {
      return inputProblem('7006: Fehler bei JSON-Konvertierung des Request-Bodys', 'problems/instance/RequestBodyProcessing');
    }
    if (!Array.isArray(items) || items.some((i) => !i || typeof i !== 'object')) return inputProblem('7007: Request-Body muss ein JSON-Array von Request-Objekten sein', 'problems/instance/RequestBodyProcessing');
    if (items.length > DVDV_BATCH_MAX) return inputProblem(`7008: höchstens ${DVDV_BATCH_MAX} Anfragen pro Batch`, 'problems/instance/RequestBodyProcessing');
    return items as Req[];
  };
  const required = (r: Req, fields: string[]): SandboxResponse | undefined => {
    const missing = fields.filter((f) => typeof r[f] !== 'string' || !(r[f] as string).length);
    if (!missing.length) return undefined;
    return inputProblem(`7001: Pflichtfeld(er) fehlen im Request: ${missing.join(', ')}`, 'problems/instance/RequestValidation');
  };
  const keyForm = (r: Req): SandboxResponse | undefined => {
    const k = r.organizationKey;
    if (typeof k === 'string' && (k.length < 6 || k.length > 255 || !k.includes(':'))) {
      return inputProblem(`7002: organizationKey '${k}' hat nicht die Form <präfix>:<kennung> (6..255 Zeichen)`, 'problems/instance/RequestValidation');
    }
    return undefined;
  };

  // The spec declares 401 on the directory functions without a body (only the token endpoint sends a Problem).
  const unauthorized: SandboxResponse = { status: 401, headers: { 'www-authenticate': 'EmbeddedBearer' } };
  const authorized = (req: SandboxRequest, entry: string): SandboxResponse | undefined => {
    if (entry === 'intern/directory') return undefined;
    if (entry === 'extern/bundesmasterauth/directory') return unauthorized; // no Bundesmaster IAM in the sandbox
    const m = /^EmbeddedBearer\s+(\S+)$/.exec(String(req.headers.authorization ?? ''));
    const exp = m ? tokens.get(m[1]) : undefined;
    return exp && exp > Date.now() ? undefined : unauthorized;
  };

  const single = (fn: string, fields: string[], answer: (r: Req) => Hit | SandboxResponse): ((entry: string) => SandboxRoute) => (entry) => ({
    method: 'GET',
    path: `/${entry}/v2/${fn}`,
    name: fn,
    handler: (req) => {
      const denied = authorized(req, entry);
      if (denied) return denied;
      const r = requestJson(req);
      if ('status' in r && typeof r.status === 'number' && 'body' in r) return r as SandboxResponse;
      const bad = required(r as Req, fields) ?? keyForm(r as Req);
      if (bad) return bad;
      const out = answer(r as Req);
      if ('body' in out && !('status' in out)) return json(out.body);
      if ('none' in out) return empty(204, out.warning ? { 'dvdv-warning-msg': rfc2047(out.warning) } : {});
      return out as SandboxResponse;
    },
  });
  const plain = (fn: string, body: () => unknown) => (entry: string): SandboxRoute => ({
    method: 'GET',
    path: `/${entry}/v2/${fn}`,
    name: fn,
    handler: (req) => authorized(req, entry) ?? json(body()),
  });
  const batch = (fn: string, fields: string[], answer: (r: Req) => unknown) => (entry: string): SandboxRoute => ({
    method: 'POST',
    path: `/${entry}/v2/batch/${fn}`,
    name: `batch/${fn}`,
    handler: (req) => {
      const denied = authorized(req, entry);
      if (denied) return denied;
      const items = batchBody(req);
      if (!Array.isArray(items)) return items;
      for (const r of items) {
        const bad = required(r, fields) ?? keyForm(r);
        if (bad) return bad;
      }
      return json(items.map(answer));
    },
  });
  const hitOrNull = (h: Hit) => ('body' in h ? h.body : null);

  const perEntry: ((entry: string) => SandboxRoute)[] = [
    plain('categories', () => world.dvdv.categories.map(categoryDto)),
    plain('intermediaries', () =>
      world.dvdv.intermediaries.map((i) => ({ id: i.id, orgaProvId: i.orgaProvId, provider: true, orgaProvName: i.orgaProvName, orgaProvAddress: i.orgaProvAddress, selName: i.selName, selDescription: i.selDescription, uri: i.uri })),
    ),
    plain('version', () => 'v2 - 2.15.0 (thuegate sandbox)'),
    single('findauthoritydescription', ['category', 'organizationKey'], (r) => {
      const h = findAuthority(r);
      return 'body' in h ? h : notFound(`5004: Keine Organisation mit Schlüssel '${String(r.organizationKey)}' in Kategorie '${String(r.category)}'`);
    }),
    single('findauthoritydescriptions', ['organizationKey'], (r) => hit((byKey.get(String(r.organizationKey)) ?? []).map(organization))),
    single('findservicedescription', ['organizationKey', 'serviceSpecificationUri'], (r) => {
      const h = findService(r);
      if ('body' in h || h.warning) return h;
      return notFound(`5005: Kein gültiger Dienst für Organisationsschlüssel '${String(r.organizationKey)}' und URI '${String(r.serviceSpecificationUri)}'`);
    }),
    single('findcategories', ['organizationKey'], (r) => hit(findCategories(r))),
    single('findServiceSpecificationUrisByCategory', ['category'], (r) => hit(urisByCategory(r))),
    single('verifycategory', ['fingerPrint', 'category'], (r) => hit(verifyCategory(r))),
    single('findCertificateByFingerprint', ['fingerPrint'], (r) => {
      const c = cert(String(r.fingerPrint));
      return c ? hit(c) : { status: 404 };
    }),
    batch('findauthoritydescription', ['category', 'organizationKey'], (r) => hitOrNull(findAuthority(r))),
    batch('findservicedescription', ['organizationKey', 'serviceSpecificationUri'], (r) => hitOrNull(findService(r))),
    batch('findcategories', ['organizationKey'], findCategories),
    batch('findServiceSpecificationUrisByCategory', ['category'], urisByCategory),
    batch('verifycategory', ['fingerPrint', 'category'], verifyCategory),
  ];

  const token: SandboxRoute = {
    method: 'POST',
    path: '/extern/standaloneauth/token',
    name: 'token',
    handler: (req) => {
      const form = new URLSearchParams(req.text());
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
        return authProblem('grant_type=client_credentials und client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer erwartet');
      }
      const claims = verifyAssertion(form.get('client_assertion') ?? '');
      if (!claims) return authProblem('client_assertion ist kein gültiges RS256-JWT');
      const fp = typeof claims.sub === 'string' && claims.sub.startsWith('fp:') ? claims.sub.slice(3) : '';
      if (fp !== SANDBOX_CLIENT_FINGERPRINT) return authProblem(`Kein passendes Client-Zertifikat gefunden für fingerprint ${fp.slice(0, 2)}...${fp.slice(-3)}`);
      if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return authProblem('client_assertion ist abgelaufen');
      const accessToken = `sbx-${randomBytes(24).toString('base64url')}`;
      tokens.set(accessToken, Date.now() + TOKEN_LIFETIME_S * 1000);
      return json({ access_token: accessToken, expires_in: TOKEN_LIFETIME_S, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'dvdv2-kernsystem-application-client-scope' });
    },
  };
  // Lets tests expire tokens early (the 401 → renew-once path) without waiting a day.
  const expireTokens: SandboxRoute = { method: 'POST', path: '/__sandbox/dvdv/expire-tokens', name: 'expire-tokens', handler: () => (tokens.clear(), empty(204)) };

  return [token, expireTokens, ...DVDV_ENTRY_PATHS.flatMap((entry) => perEntry.map((mk) => mk(entry)))];
}

function categoryDto(c: World['dvdv']['categories'][number]): Record<string, unknown> {
  return { name: c.name, ...(c.prefix ? { prefix: c.prefix } : {}), children: c.children.map(categoryDto) };
}

const publicKey = createPublicKey(SANDBOX_CLIENT_PUBLIC_KEY_PEM);

function verifyAssertion(jwt: string): Record<string, unknown> | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'RS256') return undefined;
    const ok = createVerify('RSA-SHA256').update(`${parts[0]}.${parts[1]}`).verify(publicKey, Buffer.from(parts[2], 'base64url'));
    return ok ? (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
