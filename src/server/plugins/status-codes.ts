import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

/**
 * GraphQL over HTTP §6.4.1: a client that accepts only `application/json` (a legacy client) gets 200 for a
 * well-formed request whose document does not parse or validate, or whose variables do not coerce — the errors are
 * in the body. Clients that accept `application/graphql-response+json` (or anything, `*∕*`) keep Apollo's 4xx.
 * Transport-level refusals (CSRF, batching, a missing body) happen before the request pipeline and keep their 4xx.
 */
export const legacyJsonStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ request, response }) {
        if (response.http.status !== 400 || response.body.kind !== 'single' || 'data' in response.body.singleResult) return;
        const accept = request.http?.headers.get('accept');
        if (accept && acceptsOnlyJson(accept)) response.http.status = 200;
      },
    };
  },
};

function acceptsOnlyJson(accept: string): boolean {
  const negotiator = new Negotiator({ headers: { accept } });
  return negotiator.mediaTypes(['application/json']).length > 0 && negotiator.mediaTypes(['application/graphql-response+json']).length === 0;
}
