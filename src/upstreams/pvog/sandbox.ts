import { json, problem, type SandboxRequest, type SandboxRoute } from '../../sandbox/http';
import { indexWorld, type WorldIndex } from '../../sandbox/world';
import type { OnlineService, OrganisationUnit, Responsibility, ServiceLevel, World, WorldService } from '../../sandbox/world/types';
import { PVOG_PATHS } from './client';
import { ROLE_NAMES, renderXzufiPage } from '../../formats/xzufi/render';

/**
 * The PVOG sandbox: the Suchdienst endpoints the adapter uses plus the Bereitstelldienst bulk feed,
 * rendered from the sandbox world. Field names follow docs/upstreams/portal-pvog.md; where the public sources name no
 * field, the adapter and this sandbox agree on one (marked [sandbox] in mapper.ts).
 */

const PROBLEM = 'https://pvog.sandbox.invalid/problems/';
/** Tiers visible when a place is given by a shorter ARS (PVOG answers with what is valid for the whole area). */
const LEVELS_BY_LENGTH: Record<number, ServiceLevel[]> = {
  2: ['federal', 'land'],
  3: ['federal', 'land'],
  5: ['federal', 'land', 'district'],
  9: ['federal', 'land', 'district', 'verband'],
};
const BULK_PAGE_OBJECTS = 60;
export const ONLINE_PAGE_SIZE = 10;

interface Place {
  /** Responsibilities valid for the place (for shorter ARS: those of one member, restricted to area-wide tiers). */
  responsibilities: Responsibility[];
}

function placeOf(ix: WorldIndex, world: World, ars: string): Place | undefined {
  if (ars.length === 12) {
    const r = ix.responsibilitiesByArs.get(ars);
    return r ? { responsibilities: r } : undefined;
  }
  const levels = LEVELS_BY_LENGTH[ars.length];
  const member = levels && world.municipalities.find((m) => m.ars.startsWith(ars));
  if (!member) return undefined;
  return { responsibilities: (ix.responsibilitiesByArs.get(member.ars) ?? []).filter((r) => levels.includes(r.inheritedFrom)) };
}

/** `/v6/…/detail` gets right-padded ARS (`16067` → `160670000000`): read them back at their own level. */
function unpad(ix: WorldIndex, world: World, ars: string): string {
  if (ix.municipalityByArs.has(ars)) return ars;
  for (const len of [9, 5, 3, 2]) {
    const prefix = ars.slice(0, len);
    if (/^0*$/.test(ars.slice(len)) && world.municipalities.some((m) => m.ars.startsWith(prefix))) return prefix;
  }
  return ars;
}

const validOn = (s: WorldService, validDate: string | null) => validDate === null || s.validFrom <= validDate;

function servicesAt(ix: WorldIndex, place: Place | undefined, validDate: string | null): WorldService[] {
  if (!place) return [];
  const ids = [...new Set(place.responsibilities.map((r) => r.serviceId))];
  return ids.map((id) => ix.serviceById.get(id)!).filter((s) => validOn(s, validDate)).sort((a, b) => a.id.localeCompare(b.id, 'en'));
}

function onlineAt(world: World, ix: WorldIndex, ars: string): OnlineService[] {
  const list = ars.length === 12 ? (ix.onlineServicesByArea.get(ars) ?? []) : world.onlineServices.filter((o) => o.areas.some((a) => a.startsWith(ars)));
  return list.filter((o) => o.announcedIn.pvog);
}

function springPage<T>(items: T[], req: SandboxRequest): { body: unknown } | { error: ReturnType<typeof problem> } {
  const page = Number(req.query.get('page') ?? '0');
  const size = Number(req.query.get('size') ?? '20');
  if (!Number.isInteger(page) || page < 0) return { error: problem(400, PROBLEM + 'bad-request', 'Bad Request', 'page must be an integer >= 0') };
  // The live Suchdienst rejects page sizes below 5.
  if (!Number.isInteger(size) || size < 5 || size > 100) return { error: problem(400, PROBLEM + 'bad-request', 'Bad Request', 'size must be between 5 and 100') };
  const content = items.slice(page * size, page * size + size);
  const totalPages = Math.ceil(items.length / size);
  return { body: { content, totalElements: items.length, totalPages, number: page, size, numberOfElements: content.length, first: page === 0, last: page >= totalPages - 1 } };
}

function validDateParam(req: SandboxRequest): string | null | undefined {
  const v = req.query.get('validDate');
  if (v === null || v === '') return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
}

const arsParam = (v: string | null): v is string => v !== null && /^\d{2,12}$/.test(v);

function unitTitle(u: OrganisationUnit, role: string) {
  return { id: u.id, title: u.name, role: { code: role, name: ROLE_NAMES[role] ?? role } };
}

function unitDetail(u: OrganisationUnit, role: { code: string; name: string }) {
  const a = u.address;
  return {
    id: u.id,
    languages: u.languages,
    lastUpdate: u.lastUpdate,
    languageComplete: true,
    title: u.name,
    shortTitle: u.shortName,
    forms: [],
    employees: [],
    additionalInformation: u.openingHoursNote,
    bankAccounts: [],
    location: [
      {
        address: { street: a.street, houseNumber: a.houseNumber, zipCode: a.postalCode, city: a.city, ars: a.ars, ags: a.ags, stateCode: a.stateCode },
        openingHours: u.openingHours.map((h) => ({ day: h.day, from: h.opens, to: h.closes })),
        openingHoursNote: u.openingHoursNote,
      },
    ],
    communicationSystems: [
      { channel: 'TELEFON', value: u.contact.phone },
      { channel: 'FAX', value: u.contact.fax },
      { channel: 'EMAIL', value: u.contact.email },
      { channel: 'WEB', value: u.contact.website },
    ],
    role,
  };
}

function serviceSummary(s: WorldService, links: OnlineService[]) {
  return {
    id: s.id,
    leikaId: s.leikaKey,
    name: s.name,
    lastUpdate: s.lastUpdate,
    onlineServiceLinks: links.flatMap((o) => o.links.slice(0, 1).map((l) => ({ title: o.title, uri: l.url }))),
  };
}

function serviceDetail(s: WorldService, units: { unit: OrganisationUnit; role: string }[]) {
  return {
    id: s.id,
    leikaId: s.leikaKey,
    name: s.name,
    validFrom: s.validFrom,
    lastUpdate: s.lastUpdate,
    details: s.textModules.map((t) => ({ type: { code: t.code, name: t.kind }, text: t.html, languageCode: 'de' })),
    costs: s.fees.map((f) => ({ description: f.description, amount: f.amountEur, currency: f.amountEur === null ? null : 'EUR' })),
    deadlines: s.deadline ? [{ description: s.deadline.description }] : [],
    processingTime: s.processingTime
      ? { description: s.processingTime.description, min: s.processingTime.minDuration, max: s.processingTime.maxDuration, unit: s.processingTime.unit }
      : null,
    legalBases: s.legalBasis.map((title) => ({ title })),
    forms: s.forms.map((f) => ({ title: f.title, uri: f.url })),
    writtenFormRequired: s.writtenFormRequired,
    release: { date: s.approvedOn, by: s.approvedBy },
    originPortal: { title: 'Zuständigkeitsfinder Thüringen (Sandbox)', uri: `https://pvog.sandbox.invalid/leistung/${s.leikaKey}` },
    organisations: units.map(({ unit, role }) => unitTitle(unit, role)),
  };
}

function unitsFor(ix: WorldIndex, place: Place | undefined, serviceId: string) {
  if (!place) return [];
  return place.responsibilities
    .filter((r) => r.serviceId === serviceId)
    .sort((a, b) => a.role.localeCompare(b.role) || a.unitId.localeCompare(b.unitId))
    .map((r) => ({ unit: ix.unitById.get(r.unitId)!, role: r.role }));
}

export function pvogSandboxRoutes(world: World): SandboxRoute[] {
  const ix = indexWorld(world);
  const bad = (detail: string) => problem(400, PROBLEM + 'bad-request', 'Bad Request', detail);
  const p = PVOG_PATHS;
  return [
    {
      method: 'GET',
      path: p.locations,
      name: 'locations',
      handler: (req) => {
        const q = (req.query.get('q') ?? '').trim().toLocaleLowerCase('de-DE');
        if (q.length < 2) return bad('q must have at least 2 characters');
        const hits = world.municipalities.filter((m) => m.postalCode === q || m.name.toLocaleLowerCase('de-DE').startsWith(q)).slice(0, 50);
        return json(hits.map((m) => ({ ars: m.ars, ags: m.ags, name: m.name, zip: m.postalCode, zipCodeCount: 1 })));
      },
    },
    {
      method: 'GET',
      path: `${p.servicesByArs}/:ars`,
      name: 'servicedescriptions.byArs',
      handler: (req) => {
        const ars = req.params.ars;
        const validDate = validDateParam(req);
        if (!arsParam(ars)) return bad('ars must have 2 to 12 digits');
        if (validDate === undefined) return bad('validDate must be yyyy-MM-dd');
        const q = (req.query.get('q') ?? '').toLocaleLowerCase('de-DE');
        const place = placeOf(ix, world, ars);
        const items = servicesAt(ix, place, validDate)
          .filter((s) => !q || s.name.toLocaleLowerCase('de-DE').includes(q))
          .map((s) => serviceSummary(s, onlineAt(world, ix, ars).filter((o) => o.leikaKeys.includes(s.leikaKey))));
        const page = springPage(items, req);
        return 'error' in page ? page.error : json(page.body);
      },
    },
    {
      method: 'GET',
      path: p.servicesByLeikaIds,
      name: 'servicedescriptions.byLeikaIds',
      handler: (req) => {
        const ars = req.query.get('ars');
        const validDate = validDateParam(req);
        const ids = (req.query.get('leikaIds') ?? '').split(',').filter(Boolean);
        if (!arsParam(ars)) return bad('ars must have 2 to 12 digits');
        if (validDate === undefined) return bad('validDate must be yyyy-MM-dd');
        if (ids.length === 0 || ids.some((id) => !/^\d{14}$/.test(id))) return bad('leikaIds must be a comma-separated list of 14-digit keys');
        const online = onlineAt(world, ix, ars);
        const items = servicesAt(ix, placeOf(ix, world, ars), validDate)
          .filter((s) => ids.includes(s.leikaKey))
          .map((s) => serviceSummary(s, online.filter((o) => o.leikaKeys.includes(s.leikaKey))));
        const page = springPage(items, req);
        return 'error' in page ? page.error : json(page.body);
      },
    },
    {
      method: 'GET',
      path: `${p.serviceDetail}/:lbId/detail`,
      name: 'servicedescriptions.detail',
      handler: (req) => {
        const ars = req.query.get('ars');
        const validDate = validDateParam(req);
        if (ars === null || !/^\d{12}$/.test(ars)) return bad('ars must have exactly 12 digits');
        if (validDate === undefined) return bad('validDate must be yyyy-MM-dd');
        const s = ix.serviceById.get(req.params.lbId);
        const place = placeOf(ix, world, unpad(ix, world, ars));
        if (!s || !validOn(s, validDate) || !servicesAt(ix, place, validDate).includes(s)) {
          return problem(404, PROBLEM + 'not-found', 'Not Found', `no service description ${req.params.lbId} for ${ars}`);
        }
        return json(serviceDetail(s, unitsFor(ix, place, s.id)));
      },
    },
    {
      method: 'GET',
      path: p.unitTitles,
      name: 'organisationunits.titles',
      handler: (req) => {
        const ars = req.query.get('ars');
        const lbId = req.query.get('lbId');
        if (!arsParam(ars)) return bad('ars must have 2 to 12 digits');
        if (!lbId) return bad('lbId is required');
        return json(unitsFor(ix, placeOf(ix, world, ars), lbId).map(({ unit, role }) => unitTitle(unit, role)));
      },
    },
    {
      method: 'GET',
      path: p.unitDetail,
      name: 'organisationunits.detail',
      handler: (req) => {
        const id = req.query.get('q') ?? '';
        const ars = req.query.get('ars');
        const lbId = req.query.get('lbId');
        if (validDateParam(req) === undefined) return bad('validDate must be yyyy-MM-dd');
        if (ars !== null && !arsParam(ars)) return bad('ars must have 2 to 12 digits');
        const u = ix.unitById.get(id);
        if (!u) return problem(404, PROBLEM + 'not-found', 'Not Found', `no organisation unit ${id}`);
        // Without lbId the role is "Ansprechpunkt"; with it, the unit's role for that Leistung.
        let role = { code: '02', name: ROLE_NAMES['02'] };
        if (lbId && ars) {
          const r = placeOf(ix, world, ars)?.responsibilities.find((x) => x.serviceId === lbId && x.unitId === id);
          if (r) role = { code: r.role, name: ROLE_NAMES[r.role] };
        }
        return json(unitDetail(u, role));
      },
    },
    {
      method: 'GET',
      path: p.onlineServices,
      name: 'onlineservices',
      handler: (req) => {
        const ars = req.query.get('ars');
        if (!arsParam(ars)) return bad('ars must have 2 to 12 digits');
        const token = req.query.get('nextPageToken');
        const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, '')) : 0;
        if (!Number.isInteger(offset) || offset < 0) return bad('nextPageToken is invalid');
        const all = onlineAt(world, ix, ars);
        const hits = all.slice(offset, offset + ONLINE_PAGE_SIZE);
        const next = offset + ONLINE_PAGE_SIZE < all.length ? Buffer.from(`o:${offset + ONLINE_PAGE_SIZE}`).toString('base64url') : undefined;
        return json({
          totalHits: all.length,
          hits: hits.length,
          nextPageToken: next,
          onlineservices: hits.map((o) => ({
            id: o.id,
            name: o.title,
            links: o.links.map((l) => ({ uri: l.url, title: l.title })),
            serviceDescriptions: o.leikaKeys.map((k) => ({ leikaId: k, ars: o.areas.includes(ars) ? [ars] : [o.scope.ars] })),
          })),
        });
      },
    },
    {
      method: 'GET',
      path: p.bulk,
      name: 'bereitstelldienst',
      handler: (req) => {
        const index = Number(req.query.get('index') ?? '0');
        if (!Number.isInteger(index) || index < 0) return bad('index must be an integer >= 0');
        const { xml, next, complete } = renderXzufiPage(world, index, BULK_PAGE_OBJECTS);
        const nextUrl = new URL(req.url.toString());
        nextUrl.searchParams.set('index', String(next));
        return json({
          xzufiObjekte: xml,
          vollstaendig: complete,
          naechsterIndex: next,
          naechsteAnfrageUrl: `${nextUrl.pathname}${nextUrl.search}`,
        });
      },
    },
  ];
}
