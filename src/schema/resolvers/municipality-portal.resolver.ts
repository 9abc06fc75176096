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
  async services(
    @Root() m: MunicipalityRoot,
    @Ctx() ctx: GatewayContext,
    @Arg('query', () => String, { nullable: true }) query?: string,
    @Arg('leikaKeys', () => [LeikaKeyScalar], { nullable: true }) leikaKeys?: string[],
    @Arg('validDate', () => String, { nullable: true, description: 'yyyy-MM-dd; default: today.' }) validDate?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
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
    @Arg('leikaKey', () => LeikaKeyScalar) leikaKey: string,
    @Arg('validDate', () => String, { nullable: true }) validDate?: string,
  ) {
    return ctx.portal.responsibleUnit(m.ars, leikaKey, validateValidDate(validDate));
  }
}
