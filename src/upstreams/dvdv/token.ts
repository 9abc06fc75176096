import { X509Certificate, createPrivateKey, createSign, randomUUID, type KeyObject } from 'node:crypto';
import type { UpstreamClient } from '../runtime/http';

/** Standalone authentication (DVDV2 API "createToken"): the client's registered certificate signs the assertion. */
export interface DvdvCredentials {
  /** PKCS#8 or PKCS#1 PEM of the client certificate's private key (secret store / HSM in production). */
  privateKeyPem: string;
  /** SHA-1 fingerprint (40 hex) of the client certificate registered in DVDV. */
  fingerprint: string;
}

export const TOKEN_PATH = '/extern/standaloneauth/token';
/** Renew this long before the announced expiry, so a token never dies in flight. */
export const TOKEN_RENEW_MARGIN_MS = 5 * 60_000;

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

/** RS256 JWT with `sub = iss = fp:<fingerprint>`, `aud` = token URL, 60 s lifetime, unique `jti`. */
export function buildClientAssertion(opts: DvdvCredentials & { audience: string; now?: number; key?: KeyObject }): string {
  const iat = Math.floor((opts.now ?? Date.now()) / 1000);
  const subject = `fp:${opts.fingerprint.toLowerCase()}`;
  const signingInput = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ iss: subject, sub: subject, aud: opts.audience, iat, exp: iat + 60, jti: randomUUID() })}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(opts.key ?? createPrivateKey(opts.privateKeyPem));
  return `${signingInput}.${signature.toString('base64url')}`;
}

interface AccessTokenBody {
  access_token?: string;
  accessToken?: string;
  expires_in?: number;
  expiresIn?: number;
}

/**
 * Obtains and caches the access token. Concurrent callers share one token request; the token is kept
 * until shortly before `expires_in` runs out (there is no refresh in DVDV: a new assertion is sent).
 */
export class DvdvTokenProvider {
  private token?: { value: string; renewAt: number };
  private pending?: Promise<string>;
  private readonly key: KeyObject;
  /** Token requests made (observability; tests assert caching with it). */
  requests = 0;

  constructor(
    private readonly client: UpstreamClient,
    private readonly credentials: DvdvCredentials,
    private readonly now: () => number = Date.now,
  ) {
    if (!/^[0-9a-fA-F]{40}$/.test(credentials.fingerprint)) throw new TypeError(`DVDV client certificate fingerprint: expected 40 hex digits (SHA-1), got ${JSON.stringify(credentials.fingerprint)}`);
    this.key = createPrivateKey(credentials.privateKeyPem);
  }

  async get(signal?: AbortSignal, deadline?: number): Promise<string> {
    if (this.token && this.token.renewAt > this.now()) return this.token.value;
    this.pending ??= this.fetch(signal, deadline).finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** After a 401 for a token we still considered valid (server restart, revoked session). */
  invalidate(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  private async fetch(signal?: AbortSignal, deadline?: number): Promise<string> {
    this.requests++;
    const audience = new URL(TOKEN_PATH.slice(1), this.client.baseUrl.endsWith('/') ? this.client.baseUrl : `${this.client.baseUrl}/`).toString();
    const res = await this.client.request({
      method: 'POST',
      path: TOKEN_PATH,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: buildClientAssertion({ ...this.credentials, audience, now: this.now(), key: this.key }),
      }).toString(),
      // A fresh assertion is built per attempt only by calling again; retrying the same one (same jti) is refused by servers.
      idempotent: false,
      signal,
      deadline,
    });
    const body = res.json<AccessTokenBody>();
    // The schema and real bodies use snake_case; the spec's example uses camelCase — accept both.
    const value = body.access_token ?? body.accessToken;
    const expiresIn = body.expires_in ?? body.expiresIn;
    if (typeof value !== 'string' || !value) throw res.error('UPSTREAM_BAD_RESPONSE', { internal: { reason: 'token response has no access_token' } });
    const lifetimeMs = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : 60_000;
    this.token = { value, renewAt: this.now() + Math.max(lifetimeMs - TOKEN_RENEW_MARGIN_MS, lifetimeMs / 2) };
    return value;
  }
}

/** Credentials from PEM files as an operator keeps them: the fingerprint is computed from the certificate. */
export function credentialsFromPem(privateKeyPem: string, certificatePem: string): DvdvCredentials {
  const fingerprint = new X509Certificate(certificatePem).fingerprint.replace(/:/g, '').toLowerCase();
  return { privateKeyPem, fingerprint };
}
