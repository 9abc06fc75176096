import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';

/** Every typed document of `client/operations/*.graphql`, with its result and variables types. */
export * from '../generated/graphql';

export interface RequestOptions {
  /** The gateway's GraphQL endpoint, e.g. `https://gateway.example.org/graphql`. */
  url: string;
  /** An API key from `thuegate clients add` (integrator data such as DVDV routes needs one); sent as `x-api-key`. */
  apiKey?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Another fetch (tests, proxies); default the global one (Node ≥ 18, browsers). */
  fetch?: typeof fetch;
}

/** What the gateway answered: partial data is normal (an upstream fault nulls only its fields), so both are kept. */
export interface ExecuteResult<R> {
  status: number;
  data: R | null | undefined;
  errors: readonly GraphQLFormattedError[];
  headers: Headers;
}

/** The answer had errors; `data` holds whatever the gateway could still answer. */
export class GatewayError<R = unknown> extends Error {
  constructor(readonly result: ExecuteResult<R>) {
    super(result.errors.map((e) => e.message).join('; ') || `HTTP ${result.status}`);
    this.name = 'GatewayError';
  }

  /** `extensions.code` of each error (e.g. UPSTREAM_TIMEOUT, FORBIDDEN, GRAPHQL_VALIDATION_FAILED). */
  get codes(): string[] {
    return this.result.errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
  }
}

type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

/** Runs a typed document and returns the whole answer, errors included. */
export async function execute<R, V>(options: RequestOptions, document: TypedDocumentNode<R, V>, ...[variables]: VariablesArg<V>): Promise<ExecuteResult<R>> {
  const res = await (options.fetch ?? fetch)(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: print(document), variables }),
    signal: options.signal,
  });
  const text = await res.text();
  let body: { data?: R | null; errors?: GraphQLFormattedError[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: `HTTP ${res.status}: the gateway did not answer with JSON`, extensions: { code: 'BAD_RESPONSE' } }] };
  }
  return { status: res.status, data: body.data, errors: body.errors ?? [], headers: res.headers };
}

/** Runs a typed document and returns its data; throws GatewayError when the answer has errors. */
export async function request<R, V>(options: RequestOptions, document: TypedDocumentNode<R, V>, ...variables: VariablesArg<V>): Promise<R> {
  const result = await execute(options, document, ...variables);
  if (result.errors.length || result.data == null) throw new GatewayError(result);
  return result.data;
}
