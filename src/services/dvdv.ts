import { GraphQLError } from 'graphql';
import { BadInputError } from '../schema/errors';
import type { DirectoryOrganization, DirectoryService, DirectoryServiceElement, OsciRoute } from '../schema/types/dvdv';
import type { OrganisationUnit } from '../schema/types/organisation-unit';
import type { DvdvDirectory } from '../upstreams/dvdv/client';
import type { DvdvLoaders } from '../upstreams/dvdv/loaders';
import { osciRoutes, toDirectoryService, toElement, toOrganization } from '../upstreams/dvdv/mapper/views';
import type { CallContext } from '../upstreams/runtime/source';

/**
 * The DVDV directory as resolvers see it (integrator role, checked by the schema): lookups go through the
 * per-request loaders (batched, deduplicated), the category tree through the process-wide directory client.
 * Built per request by the context factory; input is validated here, with errors naming the argument.
 */
export class DvdvService {
  constructor(
    private readonly directory: DvdvDirectory,
    private readonly loaders: DvdvLoaders,
    private readonly call: CallContext,
  ) {}

  /** By key; without `category` the category the key's prefix stands for in the directory's own tree. */
  async organization(key: string, category?: string | null): Promise<DirectoryOrganization | null> {
    let cat = category ?? undefined;
    if (!cat) {
      const tree = await this.directory.categories(this.call);
      cat = categoryForPrefix(tree.value, key.slice(0, key.indexOf(':')));
      if (!cat) throw new BadInputError('category', `a Behördenkategorie: the prefix of "${key}" names none, so give it explicitly`);
    }
    const r = await this.loaders.authority.load({ organizationKey: key, category: cat });
    return r.value ? toOrganization(r.value, key, r.provenance) : null;
  }

  async organizations(key: string): Promise<DirectoryOrganization[]> {
    const r = await this.directory.findAuthorities(key, this.call);
    return r.value.map((o) => toOrganization(o, key, r.provenance));
  }

  async service(organizationKey: string, serviceUri: string): Promise<DirectoryService | null> {
    const r = await this.validService(organizationKey, serviceUri);
    return r.value.service ? toDirectoryService(r.value.service, organizationKey) : null;
  }

  async routes(organizationKey: string, serviceUri: string): Promise<OsciRoute[]> {
    const r = await this.validService(organizationKey, serviceUri);
    return r.value.service ? osciRoutes(r.value.service, organizationKey, r.provenance) : [];
  }

  async route(organizationKey: string, serviceUri: string, variant: string): Promise<OsciRoute | null> {
    return (await this.routes(organizationKey, serviceUri)).find((x) => x.variant === variant) ?? null;
  }

  /** Dienstelemente of the currently valid version; null when `s` is not that version. */
  async elementsOf(s: DirectoryService): Promise<DirectoryServiceElement[] | null> {
    const r = await this.loaders.service.load({ organizationKey: s.organizationKey, serviceUri: s.specificationUri });
    const svc = r.value.service;
    if (!svc || (s.validFrom && svc.validFrom && Date.parse(svc.validFrom) !== s.validFrom.getTime())) return null;
    return svc.elements.map(toElement);
  }

  async routesOf(s: DirectoryService): Promise<OsciRoute[] | null> {
    const r = await this.loaders.service.load({ organizationKey: s.organizationKey, serviceUri: s.specificationUri });
    return r.value.service ? osciRoutes(r.value.service, s.organizationKey, r.provenance) : null;
  }

  /** A municipality's Melde-, Pass- and Personalausweisbehörde entries (one per category found). */
  async forMunicipality(ags: string, categories?: string[] | null): Promise<DirectoryOrganization[]> {
    const wanted = categories ?? MUNICIPALITY_CATEGORIES;
    for (const c of wanted) if (!MUNICIPALITY_KEY_FORMS[c]) throw new BadInputError('categories', `a list of ${MUNICIPALITY_CATEGORIES.join(', ')}`, c);
    const found = await Promise.all(
      wanted.map(async (category) => {
        const key = MUNICIPALITY_KEY_FORMS[category](ags);
        const r = await this.loaders.authority.load({ organizationKey: key, category });
        return r.value ? toOrganization(r.value, key, r.provenance) : null;
      }),
    );
    return found.filter((o): o is DirectoryOrganization => o !== null);
  }

  /**
   * DVDV has no link to PVOG, so the link is derived: the municipality keys (ags:/psb:/pab:) of the unit's
   * address AGS, kept only where the DVDV entry carries the unit's name. A unit whose DVDV name differs from
   * its PVOG name is therefore not linked (a miss, never a wrong link).
   */
  async forUnit(unit: OrganisationUnit): Promise<DirectoryOrganization[]> {
    const agsList = [...new Set(unit.addresses.map((a) => a.ags).filter((a): a is string => !!a && /^\d{8}$/.test(a)))];
    const name = unit.name.trim().toLowerCase();
    const found = await Promise.all(
      agsList.flatMap((ags) =>
        MUNICIPALITY_CATEGORIES.map(async (category) => {
          const key = MUNICIPALITY_KEY_FORMS[category](ags);
          const r = await this.loaders.authority.load({ organizationKey: key, category });
          return r.value && r.value.name.trim().toLowerCase() === name ? toOrganization(r.value, key, r.provenance) : null;
        }),
      ),
    );
    return found.filter((o): o is DirectoryOrganization => o !== null);
  }

  /** Null for "no valid service"; a 204 with warning becomes an error entry carrying the directory's warning. */
  private async validService(organizationKey: string, serviceUri: string) {
    const r = await this.loaders.service.load({ organizationKey, serviceUri: serviceUriArg(serviceUri) });
    if (!r.value.service && r.value.warning) {
      throw new GraphQLError('DVDV lists this service for the organisation, but no currently valid version', {
        extensions: { code: 'DVDV_SERVICE_NOT_VALID', warning: r.value.warning, upstream: 'dvdv' },
      });
    }
    return r;
  }
}

function serviceUriArg(uri: string): string {
  if (uri.length < 9 || uri.length > 1000 || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(uri)) {
    throw new BadInputError('serviceUri', 'a service specification URI (WSDL targetNamespace, 9–1000 characters), e.g. "http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl"', uri);
  }
  return uri;
}

/** Organisation-key prefixes for municipality-level categories (docs/upstreams/dvdv.md §3): `ags:<AGS>`, `psb:/pab:<AGS>_00`. */
export const MUNICIPALITY_KEY_FORMS: Record<string, (ags: string) => string> = {
  Meldebehörde: (ags) => `ags:${ags}`,
  Passbehörde: (ags) => `psb:${ags}_00`,
  Personalausweisbehörde: (ags) => `pab:${ags}_00`,
};
export const MUNICIPALITY_CATEGORIES = Object.keys(MUNICIPALITY_KEY_FORMS);

/** The category a key's prefix stands for, from the directory's own category tree (prefix ↔ category). */
export function categoryForPrefix(tree: { name: string; prefix: string | null; children: unknown[] }[], prefix: string): string | undefined {
  for (const c of tree) {
    if (c.prefix === prefix) return c.name;
    const inner = categoryForPrefix(c.children as typeof tree, prefix);
    if (inner) return inner;
  }
  return undefined;
}
