import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { GatewayContext, Role } from './context';

const RANK: Record<Role, number> = { public: 0, integrator: 1, admin: 2 };

/** Roles a caller holds: each role includes the ones below it (admin ⊃ integrator ⊃ public). */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/**
 * Raised for a field the caller's role may not read. The message names only the role needed —
 * never the value, the key asked for or whether it exists, so errors leak nothing restricted.
 */
export class ForbiddenError extends GraphQLError {
  constructor(required: Role) {
    super(`This field requires the ${required} role`, { extensions: { code: 'FORBIDDEN', requiredRole: required } });
  }
}

/**
 * type-graphql auth checker for `@Authorized('integrator')`. Throwing (instead of returning false)
 * gives our FORBIDDEN code; on a nullable field graphql-js turns it into null + one error for that path.
 * Resolvers behind the check never run, so no upstream call happens and nothing reaches a cache.
 */
export const roleAuthChecker: AuthChecker<GatewayContext, Role> = ({ context }, roles) => {
  const required: Role = roles.length === 0 ? 'integrator' : roles.reduce((a, r) => (RANK[r] < RANK[a] ? r : a));
  if (hasRole(context.role, required)) return true;
  throw new ForbiddenError(required);
};
