import { Arg, Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { MUNICIPALITY_KEY_FORMS } from '../../services/dvdv';
import type { GatewayContext } from '../context';
import { BadInputError } from '../errors';
import { DirectoryOrganization } from '../types/dvdv';
import { Municipality } from '../types/municipality';
import { OrganisationUnit } from '../types/organisation-unit';
import { toOrganization } from './dvdv.resolver';
import { PRIVATE } from '../directives';

const CATEGORIES = Object.keys(MUNICIPALITY_KEY_FORMS);

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
    @Root() m: Municipality,
    @Ctx() ctx: GatewayContext,
    @Arg('categories', () => [String], { nullable: true }) categories?: string[],
  ): Promise<DirectoryOrganization[]> {
    const wanted = categories ?? CATEGORIES;
    for (const c of wanted) if (!MUNICIPALITY_KEY_FORMS[c]) throw new BadInputError('categories', `a list of ${CATEGORIES.join(', ')}`, c);
    const found = await Promise.all(
      wanted.map(async (category) => {
        const key = MUNICIPALITY_KEY_FORMS[category](m.ags);
        const r = await ctx.loaders.dvdv.authority.load({ organizationKey: key, category });
        return r.value ? toOrganization(r.value, key, r.provenance) : null;
      }),
    );
    return found.filter((o): o is DirectoryOrganization => o !== null);
  }
}

/**
 * DVDV entries of an Organisationseinheit. DVDV has no link to PVOG, so the link is derived: the municipality
 * keys (ags:/psb:/pab:) of the unit's address AGS, kept only where the DVDV entry carries the unit's name.
 * A unit whose DVDV name differs from its PVOG name is therefore not linked (a miss, never a wrong link).
 */
@Resolver(() => OrganisationUnit)
export class OrganisationUnitDvdvResolver {
  @Authorized('integrator')
  @Directive(PRIVATE)
  @FieldResolver(() => [DirectoryOrganization], {
    nullable: true,
    description: `DVDV entries of this unit: ${CATEGORIES.join(', ')} entries under its address AGS whose name equals the unit name. Integrator role.`,
  })
  async directoryOrganizations(@Root() unit: OrganisationUnit, @Ctx() ctx: GatewayContext): Promise<DirectoryOrganization[]> {
    const agsList = [...new Set(unit.addresses.map((a) => a.ags).filter((a): a is string => !!a && /^\d{8}$/.test(a)))];
    const name = unit.name.trim().toLowerCase();
    const found = await Promise.all(
      agsList.flatMap((ags) =>
        CATEGORIES.map(async (category) => {
          const key = MUNICIPALITY_KEY_FORMS[category](ags);
          const r = await ctx.loaders.dvdv.authority.load({ organizationKey: key, category });
          return r.value && r.value.name.trim().toLowerCase() === name ? toOrganization(r.value, key, r.provenance) : null;
        }),
      ),
    );
    return found.filter((o): o is DirectoryOrganization => o !== null);
  }
}
