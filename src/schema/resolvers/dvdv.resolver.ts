import { Arg, Authorized, Ctx, Directive, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { DvdvOrganizationKeyScalar } from '../scalars/keys';
import { DirectoryOrganization, DirectoryService, DirectoryServiceElement, OsciRoute } from '../types/dvdv';
import { PRIVATE } from '../directives';

@Resolver(() => DirectoryOrganization)
export class DvdvQueryResolver {
  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => DirectoryOrganization, {
    nullable: true,
    description: 'DVDV organisation by key (findauthoritydescription). Without `category` the category of the key prefix (ags → Meldebehörde, …) is used. Integrator role.',
  })
  async directoryOrganization(
    @Ctx() ctx: GatewayContext,
    @Arg('key', () => DvdvOrganizationKeyScalar, { description: 'Behördenschlüssel (DVDV organisation key), e.g. "ags:16051000".' }) key: string,
    @Arg('category', () => String, { nullable: true, description: 'Behördenkategorie, e.g. "Meldebehörde".' }) category?: string,
  ): Promise<DirectoryOrganization | null> {
    return ctx.directory.organization(key, category);
  }

  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => [DirectoryOrganization], { nullable: true, description: 'Every DVDV organisation carrying the key, in any category (findauthoritydescriptions). Integrator role.' })
  async directoryOrganizations(@Ctx() ctx: GatewayContext, @Arg('key', () => DvdvOrganizationKeyScalar, { description: 'Behördenschlüssel (DVDV organisation key), e.g. "ags:16051000".' }) key: string): Promise<DirectoryOrganization[]> {
    return ctx.directory.organizations(key);
  }

  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => DirectoryService, {
    nullable: true,
    description: 'The currently valid service of an organisation (findservicedescription). Null when none; when only an invalid one exists, null plus an error DVDV_SERVICE_NOT_VALID with the directory warning. Integrator role.',
  })
  async directoryService(
    @Ctx() ctx: GatewayContext,
    @Arg('organizationKey', () => DvdvOrganizationKeyScalar, { description: 'Behördenschlüssel (DVDV organisation key), e.g. "ags:16051000".' }) organizationKey: string,
    @Arg('serviceUri', () => String, { description: 'Dienstbeschreibungs-URI (WSDL targetNamespace), e.g. "http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl".' }) serviceUri: string,
  ): Promise<DirectoryService | null> {
    return ctx.directory.service(organizationKey, serviceUri);
  }

  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => OsciRoute, {
    nullable: true,
    description: 'OSCI route (intermediary + addressee + content cipher certificate) for an organisation and service, in the given network variant. Integrator role.',
  })
  async directoryRoute(
    @Ctx() ctx: GatewayContext,
    @Arg('organizationKey', () => DvdvOrganizationKeyScalar, { description: 'Behördenschlüssel (DVDV organisation key), e.g. "ags:16051000".' }) organizationKey: string,
    @Arg('serviceUri', () => String, { description: 'Dienstbeschreibungs-URI (WSDL targetNamespace), e.g. "http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl".' }) serviceUri: string,
    @Arg('variant', () => String, { defaultValue: 'Internet', description: 'Network variant, e.g. "Internet" or "TESTA".' }) variant: string,
  ): Promise<OsciRoute | null> {
    return ctx.directory.route(organizationKey, serviceUri, variant);
  }

  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => [OsciRoute], { nullable: true, description: 'All OSCI routes (one per network variant) for an organisation and service. Integrator role.' })
  async directoryRoutes(
    @Ctx() ctx: GatewayContext,
    @Arg('organizationKey', () => DvdvOrganizationKeyScalar, { description: 'Behördenschlüssel (DVDV organisation key), e.g. "ags:16051000".' }) organizationKey: string,
    @Arg('serviceUri', () => String, { description: 'Dienstbeschreibungs-URI (WSDL targetNamespace), e.g. "http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl".' }) serviceUri: string,
  ): Promise<OsciRoute[]> {
    return ctx.directory.routes(organizationKey, serviceUri);
  }
}

@Resolver(() => DirectoryService)
export class DirectoryServiceResolver {
  @Authorized('integrator')
  @FieldResolver(() => [DirectoryServiceElement], {
    nullable: true,
    description: 'Dienstelemente of the currently valid version (findservicedescription, batched); null when this version is not the valid one.',
  })
  async elements(@Root() s: DirectoryService, @Ctx() ctx: GatewayContext): Promise<DirectoryServiceElement[] | null> {
    return ctx.directory.elementsOf(s);
  }

  @Authorized('integrator')
  @FieldResolver(() => [OsciRoute], { nullable: true, description: 'OSCI routes of the currently valid version, one per network variant.' })
  async routes(@Root() s: DirectoryService, @Ctx() ctx: GatewayContext): Promise<OsciRoute[] | null> {
    return ctx.directory.routesOf(s);
  }
}
