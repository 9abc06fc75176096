import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '../../observability/metrics';

const requests = new Counter({
  name: 'thuegate_graphql_requests_total',
  help: 'GraphQL requests by operation type and outcome',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});
// Differs from requests by the response-cache hits answered inside Apollo (GET, API keys): those are never executed.
const executions = new Counter({
  name: 'thuegate_graphql_executions_total',
  help: 'GraphQL operations actually executed (resolvers run), by operation type',
  labelNames: ['operation'] as const,
  registers: [metricsRegistry],
});
const duration = new Histogram({
  name: 'thuegate_graphql_request_duration_seconds',
  help: 'GraphQL request duration from parsing to response',
  labelNames: ['operation'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** The request metrics, for this plugin and for the compiled path (server/compiled-execution/), which Apollo does not see. */
export const requestMetrics = {
  /** Starts a request's duration; the returned function records it with the request's outcome. */
  start(): (operation: string, result: { data?: unknown; errors?: readonly unknown[] } | undefined) => void {
    const end = duration.startTimer();
    return (operation, result) => {
      const outcome = !result?.errors?.length ? 'ok' : result.data ? 'partial' : 'error';
      requests.inc({ operation, outcome });
      end({ operation });
    };
  },
  executed(operation: string): void {
    executions.inc({ operation });
  },
};

export const metricsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    const end = requestMetrics.start();
    return {
      async executionDidStart(ctx) {
        // Apollo starts execution also when no operation can be chosen (several in the document, no or an unknown
        // operationName); graphql-js then answers the error and no resolver runs.
        if (ctx.operation) requestMetrics.executed(ctx.operation.operation);
      },
      async willSendResponse(ctx) {
        end(ctx.operation?.operation ?? 'invalid', ctx.response.body.kind === 'single' ? ctx.response.body.singleResult : undefined);
      },
    };
  },
};
