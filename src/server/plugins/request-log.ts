import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../schema/context';
import type { SampledLog } from '../log-sampler';
import { traceFields, type RequestTrace } from '../../observability/tracing';

/**
 * One log line per request that had errors, never one per error: a request with 18,000 field errors writes one
 * line with the count per code. Lines go through the sampler, so a flood of rejected requests stays bounded too.
 */
export function requestLogPlugin(log: SampledLog): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const errors = new RequestErrorLog(log);
      return {
        async didEncounterErrors(ctx) {
          errors.add(ctx.errors);
        },
        async willSendResponse({ response, contextValue, operationName }) {
          errors.write(response.body.kind === 'single' ? response.body.singleResult : undefined, contextValue?.requestId, operationName ?? undefined, response.http.status ?? 200, contextValue?.trace);
        },
      };
    },
  };
}

/** One request's error codes and its log line; also used by the compiled path (server/compiled-execution/). */
export class RequestErrorLog {
  private readonly codes: Record<string, number> = {};
  private internal: string | undefined;

  constructor(private readonly log: SampledLog) {}

  add(errors: readonly GraphQLError[]): void {
    for (const e of errors) {
      const code = String(e.extensions?.code ?? (e.originalError && !(e.originalError instanceof GraphQLError) ? 'INTERNAL_SERVER_ERROR' : 'UNKNOWN'));
      this.codes[code] = (this.codes[code] ?? 0) + 1;
      if (code === 'INTERNAL_SERVER_ERROR') this.internal ??= e.originalError?.message ?? e.message;
    }
  }

  write(result: { data?: unknown } | undefined, requestId: string | undefined, operation: string | undefined, status: number, trace?: RequestTrace): void {
    if (!Object.keys(this.codes).length) return;
    const rejected = !result || !('data' in result) || result.data === null;
    this.log(this.internal ? 'error' : rejected ? 'info' : 'warn', rejected ? 'request rejected' : 'request had errors', {
      ...traceFields(trace),
      requestId,
      operation,
      status,
      errors: this.codes,
      ...(this.internal ? { internal: this.internal } : {}),
    });
  }
}
