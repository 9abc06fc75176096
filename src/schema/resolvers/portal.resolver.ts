import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { validateValidDate, type TextModuleField } from '../../services/portal';
import type { GatewayContext } from '../context';
import { nativeKey } from '../node-id';
import { paginate } from '../pagination';
import { ARSScalar, LeikaKeyScalar } from '../scalars/keys';
import {
  AdministrativeService,
  AdministrativeServiceConnection,
  Fee,
  Link,
  ProcessingTime,
  Responsibility,
  RichText,
  TextModule,
} from '../types/administrative-service';
import { OrganisationUnit } from '../types/organisation-unit';
import { Route } from '../types/route';

const VALID_DATE = { nullable: true, description: 'Day (yyyy-MM-dd) the descriptions must be valid on; default: today.' } as const;

@Resolver()
export class PortalQueryResolver {
  @Query(() => AdministrativeService, {
    nullable: true,
    description: 'One Leistung (by LeiKa key) as described for a place; null when PVOG has no description for that key there.',
  })
  service(
    @Ctx() ctx: GatewayContext,
    @Arg('leikaKey', () => LeikaKeyScalar, { description: 'LeiKa key (Leistungsschlüssel, 14 digits), e.g. "99008001012000".' }) leikaKey: string,
    @Arg('ars', () => ARSScalar, { description: 'Amtlicher Regionalschlüssel (ARS) of the place: 2, 3, 5, 9 or 12 digits, e.g. "160510000000".' }) ars: string,
    @Arg('validDate', () => String, VALID_DATE) validDate?: string,
  ) {
    return ctx.portal.service(leikaKey, ars, validateValidDate(validDate));
  }

  @Query(() => AdministrativeServiceConnection, {
    nullable: true,
    description: 'Leistungen offered at a place (including those of the Kreis, the Land and the Bund), ordered by PVOG id.',
  })
  services(
    @Ctx() ctx: GatewayContext,
    @Arg('ars', () => ARSScalar, { description: 'Amtlicher Regionalschlüssel (ARS) of the place: 2, 3, 5, 9 or 12 digits, e.g. "160510000000".' }) ars: string,
    @Arg('query', () => String, { nullable: true, description: 'Text filter on the name.' }) query?: string,
    @Arg('leikaKeys', () => [LeikaKeyScalar], { nullable: true, description: 'Only these LeiKa keys.' }) leikaKeys?: string[],
    @Arg('validDate', () => String, VALID_DATE) validDate?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 1000 (default 50).' }) first?: number,
    @Arg('after', () => String, { description: 'Cursor from a previous page (pageInfo.endCursor or an edge cursor); default: from the start.', nullable: true }) after?: string,
  ) {
    return ctx.portal.servicesPage(ars, { leikaKeys, query, validDate: validateValidDate(validDate) }, { first, after });
  }

  @Query(() => OrganisationUnit, { nullable: true, description: 'One Organisationseinheit by its global `id` or its PVOG id (`pvogId`); null when PVOG does not know it.' })
  organisationUnit(
    @Ctx() ctx: GatewayContext,
    @Arg('id', () => ID, { description: 'The global `id` of the OrganisationUnit or its PVOG id, e.g. "L100042.OE.868".' }) id: string,
    @Arg('validDate', () => String, VALID_DATE) validDate?: string,
  ) {
    return ctx.portal.organisationUnit(nativeKey(id, 'id', 'OrganisationUnit'), validateValidDate(validDate));
  }

  @Query(() => [Route], {
    nullable: true,
    description: 'Where to submit a Leistung for a place (cf. FIT-Connect GET /routes); empty when PVOG names no unit there.',
  })
  routes(
    @Ctx() ctx: GatewayContext,
    @Arg('leikaKey', () => LeikaKeyScalar, { description: 'LeiKa key (Leistungsschlüssel, 14 digits), e.g. "99008001012000".' }) leikaKey: string,
    @Arg('ars', () => ARSScalar, { description: 'Amtlicher Regionalschlüssel (ARS) of the place: 2, 3, 5, 9 or 12 digits, e.g. "160510000000".' }) ars: string,
    @Arg('validDate', () => String, VALID_DATE) validDate?: string,
  ) {
    return ctx.portal.routes(leikaKey, ars, validateValidDate(validDate));
  }
}

const text = (field: TextModuleField) => (ctx: GatewayContext, svc: AdministrativeService) => ctx.portal.text(svc, field);

/** Detail fields load the description lazily (one request per service and place, shared by all fields). */
@Resolver(() => AdministrativeService)
export class AdministrativeServiceResolver {
  @FieldResolver(() => [TextModule], { nullable: true, description: 'All text modules, optionally of one language.' })
  textModules(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext, @Arg('languageCode', () => String, { description: 'Only text modules in this language (ISO 639-1, e.g. "de"); default: all languages.', nullable: true }) languageCode?: string) {
    return ctx.portal.textModules(s, languageCode);
  }
  @FieldResolver(() => RichText, { nullable: true, description: 'Kurztext (module 05).' })
  shortText(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return text('shortText')(ctx, s);
  }
  @FieldResolver(() => RichText, { nullable: true, description: 'Volltext (module 06).' })
  fullText(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return text('fullText')(ctx, s);
  }
  @FieldResolver(() => RichText, { nullable: true, description: 'Handlungsgrundlagen / legal basis (module 07).' })
  legalBasis(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return text('legalBasis')(ctx, s);
  }
  @FieldResolver(() => RichText, { nullable: true, description: 'Erforderliche Unterlagen (module 08).' })
  requiredDocuments(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return text('requiredDocuments')(ctx, s);
  }
  @FieldResolver(() => RichText, { nullable: true, description: 'Voraussetzungen (module 09).' })
  prerequisites(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return text('prerequisites')(ctx, s);
  }
  @FieldResolver(() => RichText, { nullable: true, description: 'Verfahrensablauf (module 11).' })
  procedure(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return text('procedure')(ctx, s);
  }
  @FieldResolver(() => RichText, { nullable: true, description: 'Formulare (module 14).' })
  formsText(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return text('forms')(ctx, s);
  }
  @FieldResolver(() => RichText, { nullable: true, description: 'Weiterführende Informationen (module 15).' })
  furtherInformation(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return text('furtherInformation')(ctx, s);
  }
  @FieldResolver(() => [Fee], { nullable: true, description: 'Kosten.' })
  fees(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return ctx.portal.fees(s);
  }
  @FieldResolver(() => [String], { nullable: true, description: 'Fristen.' })
  deadlines(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return ctx.portal.deadlines(s);
  }
  @FieldResolver(() => ProcessingTime, { nullable: true, description: 'Bearbeitungsdauer.' })
  processingTime(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return ctx.portal.processingTime(s);
  }
  @FieldResolver(() => [String], { nullable: true, description: 'Rechtsgrundlagen as a list of titles.' })
  legalReferences(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return ctx.portal.legalReferences(s);
  }
  @FieldResolver(() => [Link], { nullable: true, description: 'Forms (Formulare) as links.' })
  forms(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return ctx.portal.forms(s);
  }
  @FieldResolver(() => [Responsibility], { nullable: true, description: 'Zuständigkeiten at this place: units and their roles, competent authority first.' })
  responsibilities(@Root() s: AdministrativeService, @Ctx() ctx: GatewayContext) {
    return ctx.portal.responsibilities(s);
  }
}

@Resolver(() => Responsibility)
export class ResponsibilityResolver {
  @FieldResolver(() => OrganisationUnit, { nullable: true })
  organisationUnit(@Root() r: Responsibility, @Ctx() ctx: GatewayContext) {
    return ctx.portal.organisationUnit(r.organisationUnitId);
  }
}
