import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface FormattedErrors {
  errors: GraphQLFormattedError[];
  /** The HTTP status an error asked for (`extensions.http.status`), as Apollo merges it into the response. */
  status?: number;
  /** Response headers errors asked for (`extensions.http.headers`). */
  headers: [string, string][];
}

/**
 * Execution errors as Apollo Server 5 answers them (its `normalizeAndFormatErrors`, errorNormalize.ts, which the
 * package does not export): a non-GraphQL error becomes a GraphQLError with its message, `extensions.code` defaults
 * to INTERNAL_SERVER_ERROR, `extensions.http` is taken out of the error and merged into the response head, the
 * stack trace is added when configured, then the server's `formatError` runs; a throwing `formatError` yields
 * "Internal server error". test/server/compiled-execution.test.ts compares this path's answers with Apollo's.
 */
export function formatErrors(errors: readonly unknown[], formatError: FormatError, includeStacktrace: boolean): FormattedErrors {
  const out: FormattedErrors = { errors: [], headers: [] };
  const enrich = (maybe: unknown): GraphQLFormattedError => {
    const error = ensureGraphQLError(maybe);
    // graphql-jit's errors may have no extensions object (graphql-js always makes one).
    const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR' };
    const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
    if (isPartialHead(http)) {
      if (typeof http.status === 'number') out.status = http.status;
      if (http.headers instanceof Map) for (const [k, v] of http.headers as Map<string, string>) out.headers.push([k, v]);
      delete extensions.http;
    }
    if (includeStacktrace) extensions.stacktrace = error.stack?.split('\n');
    return { ...error.toJSON(), extensions };
  };
  for (const e of errors) {
    try {
      out.errors.push(formatError(enrich(e), e));
    } catch (formattingError) {
      out.errors.push(includeStacktrace ? enrich(formattingError) : { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }
  }
  return out;
}

function ensureGraphQLError(maybe: unknown): GraphQLError {
  const error = maybe instanceof Error ? maybe : new GraphQLError(`Unexpected error value: ${String(maybe)}`);
  return error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
}

function isPartialHead(x: unknown): x is { status?: number; headers?: Map<string, string> } {
  return !!x && typeof x === 'object' && (!('status' in x) || typeof x.status === 'number') && (!('headers' in x) || x.headers instanceof Map);
}
