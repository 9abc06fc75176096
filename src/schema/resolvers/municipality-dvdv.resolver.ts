import { Arg, Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { MUNICIPALITY_CATEGORIES as CATEGORIES } from '../../services/dvdv';
import type { GatewayContext } from '../context';
import { DirectoryOrganization } from '../types/dvdv';
import { Municipality, type MunicipalityRoot } from '../types/municipality';
import { OrganisationUnit } from '../types/organisation-unit';
import { PRIVATE } from '../directives';

/** DVDV links of a municipality: its Melde-, Pass- and Personalausweisbehörde entries (batched per request). */
@Resolver(() => Municipality)
export class MunicipalityDvdvResolver {
  @Authorized('integrator')
  @Directive(PRIVATE)
  @FieldResolver(() => [DirectoryOrganization], {
    nullable: true,
    description: `DVDV entries for this municipality's keys (ags:<AGS>, psb:/pab:<AGS>_00), one per category found. Categories: ${CATEGORIES.join(', ')} (default: all). Integrator role.`,
  })
  async directoryOrganizations(
    @Root() m: MunicipalityRoot,
    @Ctx() ctx: GatewayContext,
    @Arg('categories', () => [String], { description: 'Behördenkategorien to look up; default: all of them.', nullable: true }) categories?: string[],
  ): Promise<DirectoryOrganization[]> {
    return ctx.directory.forMunicipality(m.ags, categories);
  }
}

/** DVDV entries of an Organisationseinheit, derived from its address AGS and name (see DvdvService.forUnit). */
@Resolver(() => OrganisationUnit)
export class OrganisationUnitDvdvResolver {
  @Authorized('integrator')
  @Directive(PRIVATE)
  @FieldResolver(() => [DirectoryOrganization], {
    nullable: true,
    description: `DVDV entries of this unit: ${CATEGORIES.join(', ')} entries under its address AGS whose name equals the unit name. Integrator role.`,
  })
  async directoryOrganizations(@Root() unit: OrganisationUnit, @Ctx() ctx: GatewayContext): Promise<DirectoryOrganization[]> {
    return ctx.directory.forUnit(unit);
  }
}
