import { isLeikaKey } from '../reference/leika';
import { BadInputError, NotFoundError } from '../schema/errors';
import { decodeCursor, pageSize, paginate } from '../schema/pagination';
import type { Connection } from '../schema/types/connection';
import type { AdministrativeService, Fee, Link, ProcessingTime, Responsibility, RichText, TextModule } from '../schema/types/administrative-service';
import type { OrganisationUnit, PostalAddress, ResponsibilityRole } from '../schema/types/organisation-unit';
import type { Route, SubmissionChannel } from '../schema/types/route';
import { htmlToText, sanitizeHtml } from '../upstreams/pvog/html';
import type { PvogLoaders } from '../upstreams/pvog/loaders';
import type { ServiceListing } from '../upstreams/pvog/client';
import type { AddressDto, ServiceDetail, ServiceSummary, UnitDetail, UnitRole, UnitTitle } from '../upstreams/pvog/mapper';
import { mergeProvenance, provenanceOf } from '../upstreams/runtime/source';
import type { ProvenanceInfo, Provenanced } from '../upstreams/runtime/source';
import type { MunicipalityService } from './municipalities';

/**
 * The service portal as resolvers see it (Leistungen, Organisationseinheiten, Zuständigkeiten, routes).
 * Resolvers never do HTTP: everything goes through the per-request PVOG loaders, so nested queries
 * share and batch upstream requests. Input is validated here, with errors naming the argument.
 */

/** LeiKa text-module codes the schema exposes as named fields. */
export const TEXT_MODULE = {
  shortText: '05',
  fullText: '06',
  legalBasis: '07',
  requiredDocuments: '08',
  prerequisites: '09',
  procedure: '11',
  forms: '14',
  furtherInformation: '15',
  notes: '16',
} as const;
export type TextModuleField = keyof typeof TEXT_MODULE;

const provenance = provenanceOf;
const oldest = (a: ProvenanceInfo, b: ProvenanceInfo): ProvenanceInfo => mergeProvenance([a, b]);

export function validateValidDate(validDate: string | null | undefined, argument = 'validDate'): string | undefined {
  if (validDate == null) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(validDate);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
  if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new BadInputError(argument, 'a calendar date yyyy-MM-dd, e.g. "2026-11-01"', validDate);
  }
  return validDate;
}

function role(r: UnitRole | null): ResponsibilityRole | null {
  return r ? { code: r.code, name: r.name, competent: r.code === '01' } : null;
}

function address(a: AddressDto): PostalAddress {
  const line1 = [a.street, a.houseNumber].filter(Boolean).join(' ');
  const line2 = [a.postalCode, a.city].filter(Boolean).join(' ');
  return { ...a, formatted: [line1, line2].filter(Boolean).join(', ') };
}

export function toOrganisationUnit(u: UnitDetail, p: ProvenanceInfo): OrganisationUnit {
  return {
    id: u.id,
    name: u.name,
    shortName: u.shortName,
    addresses: u.addresses.map(address),
    contact: u.contact,
    openingHours: u.openingHours,
    openingHoursNote: u.openingHoursNote,
    languages: u.languages,
    lastUpdate: u.lastUpdate,
    provenance: provenance(p),
  };
}

function toService(s: ServiceSummary, ars: string, p: ProvenanceInfo, validDate?: string): AdministrativeService {
  return {
    id: s.id,
    leikaKey: s.leikaKey && isLeikaKey(s.leikaKey) ? s.leikaKey : null,
    name: s.name, // plain text already (the mapper)
    ars,
    onlineServiceLinks: s.onlineServiceLinks.filter((l) => /^https?:/i.test(l.url)),
    provenance: provenance(p),
    validDate,
  };
}

const rich = (html: string): RichText => ({ html: sanitizeHtml(html), text: htmlToText(html) });

export class PortalService {
  constructor(
    private readonly municipalities: MunicipalityService,
    private readonly pvog: PvogLoaders,
  ) {}

  /** An ARS the reference register knows (any level); unknown → NOT_FOUND naming the key. */
  checkArs(ars: string, argument = 'ars'): string {
    return this.municipalities.checkArea(ars, argument);
  }

  async service(leikaKey: string, ars: string, validDate?: string): Promise<AdministrativeService | null> {
    this.checkArs(ars);
    const r = await this.pvog.serviceByLeika.load({ ars, leikaKey, validDate });
    if (!r.value) await this.requireCarried([leikaKey], 'leikaKey');
    return r.value ? toService(r.value, ars, r.provenance, validDate) : null;
  }

  /**
   * NOT_FOUND naming `argument` when no Leistung in Thüringen carries one of the keys (not merely none at the place
   * asked, which stays an empty answer). When the catalogue cannot be read in time, nothing is claimed.
   */
  async requireCarried(leikaKeys: string[], argument: string): Promise<void> {
    const unknown: string[] = [];
    await Promise.all(leikaKeys.map(async (k) => void ((await this.pvog.leikaCarried(k)) === false && unknown.push(k))));
    if (unknown.length === 0) return;
    unknown.sort();
    throw new NotFoundError('Leistung in the PVOG catalogue for Thüringen', argument, unknown.join(', '), unknown.length > 1 ? unknown : undefined);
  }

  /** Services at a place, ordered by PVOG id (the cursor key); by LeiKa list or all (optionally text-filtered). */
  async services(ars: string, opts: ServicesFilter): Promise<AdministrativeService[]> {
    return (await this.listing(ars, opts)).map(({ s, p }) => toService(s, ars, p, opts.validDate));
  }

  /**
   * One page of `services` (keyset cursor = PVOG id). Without a LeiKa list only the PVOG pages the slice needs
   * are read, and `totalCount` is PVOG's `totalElements`; a later page reuses the pages cached by this one.
   * Only the services on the page are mapped.
   */
  servicesPage(ars: string, opts: ServicesFilter, page: { first?: number | null; after?: string | null }): Connection<AdministrativeService> | Promise<Connection<AdministrativeService>> {
    if (opts.leikaKeys && opts.leikaKeys.length > 0) {
      return this.listing(ars, opts).then((list) => {
        const c = paginate(list, (x) => x.s.id, page);
        return { ...c, edges: c.edges.map((e) => ({ cursor: e.cursor, node: toService(e.node.s, ars, e.node.p, opts.validDate) })) };
      });
    }
    this.checkArs(ars);
    const window = { first: pageSize(page.first), after: page.after ? decodeCursor(page.after) : undefined };
    const key = { ars, validDate: opts.validDate, q: opts.query?.trim() || undefined, window };
    const toPage = (r: Provenanced<ServiceListing>): Connection<AdministrativeService> => {
      const c = paginate(sortedById(r.value.items), (s) => s.id, page, r.value.complete ? undefined : r.value.totalElements);
      return { ...c, edges: c.edges.map((e) => ({ cursor: e.cursor, node: toService(e.node, ars, r.provenance, opts.validDate) })) };
    };
    // A warm request has the listing at once (runtime/now.ts): no promise for the connection.
    const now = this.pvog.servicesByArsNow(key);
    return now ? toPage(now) : this.pvog.servicesByArs.load(key).then(toPage);
  }

  private async listing(ars: string, opts: ServicesFilter): Promise<Listed[]> {
    this.checkArs(ars);
    const { validDate } = opts;
    if (opts.leikaKeys && opts.leikaKeys.length > 0) {
      const found = await Promise.all(opts.leikaKeys.map((leikaKey) => this.pvog.serviceByLeika.load({ ars, leikaKey, validDate })));
      const absent = opts.leikaKeys.filter((_k, i) => !found[i].value);
      if (absent.length) await this.requireCarried([...new Set(absent)], 'leikaKeys');
      let list = found.flatMap((r) => (r.value ? [{ s: r.value, p: r.provenance }] : []));
      const q = opts.query?.trim().toLocaleLowerCase('de-DE');
      if (q) list = list.filter(({ s }) => s.name.toLocaleLowerCase('de-DE').includes(q));
      return byId(list);
    }
    const r = await this.pvog.servicesByArs.load({ ars, validDate, q: opts.query?.trim() || undefined });
    return byId(r.value.items.map((s) => ({ s, p: r.provenance })));
  }

  /** Full description (text modules…); null when PVOG has no detail for the place. */
  async detail(svc: AdministrativeService): Promise<ServiceDetail | null> {
    return (await this.pvog.serviceDetail.load({ lbId: svc.id, ars: svc.ars, validDate: svc.validDate })).value;
  }

  async textModules(svc: AdministrativeService, languageCode?: string | null): Promise<TextModule[]> {
    const d = await this.detail(svc);
    return (d?.textModules ?? [])
      .filter((t) => !languageCode || t.languageCode === languageCode)
      .map((t) => ({ code: t.code, kind: t.kind, languageCode: t.languageCode, html: sanitizeHtml(t.html), text: htmlToText(t.html) }));
  }

  /** One text module by field; German first, then any language. */
  async text(svc: AdministrativeService, field: TextModuleField): Promise<RichText | null> {
    const d = await this.detail(svc);
    const mods = (d?.textModules ?? []).filter((t) => t.code === TEXT_MODULE[field]);
    const m = mods.find((t) => t.languageCode === 'de') ?? mods[0];
    return m ? rich(m.html) : null;
  }

  async fees(svc: AdministrativeService): Promise<Fee[] | null> {
    return (await this.detail(svc))?.fees ?? null;
  }
  async deadlines(svc: AdministrativeService): Promise<string[] | null> {
    return (await this.detail(svc))?.deadlines.map((d) => d.description) ?? null;
  }
  async processingTime(svc: AdministrativeService): Promise<ProcessingTime | null> {
    const p = (await this.detail(svc))?.processingTime;
    return p ? { description: p.description, minDuration: p.min, maxDuration: p.max, unit: p.unit } : null;
  }
  async legalReferences(svc: AdministrativeService): Promise<string[] | null> {
    return (await this.detail(svc))?.legalBasis ?? null;
  }
  async forms(svc: AdministrativeService): Promise<Link[] | null> {
    return (await this.detail(svc))?.forms.filter((f) => /^https?:/i.test(f.url)) ?? null;
  }

  async responsibilities(svc: AdministrativeService): Promise<Responsibility[]> {
    const r = await this.pvog.unitTitles.load({ ars: svc.ars, lbId: svc.id });
    return sortTitles(r.value).map((t) => ({
      leikaKey: svc.leikaKey,
      serviceId: svc.id,
      ars: svc.ars,
      role: role(t.role),
      organisationUnitId: t.id,
      organisationUnitName: t.title,
      provenance: provenance(r.provenance),
    }));
  }

  async organisationUnit(id: string, validDate?: string): Promise<OrganisationUnit | null> {
    if (!id.trim() || id.length > 200) throw new BadInputError('id', 'a PVOG Organisationseinheit id such as "L100042.OE.868"', id);
    const r = await this.pvog.unitDetail.load({ id, validDate });
    return r.value ? toOrganisationUnit(r.value, r.provenance) : null;
  }

  /** The Zuständige Stelle (role 01) for a Leistung at a place; null when PVOG names none. */
  async responsibleUnit(ars: string, leikaKey: string, validDate?: string): Promise<OrganisationUnit | null> {
    const svc = await this.service(leikaKey, ars, validDate);
    if (!svc) return null;
    const titles = (await this.pvog.unitTitles.load({ ars, lbId: svc.id })).value;
    const competent = titles.find((t) => t.role?.code === '01');
    return competent ? this.organisationUnit(competent.id, validDate) : null;
  }

  /** Where to submit: one route per unit PVOG names for the Leistung at the place, competent units first. */
  async routes(leikaKey: string, ars: string, validDate?: string): Promise<Route[]> {
    const svc = await this.service(leikaKey, ars, validDate);
    if (!svc) return [];
    const titles = await this.pvog.unitTitles.load({ ars, lbId: svc.id });
    const units = await Promise.all(sortTitles(titles.value).map(async (t) => ({ t, u: await this.pvog.unitDetail.load({ id: t.id, validDate }) })));
    return units.map(({ t, u }) => {
      const unit = u.value ? toOrganisationUnit(u.value, u.provenance) : null;
      const addr = unit?.addresses[0] ?? null;
      const submission: SubmissionChannel[] = [
        ...svc.onlineServiceLinks.map((l) => ({ kind: 'ONLINE', target: l.url, title: l.title })),
        ...(addr ? [{ kind: 'POSTAL', target: `${t.title}, ${addr.formatted}`, title: null }] : []),
        ...(addr ? [{ kind: 'IN_PERSON', target: addr.formatted, title: unit?.openingHoursNote ?? null }] : []),
        ...(unit?.contact.email ? [{ kind: 'EMAIL', target: unit.contact.email, title: null }] : []),
      ];
      return {
        leikaKey,
        ars,
        organisationUnitId: t.id,
        destinationName: t.title,
        destinationShortName: unit?.shortName ?? null,
        role: role(t.role),
        organisationUnit: unit,
        contact: unit?.contact ?? null,
        address: addr,
        postalAddress: addr ? `${t.title}, ${addr.formatted}` : null,
        onlineServices: svc.onlineServiceLinks,
        submission,
        origin: 'PVOG',
        provenance: provenance(u.value ? oldest(titles.provenance, u.provenance) : titles.provenance),
      };
    });
  }
}

export interface ServicesFilter {
  leikaKeys?: string[] | null;
  query?: string | null;
  validDate?: string;
}

type Listed = { s: ServiceSummary; p: ProvenanceInfo };

const sortedListings = new WeakMap<readonly ServiceSummary[], readonly ServiceSummary[]>();

/**
 * A listing distinct by PVOG id and ordered by it (the cursor key), once per listing version: the PVOG client hands
 * every request the same items list while its cached pages are unchanged (runtime/paging.ts `joinPages`). Read-only.
 */
function sortedById(items: readonly ServiceSummary[]): readonly ServiceSummary[] {
  let sorted = sortedListings.get(items);
  if (!sorted) {
    sorted = [...new Map(items.map((s) => [s.id, s])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    sortedListings.set(items, sorted);
  }
  return sorted;
}

/** Distinct by PVOG id, ordered by it (the cursor key). */
function byId(list: Listed[]): Listed[] {
  const unique = new Map(list.map((x) => [x.s.id, x]));
  return [...unique.values()].sort((a, b) => (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0));
}

/** Competent authority (01) first, then by role code and id, so the answer order is stable. */
function sortTitles(titles: UnitTitle[]): UnitTitle[] {
  return [...titles].sort((a, b) => (a.role?.code ?? '99').localeCompare(b.role?.code ?? '99') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
