import { parseXml, type XmlElement } from '../../upstreams/runtime/xml';

/**
 * Reader for the PVOG Bereitstelldienst bulk feed: JSON envelopes (`xzufiObjekte`, `vollstaendig`,
 * `naechsterIndex`, `naechsteAnfrageUrl`) that carry XZuFi 2.2 XML with `schreibe` (create/update) and
 * `loesche` (delete) entries (docs/upstreams/portal-pvog.md §3/§4). Elements are matched by local name in any namespace:
 * feeds differ in whether child elements are qualified. Unknown elements are ignored; an entry we cannot
 * read is skipped and counted instead of failing the whole page, because one broken Leistung must not
 * stop a harvest of millions of objects.
 */

export const XZUFI_22_NS = 'http://xoev.de/schemata/xzufi/2_2_0';

/** Text per language (`languageCode` attribute, default "de"). */
export type LangText = Record<string, string>;

export interface XzufiTextModule {
  code: string | null; // leikaTextmodul/code
  position: number | null;
  texts: LangText; // HTML: sanitise before output
  links: { uri: string; title: string | null }[];
}

export interface XzufiLeistung {
  kind: 'leistung';
  id: string;
  leikaKey: string | null;
  names: LangText; // module 03, fallback 02
  textModules: XzufiTextModule[];
  fees: LangText[];
  deadlines: LangText[];
  processingTimes: LangText[];
  areaIds: string[]; // gueltigkeitGebietID
  lastUpdate: string | null;
  languages: string[];
}

export interface XzufiAddress {
  city: string | null;
  postalCode: string | null;
  street: string | null;
  houseNumber: string | null;
  ars: string | null; // regionalschluessel/code
  ags: string | null; // gemeindeschluessel/code
}

export interface XzufiOrganisationseinheit {
  kind: 'organisationseinheit';
  id: string;
  names: LangText;
  addresses: XzufiAddress[];
  /**
   * In 2.2 embedded in the OE: Leistung × areas, with the OE's role there (`rolle { code, name }`, codes as PVOG's
   * `role.code`: 01 Zuständige Stelle, 02 Ansprechpunkt) [sandbox: the element name is not in the public sources].
   */
  responsibilities: { leistungId: string; areaIds: string[]; role: { code: string; name: string | null } | null }[];
}

export interface XzufiZustaendigkeit {
  kind: 'zustaendigkeit';
  id: string;
  leistungId: string;
  parentId: string | null; // uebergeordnetesObjektID: an OE or an Onlinedienst
  areaIds: string[];
}

export interface XzufiOnlinedienst {
  kind: 'onlinedienst';
  id: string;
  names: LangText;
  links: { url: string; title: string | null; typeCode: string | null; languageCode: string | null }[];
  trustLevel: string | null;
  /** `vertrauensniveau/listURI`: the level only means something together with its code list (docs/upstreams/thavel.md §2.1). */
  trustLevelList: string | null;
  /** ZustaendigkeitOnlinedienst: Leistung × areas (gebietID = ARS), as written, unvalidated. */
  responsibilities: { leistungId: string; areaIds: string[] }[];
  /** Codes of `identifizierungsmittel` (login means), e.g. SERVICEKONTO_TH, BUNDID [sandbox code list]. */
  loginMethods: string[];
  /** Codes of `zahlungsweise`; `zahlungErforderlich` says whether payment is required at all. */
  paymentMethods: string[];
  paymentRequired: boolean | null;
  /** `bereitstellendeOrganisationseinheitID` and `anbieter/name` (provider as the feed names it). */
  operatorUnitId: string | null;
  providerName: string | null;
  validFrom: string | null; // gueltigkeit/beginn
  validTo: string | null; // gueltigkeit/ende
  lastUpdate: string | null; // versionsinformation/geaendertDatumZeit
}

export interface XzufiSpezialisierung {
  kind: 'spezialisierung';
  id: string;
}

export type XzufiObject = XzufiLeistung | XzufiOrganisationseinheit | XzufiZustaendigkeit | XzufiOnlinedienst | XzufiSpezialisierung;

export const DELETE_CLASSES = ['Zustaendigkeit', 'Leistung', 'Organisationseinheit', 'LeistungSpezialisierung', 'Onlinedienst'] as const;
export type DeleteClass = (typeof DELETE_CLASSES)[number];

export interface XzufiDelete {
  klasse: DeleteClass;
  id: string;
}

export interface XzufiSkip {
  element: string;
  reason: string;
}

export interface XzufiMessage {
  version: string;
  producer: { product: string | null; manufacturer: string | null };
  writes: XzufiObject[];
  deletes: XzufiDelete[];
  skipped: XzufiSkip[];
}

export class XzufiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XzufiError';
  }
}

/** Another major version than 2 (or a namespace of one). */
export class XzufiVersionError extends XzufiError {
  constructor(readonly version: string) {
    super(`XZuFi version ${JSON.stringify(version)} is not supported; expected 2.2 (${XZUFI_22_NS})`);
    this.name = 'XzufiVersionError';
  }
}

const kid = (el: XmlElement, local: string) => el.child('*', local);
const kids = (el: XmlElement, local: string) => el.children('*', local);
const textOf = (el: XmlElement | undefined): string | null => {
  const t = el?.text();
  return t ? t : null;
};
const at = (el: XmlElement, path: string): string | null => {
  let cur: XmlElement | undefined = el;
  for (const step of path.split('/')) cur = cur && kid(cur, step);
  return textOf(cur);
};

function langTexts(els: XmlElement[]): LangText {
  const out: LangText = {};
  for (const e of els) {
    const t = e.text();
    if (t) out[e.attr('languageCode') ?? 'de'] ??= t;
  }
  return out;
}

class EntryError extends Error {}
const required = (v: string | null, what: string): string => {
  if (!v) throw new EntryError(`missing ${what}`);
  return v;
};

function leistung(el: XmlElement): XzufiLeistung {
  const id = required(at(el, 'id'), 'id');
  const leikaKey = at(el, 'referenzLeiKa/code');
  if (leikaKey !== null && !/^\d{14}$/.test(leikaKey)) throw new EntryError(`referenzLeiKa/code ${JSON.stringify(leikaKey)} is not a 14-digit LeiKa key`);
  const textModules = kids(el, 'modulText').map((m) => ({
    code: at(m, 'leikaTextmodul/code'),
    position: Number.isFinite(Number(at(m, 'positionDarstellung'))) && at(m, 'positionDarstellung') !== null ? Number(at(m, 'positionDarstellung')) : null,
    texts: langTexts(kids(m, 'inhalt')),
    links: kids(m, 'weiterfuehrenderLink').flatMap((l) => {
      // A link is either `<uri>` (+ `<titel>`) or the URI as the element's text (seen in ThAVEL feeds); a link with
      // child elements but no `<uri>` has no URI — its text would be the title (portal-pvog.md §4).
      const uri = at(l, 'uri') ?? (l.elements.length ? null : textOf(l));
      return uri ? [{ uri, title: at(l, 'titel') }] : [];
    }),
  }));
  const name = textModules.find((t) => t.code === '03') ?? textModules.find((t) => t.code === '02');
  const descriptions = (module: string) => kids(el, module).map((m) => langTexts(kids(m, 'beschreibung')));
  const languages = new Set<string>();
  for (const t of textModules) Object.keys(t.texts).forEach((l) => languages.add(l));
  return {
    kind: 'leistung',
    id,
    leikaKey,
    names: name?.texts ?? {},
    textModules,
    fees: descriptions('modulKosten'),
    deadlines: descriptions('modulFrist'),
    processingTimes: descriptions('modulBearbeitungsdauer'),
    areaIds: kids(el, 'gueltigkeitGebietID').map((g) => g.text()).filter(Boolean),
    lastUpdate: at(el, 'versionsinformation/geaendertDatumZeit'),
    languages: [...languages].sort(),
  };
}

function organisationseinheit(el: XmlElement): XzufiOrganisationseinheit {
  const id = required(at(el, 'id'), 'id');
  const nameEl = kid(el, 'name');
  const names = nameEl ? langTexts(kids(nameEl, 'name').length ? kids(nameEl, 'name') : [nameEl]) : {};
  return {
    kind: 'organisationseinheit',
    id,
    names,
    addresses: kids(el, 'anschrift').map((a) => ({
      city: at(a, 'ort'),
      postalCode: at(a, 'postleitzahl'),
      street: at(a, 'strasse'),
      houseNumber: at(a, 'hausnummer'),
      ars: at(a, 'verwaltungspolitischeKodierung/regionalschluessel/code'),
      ags: at(a, 'verwaltungspolitischeKodierung/gemeindeschluessel/code'),
    })),
    responsibilities: kids(el, 'zustaendigkeit').map((z) => {
      const code = at(z, 'rolle/code');
      return {
        leistungId: required(at(z, 'leistungID'), 'zustaendigkeit/leistungID'),
        areaIds: kids(z, 'gebietID').map((g) => g.text()).filter(Boolean),
        role: code ? { code, name: at(z, 'rolle/name') } : null,
      };
    }),
  };
}

function zustaendigkeit(el: XmlElement): XzufiZustaendigkeit {
  return {
    kind: 'zustaendigkeit',
    id: required(at(el, 'id'), 'id'),
    leistungId: required(at(el, 'leistungID'), 'leistungID'),
    parentId: at(el, 'uebergeordnetesObjektID'),
    areaIds: [...kids(el, 'gebietId'), ...kids(el, 'gebietID')].map((g) => g.text()).filter(Boolean),
  };
}

function onlinedienst(el: XmlElement): XzufiOnlinedienst {
  return {
    kind: 'onlinedienst',
    id: required(at(el, 'id'), 'id'),
    names: langTexts(kids(el, 'bezeichnung')),
    links: kids(el, 'link').flatMap((l) => {
      const url = at(l, 'link');
      return url ? [{ url, title: at(l, 'titel'), typeCode: at(l, 'typ/code'), languageCode: at(l, 'languageCode') ?? l.attr('languageCode') ?? null }] : [];
    }),
    trustLevel: at(el, 'vertrauensniveau/code'),
    trustLevelList: at(el, 'vertrauensniveau/listURI') ?? kid(el, 'vertrauensniveau')?.attr('listURI') ?? null,
    responsibilities: kids(el, 'zustaendigkeit').map((z) => ({
      leistungId: required(at(z, 'leistungID'), 'zustaendigkeit/leistungID'),
      areaIds: kids(z, 'gebietID').map((g) => g.text()).filter(Boolean),
    })),
    loginMethods: kids(el, 'identifizierungsmittel').map((c) => at(c, 'code')).filter((c): c is string => c !== null),
    paymentMethods: kids(el, 'zahlungsweise').map((c) => at(c, 'code')).filter((c): c is string => c !== null),
    paymentRequired: ((v) => (v === 'true' ? true : v === 'false' ? false : null))(at(el, 'zahlungErforderlich')),
    operatorUnitId: at(el, 'bereitstellendeOrganisationseinheitID'),
    providerName: at(el, 'anbieter/name'),
    validFrom: at(el, 'gueltigkeit/beginn'),
    validTo: at(el, 'gueltigkeit/ende'),
    lastUpdate: at(el, 'versionsinformation/geaendertDatumZeit'),
  };
}

const WRITERS: Record<string, (el: XmlElement) => XzufiObject> = {
  leistung,
  organisationseinheit,
  zustaendigkeitTransferObjekt: zustaendigkeit,
  onlinedienst,
  spezialisierung: (el) => ({ kind: 'spezialisierung', id: required(at(el, 'id'), 'id') }),
};

function checkVersion(root: XmlElement): string {
  const declared = root.attr('xzufiVersion');
  const nsVersion = /\/xzufi\/(\d+)_(\d+)_(\d+)$/.exec(root.ns)?.slice(1).join('.');
  const version = declared ?? nsVersion;
  if (!version) throw new XzufiError('not an XZuFi message: neither an xzufiVersion attribute nor an XZuFi namespace');
  if (!/^2(\.\d+){0,2}$/.test(version)) throw new XzufiVersionError(version);
  if (nsVersion && !nsVersion.startsWith('2.')) throw new XzufiVersionError(nsVersion);
  return version;
}

/** Parses one XZuFi 2.x message (hardened XML parser; a DOCTYPE or an entity bomb is refused). */
export function parseXzufiMessage(xml: string): XzufiMessage {
  const root = parseXml(xml);
  const version = checkVersion(root);
  const out: XzufiMessage = {
    version,
    producer: { product: root.attr('produktbezeichnung') ?? null, manufacturer: root.attr('produkthersteller') ?? null },
    writes: [],
    deletes: [],
    skipped: [],
  };
  for (const w of kids(root, 'schreibe')) {
    for (const el of w.elements) {
      const read = WRITERS[el.local];
      if (!read) continue; // unknown element: ignored by design
      try {
        out.writes.push(read(el));
      } catch (e) {
        if (!(e instanceof EntryError)) throw e;
        out.skipped.push({ element: el.local, reason: e.message });
      }
    }
  }
  for (const l of kids(root, 'loesche')) {
    const ids = kids(l, 'id');
    for (const idEl of ids.length ? ids : [l]) {
      const klasse = idEl.attr('klasse') ?? l.attr('klasse') ?? null;
      const id = textOf(idEl);
      if (!id || !klasse || !(DELETE_CLASSES as readonly string[]).includes(klasse)) {
        out.skipped.push({ element: 'loesche', reason: !id ? 'missing id' : `unknown klasse ${JSON.stringify(klasse)}` });
        continue;
      }
      out.deletes.push({ klasse: klasse as DeleteClass, id });
    }
  }
  return out;
}
