import { Entity, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';

/**
 * A GraphQL document registered for persisted-documents mode (DESIGN §6), addressed by the
 * lower-case hex SHA-256 of its body — the same id clients send (Apollo persisted-query style).
 * Content-addressed, so rows are immutable: re-registering the same body is a no-op.
 */
@Entity({ tableName: 'persisted_document' })
export class PersistedDocument {
  [PrimaryKeyProp]?: 'hash';
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'string', length: 64 })
  hash!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime', defaultRaw: 'current_timestamp' })
  createdAt: Date = new Date();
}
