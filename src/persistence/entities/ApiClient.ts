import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** Roles a gateway API key can carry (DESIGN §6). Ordered from least to most privileged. */
export const API_CLIENT_ROLES = ['public', 'integrator', 'admin'] as const;
export type ApiClientRole = (typeof API_CLIENT_ROLES)[number];

/**
 * A caller of the gateway identified by an API key. Only a hash of the key is stored: keys are
 * long random secrets, so a plain SHA-256 (hex) is enough and keeps lookup a unique-index hit —
 * a slow KDF would only be needed for low-entropy secrets such as passwords.
 */
@Entity({ tableName: 'api_client' })
export class ApiClient {
  [OptionalProps]?: 'id' | 'role' | 'createdAt' | 'revokedAt' | 'lastUsedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Lower-case hex SHA-256 of the full key. */
  @Property({ type: 'string', length: 64, unique: true })
  keyHash!: string;

  /** The first characters of the key, so an operator can tell keys apart without seeing them. */
  @Property({ type: 'string', length: 16 })
  keyPrefix!: string;

  @Enum({ items: [...API_CLIENT_ROLES], type: 'string' })
  role: ApiClientRole = 'public';

  @Property({ type: 'datetime', defaultRaw: 'current_timestamp' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;
}
