import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { paginate } from '../pagination';
import { ARSScalar, LeikaKeyScalar } from '../scalars/keys';
import { AdministrativeService } from '../types/administrative-service';
import { Municipality, type MunicipalityRoot } from '../types/municipality';
import { DigitalOffer, OnlineService, OnlineServiceConnection } from '../types/online-service';
import { OrganisationUnit } from '../types/organisation-unit';
import { Route } from '../types/route';

const PAGE = { first: { nullable: true, description: 'Page size, 0 to 1000 (default 50).' }, after: { nullable: true, description: 'Cursor from a previous page (pageInfo.endCursor or an edge cursor); default: from the start.' } } as const;

@Resolver()
export class OnlineServiceQueryResolver {
  @Query(() => OnlineServiceConnection, {
    nullable: true,
    description: 'Online services (Onlinedienste) for a place, merged from the ThAVEL catalogue and PVOG, ordered by id. URLs are data only.',
  })
  async onlineServices(
    @Ctx() ctx: GatewayContext,
    @Arg('ars', () => ARSScalar, { description: 'Amtlicher Regionalschlüssel (ARS) of the place: 2, 3, 5, 9 or 12 digits, e.g. "160510000000".' }) ars: string,
    @Arg('leikaKey', () => LeikaKeyScalar, { nullable: true, description: 'Only services for this Leistung.' }) leikaKey?: string,
    @Arg('first', () => Int, PAGE.first) first?: number,
    @Arg('after', () => String, PAGE.after) after?: string,
  ) {
    return paginate(await ctx.onlineServices.at(ars, leikaKey, 'ars', { leikaKeyArgument: true }), (o) => o.id, { first, after });
  }
}

@Resolver(() => Municipality)
export class MunicipalityOnlineResolver {
  @FieldResolver(() => OnlineServiceConnection, { nullable: true, description: 'Online services applicable here, including inherited Kreis and Land forms.' })
  async onlineServices(
    @Root() m: MunicipalityRoot,
    @Ctx() ctx: GatewayContext,
    @Arg('leikaKey', () => LeikaKeyScalar, { description: 'LeiKa key (Leistungsschlüssel, 14 digits), e.g. "99008001012000".', nullable: true }) leikaKey?: string,
    @Arg('first', () => Int, PAGE.first) first?: number,
    @Arg('after', () => String, PAGE.after) after?: string,
  ) {
    return paginate(await ctx.onlineServices.at(m.ars, leikaKey, 'ars', { leikaKeyArgument: true }), (o) => o.id, { first, after });
  }

  @FieldResolver(() => DigitalOffer, { nullable: true, description: 'How many of the Leistungen relevant here can be applied for online, and which cannot.' })
  digitalOffer(@Root() m: MunicipalityRoot, @Ctx() ctx: GatewayContext) {
    return ctx.onlineServices.digitalOffer(m.ars);
  }
}

@Resolver(() => AdministrativeService)
export class AdministrativeServiceOnlineResolver {
  @FieldResolver(() => [OnlineService], { nullable: true, description: 'Online services for this Leistung at this place (ThAVEL catalogue + PVOG).' })
  onlineServices(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return ctx.onlineServices.forService(s);
  }
}

@Resolver(() => OrganisationUnit)
export class OrganisationUnitOnlineResolver {
  @FieldResolver(() => [OnlineService], { nullable: true, description: 'Online services this unit provides according to the ThAVEL catalogue.' })
  onlineServices(@Root() u: OrganisationUnit, @Ctx() ctx: GatewayContext) {
    return ctx.onlineServices.forUnit(u.id);
  }
}

@Resolver(() => Route)
export class RouteOnlineResolver {
  @FieldResolver(() => [OnlineService], {
    nullable: true,
    description: 'Online services for this Leistung at this place, merged from the ThAVEL catalogue and PVOG (URLs are data only).',
  })
  onlineServices(@Root() r: Route, @Ctx() ctx: GatewayContext) {
    return ctx.onlineServices.at(r.ars, r.leikaKey);
  }
}
