import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../schema/context';
import type { SampledLog } from '../log-sampler';

/**
 * One log line per request that had errors, never one per error: a request with 18,000 field errors writes one
 * line with the count per code. Lines go through the sampler, so a flood of rejected requests stays bounded too.
 */
export function requestLogPlugin(log: SampledLog): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const codes: Record<string, number> = {};
      let internal: string | undefined;
      return {
        async didEncounterErrors({ errors }) {
          for (const e of errors) {
            const code = String(e.extensions?.code ?? (e.originalError && !(e.originalError instanceof GraphQLError) ? 'INTERNAL_SERVER_ERROR' : 'UNKNOWN'));
            codes[code] = (codes[code] ?? 0) + 1;
            if (code === 'INTERNAL_SERVER_ERROR') internal ??= e.originalError?.message ?? e.message;
          }
        },
        async willSendResponse({ response, contextValue, operationName }) {
          if (!Object.keys(codes).length) return;
          const single = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const rejected = !single || !('data' in single) || single.data === null;
          log(internal ? 'error' : rejected ? 'info' : 'warn', rejected ? 'request rejected' : 'request had errors', {
            requestId: contextValue?.requestId,
            operation: operationName ?? undefined,
            status: response.http.status ?? 200,
            errors: codes,
            ...(internal ? { internal } : {}),
          });
        },
      };
    },
  };
}
