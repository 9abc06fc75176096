import { esc } from '../xml';
import { ARS_CODE_SPACE } from '../../reference/municipalities';
import type { OnlineService, OrganisationUnit, World, WorldService } from '../../sandbox/world/types';
import { XZUFI_22_NS } from './xzufi';

/**
 * Renders the sandbox world as XZuFi 2.2 messages for the Bereitstelldienst sandbox: one page = a slice
 * of objects, `index` = offset of the first object. The feed carries what a harvest per ARS reads from the
 * Suchdienst (src/harvest/pvog-bulk.ts maps it to the same items): Leistungen, Organisationseinheiten with their
 * Zuständigkeiten (Leistung × role × gebietID) and Onlinedienste with theirs. The world's bulk-feed extras (orphan
 * Zuständigkeit transfer objects, deletions of ids never written) close the feed, as PVOG sends them.
 */

const el = (name: string, content: string, attrs = '') => `<${name}${attrs}>${content}</${name}>`;

/** PVOG `role.code` names (docs/upstreams/portal-pvog.md §2); the feed carries them as `rolle { code, name }` [sandbox]. */
export const ROLE_NAMES: Record<string, string> = { '01': 'Zuständige Stelle', '02': 'Ansprechpunkt' };

/** gebietID values as a catalogue declares an Onlinedienst's area: the scope for Land/district forms, the municipalities otherwise. */
export function declaredAreas(o: OnlineService): string[] {
  return o.scope.level === 'land' || o.scope.level === 'district' ? [o.scope.ars] : o.areas;
}

type UnitZs = { serviceId: string; role: string; areas: string[] }[];
type Item =
  | { kind: 'service'; s: WorldService }
  | { kind: 'unit'; u: OrganisationUnit; zs: UnitZs }
  | { kind: 'online'; o: OnlineService; leistungIds: string[] }
  | { kind: 'transfer'; z: World['bulkFeed']['orphanResponsibilities'][number] }
  | { kind: 'delete'; id: string };

const itemsByWorld = new WeakMap<World, Item[]>();

/**
 * The areas of a Zuständigkeit as gebietIDs: where they are every municipality of a district or of the Land, the
 * district's (5-digit) or the Land's ARS (`16`), as an editor declares a district- or Land-wide Zuständigkeit once.
 */
function compressAreas(world: World, areas: string[]): string[] {
  const set = new Set(areas);
  if (world.municipalities.every((m) => set.has(m.ars))) return ['16'];
  const out: string[] = [];
  const covered = new Set<string>();
  for (const d of world.districts) {
    const members = world.municipalities.filter((m) => m.districtArs === d.ars);
    if (members.length && members.every((m) => set.has(m.ars))) {
      out.push(d.ars);
      members.forEach((m) => covered.add(m.ars));
    }
  }
  return [...out, ...areas.filter((a) => !covered.has(a))];
}

function items(world: World): Item[] {
  const cached = itemsByWorld.get(world);
  if (cached) return cached;
  const zsByUnit = new Map<string, Map<string, { serviceId: string; role: string; areas: string[] }>>();
  for (const r of world.responsibilities) {
    const byService = zsByUnit.get(r.unitId) ?? new Map();
    zsByUnit.set(r.unitId, byService);
    const key = `${r.serviceId}|${r.role}`;
    const z = byService.get(key) ?? { serviceId: r.serviceId, role: r.role, areas: [] };
    byService.set(key, z);
    z.areas.push(r.areaArs);
  }
  const serviceIdByKey = new Map(world.services.map((s) => [s.leikaKey, s.id]));
  const online = world.onlineServices.filter((o) => o.announcedIn.pvog);
  // A key no Leistung carries has no Leistung in the feed: its Zuständigkeit names a reserved id that stays unknown.
  const unknown = [...new Set(online.flatMap((o) => o.leikaKeys).filter((k) => !serviceIdByKey.has(k)))].sort();
  const leistungId = (k: string) => serviceIdByKey.get(k) ?? `SBX16.LB.${9_100_000 + unknown.indexOf(k)}`;
  const out: Item[] = [
    ...world.services.map((s): Item => ({ kind: 'service', s })),
    ...world.organisationUnits.map((u): Item => ({
      kind: 'unit',
      u,
      zs: [...(zsByUnit.get(u.id)?.values() ?? [])].map((z) => ({ ...z, areas: compressAreas(world, z.areas) })),
    })),
    ...online.map((o): Item => ({ kind: 'online', o, leistungIds: o.leikaKeys.map(leistungId) })),
    ...world.bulkFeed.orphanResponsibilities.map((z): Item => ({ kind: 'transfer', z })),
    ...world.bulkFeed.orphanDeleteIds.map((id): Item => ({ kind: 'delete', id })),
  ];
  itemsByWorld.set(world, out);
  return out;
}

function leistung(s: WorldService): string {
  const modules = s.textModules
    .map((t, i) =>
      el(
        'modulText',
        el('positionDarstellung', String(i + 1)) +
          el('inhalt', esc(t.html), ' languageCode="de"') +
          // Names also in English (sandbox translation) so consumers meet multi-language texts.
          (t.code === '03' ? el('inhalt', esc(`${t.html} (EN, Sandbox)`), ' languageCode="en"') : '') +
          el('leikaTextmodul', el('code', t.code)),
      ),
    )
    .join('');
  return el(
    'leistung',
    el('id', s.id, ' schemeAgencyID="SBX16"') +
      el('referenzLeiKa', el('code', s.leikaKey)) +
      modules +
      (s.deadline ? el('modulFrist', el('beschreibung', esc(s.deadline.description), ' languageCode="de"')) : '') +
      s.fees.map((f) => el('modulKosten', el('beschreibung', esc(f.description + (f.amountEur === null ? '' : `: ${f.amountEur} EUR`)), ' languageCode="de"'))).join('') +
      (s.processingTime ? el('modulBearbeitungsdauer', el('beschreibung', esc(s.processingTime.description), ' languageCode="de"')) : '') +
      el('gueltigkeitGebietID', '16', ` schemeID="${ARS_CODE_SPACE}"`) +
      el('versionsinformation', el('geaendertDatumZeit', s.lastUpdate)),
  );
}

function organisationseinheit(u: OrganisationUnit, zs: UnitZs): string {
  const a = u.address;
  const kodierung = el(
    'verwaltungspolitischeKodierung',
    el('bundesland', el('code', a.stateCode) + el('name', a.stateName)) + el('gemeindeschluessel', el('code', a.ags)) + el('regionalschluessel', el('code', a.ars)),
  );
  return el(
    'organisationseinheit',
    el('id', u.id, ' schemeAgencyID="SBX16"') +
      el('name', el('name', esc(u.name), ' languageCode="de"')) +
      el('anschrift', el('strasse', esc(a.street)) + el('hausnummer', a.houseNumber) + el('postleitzahl', a.postalCode) + el('ort', esc(a.city)) + kodierung) +
      zs
        .map((z) =>
          el('zustaendigkeit', el('leistungID', z.serviceId) + el('rolle', el('code', z.role) + el('name', ROLE_NAMES[z.role] ?? z.role)) + z.areas.map((g) => el('gebietID', g)).join('')),
        )
        .join(''),
  );
}

function transfer(z: World['bulkFeed']['orphanResponsibilities'][number]): string {
  return el('zustaendigkeitTransferObjekt', el('id', z.id) + el('leistungID', z.leistungId) + el('uebergeordnetesObjektID', z.parentId) + el('gebietID', z.areaArs));
}

export function renderXzufiPage(world: World, index: number, size: number): { xml: string; next: number; complete: boolean } {
  const all = items(world);
  const slice = all.slice(index, index + size);
  const writes = slice.flatMap((i) => {
    if (i.kind === 'service') return [leistung(i.s)];
    if (i.kind === 'unit') return [organisationseinheit(i.u, i.zs)];
    if (i.kind === 'online') return [renderFullOnlinedienst({ o: i.o, title: i.o.title, leistungIds: i.leistungIds, areaIds: declaredAreas(i.o) })];
    if (i.kind === 'transfer') return [transfer(i.z)];
    return [];
  });
  const deletes = slice.flatMap((i) => (i.kind === 'delete' ? [el('id', i.id, ' klasse="Zustaendigkeit"')] : []));
  const next = Math.min(index + size, all.length);
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<xzufi:transfer.operation xmlns:xzufi="${XZUFI_22_NS}" produktbezeichnung="thuegate PVOG sandbox" produkthersteller="thuegate" xzufiVersion="2.2.0">` +
    el('nachrichtenkopf', el('erstellungszeitpunkt', `${world.asOf}T00:00:00Z`)) +
    (writes.length ? el('schreibe', writes.join('')) : '') +
    (deletes.length ? el('loesche', deletes.join('')) : '') +
    `</xzufi:transfer.operation>`;
  return { xml, next, complete: next >= all.length };
}

/** Fields of one Onlinedienst as a catalogue renders it (ThAVEL sandbox; the PVOG page above keeps its short form). */
export interface OnlinedienstRenderInput {
  o: OnlineService;
  /** Title as this feed shows it (ThAVEL may differ from PVOG). */
  title: string;
  /** Leistung id per LeiKa key of `o`, for `zustaendigkeit/leistungID`. */
  leistungIds: string[];
  /** gebietID values: the declared scope for Land/district forms, the municipalities otherwise. */
  areaIds: string[];
}

export function renderFullOnlinedienst({ o, title, leistungIds, areaIds }: OnlinedienstRenderInput): string {
  const code = (name: string, c: string) => el(name, el('code', esc(c)));
  return el(
    'onlinedienst',
    el('id', o.id, ' schemeAgencyID="SBX16"') +
      el('bezeichnung', esc(title), ' languageCode="de"') +
      o.links.map((l) => el('link', el('typ', el('code', l.type.code)) + el('link', esc(l.url)) + el('titel', esc(l.title)) + el('languageCode', l.languageCode))).join('') +
      (o.trustLevel ? el('vertrauensniveau', el('code', esc(o.trustLevel.code)) + el('listURI', esc(o.trustLevel.listURI))) : '') +
      leistungIds.map((id) => el('zustaendigkeit', el('leistungID', esc(id)) + areaIds.map((g) => el('gebietID', esc(g))).join(''))).join('') +
      o.login.map((m) => code('identifizierungsmittel', m)).join('') +
      el('zahlungErforderlich', String(o.payment?.required ?? false)) +
      (o.payment?.methods ?? []).map((m) => code('zahlungsweise', m)).join('') +
      (o.operatorUnitId ? el('bereitstellendeOrganisationseinheitID', esc(o.operatorUnitId)) : '') +
      el('anbieter', el('name', esc(o.provider.name))) +
      el('gueltigkeit', el('beginn', o.validFrom) + (o.validTo ? el('ende', o.validTo) : '')) +
      el('versionsinformation', el('geaendertDatumZeit', o.lastUpdate)),
  );
}

/** A minimal Leistung (id, LeiKa reference, name) so that a catalogue can resolve `leistungID` to a LeiKa key. */
export function renderLeistungStub(id: string, leikaKey: string, name: string): string {
  return el(
    'leistung',
    el('id', esc(id), ' schemeAgencyID="SBX16"') +
      el('referenzLeiKa', el('code', esc(leikaKey))) +
      el('modulText', el('inhalt', esc(name), ' languageCode="de"') + el('leikaTextmodul', el('code', '03'))),
  );
}

/** Wraps rendered objects into one XZuFi 2.2 transfer message. */
export function renderXzufiMessage(writes: string[], producer: string, createdAt: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<xzufi:transfer.operation xmlns:xzufi="${XZUFI_22_NS}" produktbezeichnung="${esc(producer)}" produkthersteller="thuegate" xzufiVersion="2.2.0">` +
    el('nachrichtenkopf', el('erstellungszeitpunkt', createdAt)) +
    (writes.length ? el('schreibe', writes.join('')) : '') +
    `</xzufi:transfer.operation>`
  );
}
