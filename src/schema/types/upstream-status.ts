import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum UpstreamMode {
  SANDBOX = 'sandbox',
  CONFIGURED = 'configured',
}
registerEnumType(UpstreamMode, {
  name: 'UpstreamMode',
  description: 'SANDBOX = the simulated upstream runs in-process (development); CONFIGURED = a real base URL.',
  valuesConfig: {
    SANDBOX: { description: 'The simulated upstream (Sandbox) runs in-process; development only.' },
    CONFIGURED: { description: 'A configured base URL of the real upstream.' },
  },
});

export enum BreakerState {
  CLOSED = 'closed',
  HALF_OPEN = 'half-open',
  OPEN = 'open',
}
registerEnumType(BreakerState, {
  name: 'BreakerState',
  description: 'Circuit breaker: CLOSED = requests flow, OPEN = failing fast after repeated faults, HALF_OPEN = one trial request decides.',
  valuesConfig: {
    CLOSED: { description: 'Requests flow normally.' },
    HALF_OPEN: { description: 'One trial request decides whether the breaker closes again.' },
    OPEN: { description: 'Failing fast after repeated faults; no request reaches the upstream.' },
  },
});

@ObjectType({ description: 'Logical upstream requests (after retries) ending with one outcome.' })
export class OutcomeCount {
  @Field({ description: '`ok` or an UPSTREAM_* error code.' }) outcome!: string;
  @Field(() => Int, { description: 'Requests since the gateway process started.' }) count!: number;
}

@ObjectType({ description: 'Data-cache counters of one upstream since the process started (all operations).' })
export class UpstreamCacheStatus {
  @Field(() => Int, { description: 'Fresh answers from the in-process cache (L1).' }) hitsL1!: number;
  @Field(() => Int, { description: 'Fresh answers from the shared Redis cache (L2).' }) hitsL2!: number;
  @Field(() => Int, { description: 'Requests that had to wait for the upstream.' }) misses!: number;
  @Field(() => Int, { description: 'Stale answers served (provenance.stale = true), all reasons.' }) staleServed!: number;
  @Field(() => Int, { description: 'Stale answers served because the upstream failed (stale-if-error).' }) staleIfError!: number;
  @Field(() => Int, { description: 'Stale answers served while a refresh ran (stale-while-revalidate).' }) staleWhileRevalidate!: number;
}

@ObjectType({ description: 'Health and traffic of one upstream as this gateway process sees it (same numbers as /metrics).' })
export class UpstreamStatus {
  @Field({ description: 'Upstream name: pvog, thavel, geomis, geoproxy or dvdv.' }) name!: string;
  @Field(() => UpstreamMode, { description: 'Sandbox or configured upstream.' }) mode!: UpstreamMode;
  @Field(() => String, { nullable: true, description: 'Base URL in use; null in production (internal hostnames are not exposed).' })
  baseUrl!: string | null;
  @Field(() => BreakerState, { description: 'State of the circuit breaker towards the upstream.' }) breaker!: BreakerState;
  @Field(() => Int, { description: 'All logical requests since start.' }) requestsTotal!: number;
  @Field(() => [OutcomeCount], { description: 'Requests by outcome, most frequent first.' }) requests!: OutcomeCount[];
  @Field(() => UpstreamCacheStatus, { description: 'Data-cache counters for this upstream.' }) cache!: UpstreamCacheStatus;
}
