import { type ClassType, Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' }) hasNextPage!: boolean;
  @Field({ description: 'True when items precede this page.' }) hasPreviousPage!: boolean;
  @Field(() => String, { description: 'Cursor of the first edge.', nullable: true }) startCursor!: string | null;
  @Field(() => String, { description: 'Cursor of the last edge; pass it as `after` for the next page.', nullable: true }) endCursor!: string | null;
}

export interface Edge<T> { cursor: string; node: T }
export interface Connection<T> { edges: Edge<T>[]; pageInfo: PageInfo; totalCount: number }

/** Relay connection + edge types for one node type (type-graphql has no generics in SDL). */
export function ConnectionType<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page, with its cursor (Relay edge).` })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this item; pass it as `after` to continue after it.' }) cursor!: string;
    @Field(() => node, { description: `The ${name}.` }) node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items (Relay connection).` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: 'The items of this page with their cursors.' }) edges!: EdgeType[];
    @Field(() => PageInfo, { description: 'Whether more pages exist, and the cursors to fetch them.' }) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Number of items matching the filter, over all pages.' }) totalCount!: number;
  }
  return ConnectionClass;
}
