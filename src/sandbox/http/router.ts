import type { IncomingHttpHeaders } from 'node:http';

export interface SandboxRequest {
  method: string;
  /** Decoded path without query. */
  path: string;
  url: URL;
  /** `:name` segments of the route pattern (decoded); a trailing `*` is available as `params['*']`. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

export interface SandboxResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type SandboxHandler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export interface SandboxRoute {
  /** HTTP method or `*`; GET routes also answer HEAD. */
  method: string;
  /** `/v7/servicedescriptions/:id`, `/records/:uuid/formatters/xml`, `/static/*`. */
  path: string;
  handler: SandboxHandler;
  /** Key for `requestCount(name)`; defaults to the path pattern. */
  name?: string;
}

export interface CompiledRoute {
  route: SandboxRoute;
  key: string;
  match(method: string, path: string): Record<string, string> | undefined;
}

export function compileRoute(route: SandboxRoute): CompiledRoute {
  if (!route.path.startsWith('/')) throw new TypeError(`sandbox route ${JSON.stringify(route.path)}: expected a path starting with "/"`);
  const names: string[] = [];
  const parts = route.path.split('/').map((seg, i, all) => {
    if (seg === '*' && i === all.length - 1) {
      names.push('*');
      return '(.*)';
    }
    if (seg.startsWith(':')) {
      names.push(seg.slice(1));
      return '([^/]+)';
    }
    return seg.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
  });
  const re = new RegExp('^' + parts.join('/') + '/?$');
  const method = route.method.toUpperCase();
  return {
    route,
    key: route.name ?? route.path,
    match(reqMethod, path) {
      const m = reqMethod.toUpperCase();
      if (method !== '*' && method !== m && !(method === 'GET' && m === 'HEAD')) return undefined;
      const found = re.exec(path);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(found[i + 1]);
        } catch {
          params[n] = found[i + 1];
        }
      });
      return params;
    },
  };
}
