import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a piece of data came from and how fresh it is (Herkunft und Aktualität).' })
export class Provenance {
  @Field({ description: 'Source system: an upstream name (pvog, thavel, geomis, geoproxy, dvdv) or a reference data set.' })
  source!: string;

  @Field({ description: 'When the gateway obtained the data, or the reference date (Stichtag) of a reference data set.' })
  fetchedAt!: Date;

  @Field({ description: 'True when served after its freshness lifetime: from cache (stale-while-revalidate or stale-if-error) or, with the upstream down and the caches empty, from the latest harvest snapshot (then `fetchedAt` is when the snapshot read the upstream, and `extensions.warnings` says so).' })
  stale!: boolean;

  @Field({ nullable: true, description: 'Human-readable attribution required by the source licence.' })
  attribution?: string;
}
