import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

/**
 * GraphQL over HTTP media types (graphql-over-http spec, "Media Types" and "Status Codes"): the legacy
 * `application/json` and `application/graphql-response+json`, in Apollo's order of preference (a client that
 * lists both equally gets JSON; one that prefers the new type by order or q-value gets it).
 */
export const JSON_MEDIA_TYPE = 'application/json; charset=utf-8';
export const GRAPHQL_RESPONSE_MEDIA_TYPE = 'application/graphql-response+json; charset=utf-8';
export const GRAPHQL_MEDIA_TYPES = [JSON_MEDIA_TYPE, GRAPHQL_RESPONSE_MEDIA_TYPE];

/** The media type of a GraphQL answer to this request; undefined when its Accept header allows neither (406). */
export function negotiateGraphqlMediaType(headers: IncomingHttpHeaders): string | undefined {
  if (!headers.accept) return JSON_MEDIA_TYPE;
  return new Negotiator({ headers }).mediaType(GRAPHQL_MEDIA_TYPES);
}

/** For errors answered before GraphQL runs (body parser, fast path): the negotiated type, JSON when none fits. */
export function errorMediaType(headers: IncomingHttpHeaders): string {
  return negotiateGraphqlMediaType(headers) ?? JSON_MEDIA_TYPE;
}

/** HTTP status of a request error (no `data`) by its code, for `application/graphql-response+json`. */
const STATUS_BY_CODE: Record<string, number> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
  PERSISTED_QUERY_NOT_SUPPORTED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * The spec's rule for `application/graphql-response+json`: a response without `data` (a request error: nothing was
 * executed) MUST NOT be 2xx. Apollo already answers parse, validation and variable errors with 400; this keeps the rule
 * for request errors raised elsewhere (plugins, persisted queries), by the first error's code. Responses with `data`
 * (even `null` after a field error) stay 200; `application/json` keeps Apollo's statuses.
 */
export const mediaTypeStatusPlugin: ApolloServerPlugin = {
  async requestDidStart({ request }) {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single' || response.body.singleResult.data !== undefined) return;
        const status = response.http.status ?? 200;
        if (status < 200 || status > 299) return;
        const accept = request.http?.headers.get('accept');
        if (negotiateGraphqlMediaType(accept ? { accept } : {}) !== GRAPHQL_RESPONSE_MEDIA_TYPE) return;
        const code = String(response.body.singleResult.errors?.[0]?.extensions?.code ?? '');
        response.http.status = STATUS_BY_CODE[code] ?? 400;
      },
    };
  },
};
