import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { loadConfig } from '../../src/server/config';
import { createLogger, type Logger } from '../../src/observability/log';
import { startGateway, type Gateway } from '../../src/server/gateway';

export interface GqlResult<R> { status: number; data?: R | null; errors?: GraphQLFormattedError[]; headers: Headers }

export interface TestGateway extends Gateway {
  /** POST a typed document (from client/generated) and return status, data and errors. */
  gql<R, V>(doc: TypedDocumentNode<R, V>, variables?: V, headers?: Record<string, string>): Promise<GqlResult<R>>;
  /** POST a raw query string, for inputs the typed SDK would not let us write. */
  raw(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<any>>;
}

/**
 * A complete gateway on a free loopback port: PGlite in memory, sandbox upstreams, silent logs (unless a logger is given).
 * Functional tests query many municipalities at once and send many requests from one address; the query-cost and
 * rate limits and the per-client execution cap have tests of their own (test/server/limits.test.ts,
 * rate-limit.test.ts, execution-share.test.ts) and are lifted here unless a test sets them.
 */
export async function startTestGateway(env: Record<string, string> = {}, logger: Logger = createLogger('silent')): Promise<TestGateway> {
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent', MAX_QUERY_COST: '10000000', RATE_LIMIT_PER_MINUTE: '0', EXECUTIONS_PER_CLIENT: '0', REFUSAL_DELAY_MS: '0', ...env });
  const gw = await startGateway(config, logger);
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { data?: unknown; errors?: GraphQLFormattedError[] };
    return { status: res.status, data: json.data as any, errors: json.errors, headers: res.headers };
  };
  return Object.assign(gw, {
    gql: <R, V>(doc: TypedDocumentNode<R, V>, variables?: V, headers?: Record<string, string>) =>
      post({ query: print(doc), variables }, headers) as Promise<GqlResult<R>>,
    raw: (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => post({ query, variables }, headers),
  });
}
