import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What an admin cache purge removed.' })
export class PurgeResult {
  @Field(() => Int, { description: 'Distinct data-cache entries removed (in-process and Redis).' }) purged!: number;
  @Field(() => Int, { description: 'Entries removed from the in-process data cache.' }) l1!: number;
  @Field(() => Int, { description: 'Entries removed from the shared Redis cache.' }) l2!: number;
  @Field({ description: 'False when Redis was unreachable or failed mid-purge: entries may survive there.' }) l2Complete!: boolean;
  @Field(() => Int, { description: 'Cached GraphQL responses dropped in this process (all of them: any may contain purged data).' })
  responses!: number;
}
