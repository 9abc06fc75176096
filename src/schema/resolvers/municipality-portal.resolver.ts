import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { validateValidDate } from '../../services/portal';
import type { GatewayContext } from '../context';
import { LeikaKeyScalar } from '../scalars/keys';
import { AdministrativeServiceConnection } from '../types/administrative-service';
import { Municipality, type MunicipalityRoot } from '../types/municipality';
import { OrganisationUnit } from '../types/organisation-unit';

/** Service-portal fields on Municipality (kept apart from the reference-data resolver). */
@Resolver(() => Municipality)
export class MunicipalityPortalResolver {
  @FieldResolver(() => AdministrativeServiceConnection, {
    nullable: true,
    description: 'Leistungen offered here, including those inherited from the Kreis, the Land and the Bund (PVOG).',
  })
  services(
    @Root() m: MunicipalityRoot,
    @Ctx() ctx: GatewayContext,
    @Arg('query', () => String, { description: 'Text filter on the name of the Leistung.', nullable: true }) query?: string,
    @Arg('leikaKeys', () => [LeikaKeyScalar], { description: 'Only these LeiKa keys.', nullable: true }) leikaKeys?: string[],
    @Arg('validDate', () => String, { nullable: true, description: 'yyyy-MM-dd; default: today.' }) validDate?: string,
    @Arg('first', () => Int, { description: 'Page size, 0 to 1000 (default 50).', nullable: true }) first?: number,
    @Arg('after', () => String, { description: 'Cursor from a previous page (pageInfo.endCursor or an edge cursor); default: from the start.', nullable: true }) after?: string,
  ) {
    return ctx.portal.servicesPage(m.ars, { leikaKeys, query, validDate: validateValidDate(validDate) }, { first, after });
  }

  @FieldResolver(() => OrganisationUnit, {
    nullable: true,
    description: 'Zuständige Stelle (role 01) for a Leistung here; null when PVOG names none.',
  })
  responsibleUnit(
    @Root() m: MunicipalityRoot,
    @Ctx() ctx: GatewayContext,
    @Arg('leikaKey', () => LeikaKeyScalar, { description: 'LeiKa key (Leistungsschlüssel, 14 digits), e.g. "99008001012000".' }) leikaKey: string,
    @Arg('validDate', () => String, { description: 'Day (yyyy-MM-dd) the descriptions must be valid on; default: today.', nullable: true }) validDate?: string,
  ) {
    return ctx.portal.responsibleUnit(m.ars, leikaKey, validateValidDate(validDate));
  }
}
