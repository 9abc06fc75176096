import { esc } from '../xml';
import { ARS_CODE_SPACE } from '../../reference/municipalities';
import type { OnlineService, OrganisationUnit, World, WorldService } from '../../sandbox/world/types';
import { XZUFI_22_NS } from './xzufi';

/**
 * Renders the sandbox world as XZuFi 2.2 messages for the Bereitstelldienst sandbox: one page = a slice
 * of objects, `index` = offset of the first object. Orphan deletions (ids never written) close the feed,
 * as PVOG sends them in large numbers.
 */

const el = (name: string, content: string, attrs = '') => `<${name}${attrs}>${content}</${name}>`;
const ORPHAN_DELETES = 5;

type Item = { kind: 'service'; s: WorldService } | { kind: 'unit'; u: OrganisationUnit; zs: Map<string, string[]> } | { kind: 'online'; o: OnlineService } | { kind: 'orphan'; n: number };

const itemsByWorld = new WeakMap<World, Item[]>();

function items(world: World): Item[] {
  const cached = itemsByWorld.get(world);
  if (cached) return cached;
  const zsByUnit = new Map<string, Map<string, string[]>>();
  for (const r of world.responsibilities) {
    const byService = zsByUnit.get(r.unitId) ?? new Map<string, string[]>();
    zsByUnit.set(r.unitId, byService);
    byService.set(r.serviceId, [...(byService.get(r.serviceId) ?? []), r.areaArs]);
  }
  const out: Item[] = [
    ...world.services.map((s): Item => ({ kind: 'service', s })),
    ...world.organisationUnits.map((u): Item => ({ kind: 'unit', u, zs: zsByUnit.get(u.id) ?? new Map() })),
    ...world.onlineServices.filter((o) => o.announcedIn.pvog).map((o): Item => ({ kind: 'online', o })),
    ...Array.from({ length: ORPHAN_DELETES }, (_, n): Item => ({ kind: 'orphan', n })),
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

function organisationseinheit(u: OrganisationUnit, zs: Map<string, string[]>): string {
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
      [...zs].map(([serviceId, areas]) => el('zustaendigkeit', el('leistungID', serviceId) + areas.map((g) => el('gebietID', g)).join(''))).join(''),
  );
}

function onlinedienst(o: OnlineService): string {
  return el(
    'onlinedienst',
    el('id', o.id) +
      el('bezeichnung', esc(o.title), ' languageCode="de"') +
      o.links.map((l) => el('link', el('typ', el('code', l.type.code)) + el('link', esc(l.url)) + el('titel', esc(l.title)) + el('languageCode', l.languageCode))).join('') +
      (o.trustLevel ? el('vertrauensniveau', el('code', o.trustLevel.code)) : ''),
  );
}

export function renderXzufiPage(world: World, index: number, size: number): { xml: string; next: number; complete: boolean } {
  const all = items(world);
  const slice = all.slice(index, index + size);
  const writes = slice.flatMap((i) => {
    if (i.kind === 'service') return [leistung(i.s)];
    if (i.kind === 'unit') return [organisationseinheit(i.u, i.zs)];
    if (i.kind === 'online') return [onlinedienst(i.o)];
    return [];
  });
  const deletes = slice.flatMap((i) => (i.kind === 'orphan' ? [el('id', `SBX16.ZS.${9_000_001 + i.n}`, ' klasse="Zustaendigkeit"')] : []));
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
