/**
 * Building request URLs so that no request can leave the configured upstream: the gateway only
 * ever calls configured base URLs (DESIGN §6), even if an upstream document or a client argument
 * smuggles an absolute URL, `//host`, a backslash or dot segments into a path.
 */

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number | boolean)[];
export type QueryInit = Record<string, QueryValue> | URLSearchParams;

export class UrlEscapeError extends Error {
  constructor(readonly attempted: string, why: string) {
    super(`path ${JSON.stringify(attempted.slice(0, 200))} refused: ${why}`);
    this.name = 'UrlEscapeError';
  }
}

/** Validates a configured base URL; throws a message naming the expected form. */
export function parseBaseUrl(baseUrl: string, label: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`${label}: expected an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${label}: expected an http: or https: URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.username || url.password) {
    throw new TypeError(`${label}: credentials belong in headers, not in the base URL`);
  }
  if (url.search || url.hash) {
    throw new TypeError(`${label}: the base URL must not carry a query or fragment, got ${JSON.stringify(baseUrl)}`);
  }
  return url;
}

const basePathOf = (base: URL): string => base.pathname.replace(/\/+$/, '');

/**
 * `path` is appended to the base URL's path (`https://h/suchdienst/api` + `/v7/x` →
 * `https://h/suchdienst/api/v7/x`). It must be empty or start with `/` or `?`.
 */
export function buildUpstreamUrl(base: URL, path: string, query?: QueryInit): URL {
  if (typeof path !== 'string') throw new UrlEscapeError(String(path), 'not a string');
  if (/^[a-zA-Z][a-zA-Z\d+.-]*:/.test(path)) throw new UrlEscapeError(path, 'absolute URLs are not allowed, pass a path');
  if (path.startsWith('//')) throw new UrlEscapeError(path, 'protocol-relative URLs are not allowed');
  if (path !== '' && !path.startsWith('/') && !path.startsWith('?')) {
    throw new UrlEscapeError(path, 'a path must start with "/" or "?"');
  }
  // WHATWG URL parsing turns "\" into "/" for http(s), so "/\evil.example" would become "//evil.example".
  if (/[\\\s\u0000-\u001f\u007f#]/.test(path)) throw new UrlEscapeError(path, 'backslashes, whitespace, control characters and fragments are not allowed');
  const qIndex = path.indexOf('?');
  const pathPart = qIndex === -1 ? path : path.slice(0, qIndex);
  for (const segment of pathPart.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new UrlEscapeError(path, 'malformed percent-encoding');
    }
    if (decoded === '.' || decoded === '..') throw new UrlEscapeError(path, 'dot segments are not allowed');
    if (decoded.includes('/') || decoded.includes('\\')) throw new UrlEscapeError(path, 'encoded slashes are not allowed');
  }

  const basePath = basePathOf(base);
  const url = new URL(base.origin + basePath + path);
  if (url.origin !== base.origin) throw new UrlEscapeError(path, 'resolves to another origin');
  if (basePath !== '' && url.pathname !== basePath && !url.pathname.startsWith(basePath + '/')) {
    throw new UrlEscapeError(path, 'leaves the base path');
  }
  if (query) appendQuery(url.searchParams, query);
  return url;
}

export function appendQuery(params: URLSearchParams, query: QueryInit): void {
  if (query instanceof URLSearchParams) {
    for (const [k, v] of query) params.append(k, v);
    return;
  }
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
}

/**
 * For absolute URLs found in upstream documents (paging links, capability OnlineResources):
 * the path to hand to `request()` if the URL lies under the base URL, otherwise `undefined`.
 */
export function pathUnderBase(base: URL, absolute: string): string | undefined {
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin || url.username || url.password) return undefined;
  const basePath = basePathOf(base);
  if (basePath !== '' && url.pathname !== basePath && !url.pathname.startsWith(basePath + '/')) return undefined;
  const rest = url.pathname.slice(basePath.length) + url.search;
  try {
    buildUpstreamUrl(base, rest);
  } catch {
    return undefined;
  }
  return rest;
}
