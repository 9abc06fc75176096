import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a piece of data came from and how fresh it is (Herkunft und Aktualität).' })
export class Provenance {
  @Field({ description: 'Source system: an upstream name (pvog, thavel, geomis, geoproxy, dvdv) or a reference data set.' })
  source!: string;

  @Field({ description: 'When the gateway obtained the data, or the reference date (Stichtag) of a reference data set.' })
  fetchedAt!: Date;

  @Field({ description: 'True when served from cache after its freshness lifetime (stale-while-revalidate or stale-if-error).' })
  stale!: boolean;

  @Field({ nullable: true, description: 'Human-readable attribution required by the source licence.' })
  attribution?: string;
}
