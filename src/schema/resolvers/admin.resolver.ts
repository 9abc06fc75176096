import { GraphQLError } from 'graphql';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { isUpstreamName, UPSTREAMS } from '../../upstreams/runtime/names';
import type { GatewayContext } from '../context';
import { BadInputError } from '../errors';
import { PurgeResult } from '../types/admin';

/** Admin-only operations (DESIGN §6). Admin = an API key of role `admin` or `Authorization: Bearer <ADMIN_TOKEN>` (README, Access control). */
@Resolver()
export class AdminResolver {
  @Mutation(() => PurgeResult, {
    description:
      'Admin: removes cached upstream data by upstream and/or key prefix ("<upstream>:<operation>:<key>") from the in-process cache, Redis and other replicas, and drops all cached GraphQL responses (this replica, Redis and, through Redis, every other replica).',
  })
  async purgeCache(
    @Ctx() ctx: GatewayContext,
    @Arg('upstream', () => String, { nullable: true, description: `One of ${UPSTREAMS.join(', ')}.` }) upstream?: string,
    @Arg('keyPrefix', () => String, { nullable: true, description: 'Prefix of the logical cache key, e.g. "pvog:servicedescriptions.byArs:".' })
    keyPrefix?: string,
  ): Promise<PurgeResult> {
    requireAdmin(ctx);
    if (upstream != null && !isUpstreamName(upstream)) throw new BadInputError('upstream', `one of ${UPSTREAMS.join(', ')}`, upstream);
    if (keyPrefix != null && keyPrefix.length === 0) throw new BadInputError('keyPrefix', 'a non-empty prefix of "<upstream>:<operation>:<key>"', keyPrefix);
    if (upstream == null && keyPrefix == null) throw new BadInputError('upstream', 'an upstream and/or a keyPrefix (purging everything by accident is not offered)');
    const r = await ctx.services.cache.purge({ upstream: upstream ?? undefined, keyPrefix: keyPrefix ?? undefined });
    const responses = (await ctx.services.ops?.purgeResponses()) ?? 0;
    return { ...r, responses };
  }
}

/** The one admin credential model, named in every refusal: an admin API key, or the ADMIN_TOKEN bearer token when configured. */
export const ADMIN_CREDENTIALS = ['x-api-key: <API key of role admin>', 'Authorization: Bearer <ADMIN_TOKEN>'] as const;

export function requireAdmin(ctx: GatewayContext): void {
  if (ctx.role === 'admin') return;
  const tokenConfigured = ctx.services.ops?.adminTokenConfigured ?? false;
  const how = tokenConfigured
    ? 'send an API key of role admin ("x-api-key: tg_…", created with "thuegate clients add --role admin") or "Authorization: Bearer <ADMIN_TOKEN>"'
    : 'send an API key of role admin ("x-api-key: tg_…", created with "thuegate clients add --role admin"); ADMIN_TOKEN is not configured on this gateway';
  throw new GraphQLError(`Admin role required: ${how}`, {
    extensions: { code: 'FORBIDDEN', accepted: tokenConfigured ? [...ADMIN_CREDENTIALS] : [ADMIN_CREDENTIALS[0]] },
  });
}
