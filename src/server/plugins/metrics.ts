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

export const metricsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    const end = duration.startTimer();
    return {
      async executionDidStart(ctx) {
        // Apollo starts execution also when no operation can be chosen (several in the document, no or an unknown
        // operationName); graphql-js then answers the error and no resolver runs.
        if (ctx.operation) executions.inc({ operation: ctx.operation.operation });
      },
      async willSendResponse(ctx) {
        const operation = ctx.operation?.operation ?? 'invalid';
        const single = ctx.response.body.kind === 'single' ? ctx.response.body.singleResult : undefined;
        const outcome = !single?.errors?.length ? 'ok' : single.data ? 'partial' : 'error';
        requests.inc({ operation, outcome });
        end({ operation });
      },
    };
  },
};
