import { BadInputError } from './errors';

/**
 * Global object identification (Relay spec, https://relay.dev/graphql/objectidentification.htm): every entity's `id` is
 * an opaque string made from its type name and its native key parts, so it is unique across types and a
 * client cache (Apollo `InMemoryCache`, urql Graphcache, Relay) can normalise by it. The parts are JSON in
 * base64url: native keys may contain ":" (DVDV keys "ags:16051000", service URIs). Clients must treat the
 * value as opaque; only this module reads it.
 */
const PREFIX = 'n1';

export function toGlobalId(type: string, ...key: string[]): string {
  return Buffer.from(JSON.stringify([PREFIX, type, ...key]), 'utf8').toString('base64url');
}

export interface GlobalId { type: string; key: string[] }

/** The type and key parts of a global id; null when `id` is not one this gateway made (e.g. a native key). */
export function parseGlobalId(id: string): GlobalId | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length < 3 || parts[0] !== PREFIX || !parts.every((p) => typeof p === 'string')) return null;
  const [, type, ...key] = parts as string[];
  // Only the canonical spelling: one entity, one id (a client cache compares ids as strings).
  return toGlobalId(type, ...key) === id ? { type, key } : null;
}

/** A global id of one of `types`, or BAD_USER_INPUT naming the argument. */
export function decodeGlobalId(id: string, argument: string, types: readonly string[]): GlobalId {
  const g = parseGlobalId(id);
  if (!g || !types.includes(g.type)) {
    throw new BadInputError(argument, `a global object id as returned in the \`id\` field of ${types.length === 1 ? types[0] : 'an entity (Node)'}`, id);
  }
  return g;
}

/**
 * For lookups that take either form (`organisationUnit(id:)`, `geoRecord(id:)`): the native key inside a
 * global id of `type`, or `id` itself when it is no global id (a native key, e.g. a PVOG id or fileIdentifier).
 */
export function nativeKey(id: string, argument: string, type: string): string {
  const g = parseGlobalId(id);
  if (!g) return id;
  if (g.type !== type || g.key.length !== 1) throw new BadInputError(argument, `a ${type} id (global, or its native key)`, id);
  return g.key[0];
}
