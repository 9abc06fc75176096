import type { ServiceEntry } from './services';
import { sandboxLeikaKey } from './services';
import {
  LINK_TYPE_LIST,
  SANDBOX_NAME_PREFIX,
  SANDBOX_ORIGINS,
  TRUST_LEVEL_LIST,
  dayOffset,
  instantOffset,
  pvogId,
  slug,
  type TrustLevel,
} from './constants';
import type { Rng } from './prng';
import type { RegionModel } from './regions';
import type { UnitsResult } from './units';
import type { CodeRef, LoginMethod, OnlineService, OnlineServiceLink, ProviderKind, ServiceLevel, WorldService } from './types';

const KEY = {
  hundesteuer: '99102013104000',
  gewerbe: '99050012104000',
  wahlschein: '99128009012000',
  geburtsurkunde: '99027002012000',
  bewohnerparken: '99108001001000',
  wohngeld: '99107023037000',
  wbs: '99107022012000',
  uvg: '99107021017000',
  schwerbehindert: '99015007012000',
  fuehrungszeugnis: '99049001001000',
  bier: '99102112000000',
  anmeldung: sandboxLeikaKey(1),
  meldebescheinigung: sandboxLeikaKey(3),
  bauantrag: sandboxLeikaKey(4),
  zulassung: sandboxLeikaKey(5),
  ausserbetrieb: sandboxLeikaKey(6),
  sondernutzung: sandboxLeikaKey(9),
  baumfaellung: sandboxLeikaKey(10),
  kita: sandboxLeikaKey(11),
  ehe: sandboxLeikaKey(12),
  kataster: sandboxLeikaKey(13),
  bodenrichtwert: sandboxLeikaKey(14),
} as const;

/** GovAPPs a municipal administration may publish in ThAVEL, with a base probability of doing so. */
const THAVEL_MUNICIPAL_APPS: { key: string; p: number; trust: TrustLevel }[] = [
  { key: KEY.hundesteuer, p: 0.55, trust: 'substanziell' },
  { key: KEY.gewerbe, p: 0.5, trust: 'substanziell' },
  { key: KEY.wahlschein, p: 0.45, trust: 'niedrig' },
  { key: KEY.meldebescheinigung, p: 0.35, trust: 'substanziell' },
  { key: KEY.geburtsurkunde, p: 0.35, trust: 'substanziell' },
  { key: KEY.sondernutzung, p: 0.3, trust: 'niedrig' },
  { key: KEY.baumfaellung, p: 0.25, trust: 'niedrig' },
  { key: KEY.kita, p: 0.3, trust: 'substanziell' },
  { key: KEY.ehe, p: 0.15, trust: 'substanziell' },
  { key: KEY.bewohnerparken, p: 0.6, trust: 'substanziell' },
];

const PROVIDER_NAME: Record<ProviderKind, string> = {
  THAVEL: 'ThAVEL (Thüringer Antragssystem für Verwaltungsleistungen)',
  EFA: 'Einer-für-Alle-Dienst',
  FEDERAL: 'Bund',
  LAND: 'Freistaat Thüringen',
};

export const trustLevel = (level: TrustLevel): CodeRef => ({ code: level, listURI: TRUST_LEVEL_LIST, listVersionID: '1' });
export const startLink = (url: string, title = 'Online-Antrag starten'): OnlineServiceLink => ({
  type: { code: '01', listURI: LINK_TYPE_LIST, listVersionID: null },
  url,
  title,
  languageCode: 'de',
});

const bareName = (s: WorldService) => s.name.replace(`${SANDBOX_NAME_PREFIX} `, '');

export interface OnlineResult {
  onlineServices: OnlineService[];
}

export function buildOnlineServices(
  rng: Rng,
  asOf: number,
  regions: RegionModel,
  services: ServiceEntry[],
  u: UnitsResult,
): OnlineResult {
  const byKey = new Map(services.map((e) => [e.service.leikaKey, e]));
  const svc = (key: string) => {
    const e = byKey.get(key);
    if (!e) throw new Error(`online services: unknown LeiKa key ${key} in the generator tables`);
    return e;
  };
  const unitName = new Map(u.units.map((x) => [x.id, x.name]));
  const out: OnlineService[] = [];
  let next = 1001;

  const add = (o: {
    key: string;
    provider: ProviderKind;
    providerName?: string;
    operatorUnitId: string | null;
    areas: string[];
    scope: { level: ServiceLevel; ars: string };
    url: string;
    trust: TrustLevel;
    login: LoginMethod[];
    titleSuffix?: string;
  }) => {
    const { service } = svc(o.key);
    const paid = service.fees.some((f) => f.amountEur === null || f.amountEur > 0);
    const title = o.titleSuffix ? `${service.name} – ${o.titleSuffix}` : service.name;
    const since = rng.range(30, 1500);
    const os: OnlineService = {
      id: pvogId('OD', next++),
      title,
      description: `Online-Antrag „${bareName(service)}“ über ${o.providerName ?? PROVIDER_NAME[o.provider]}.`,
      links: [startLink(o.url)],
      trustLevel: trustLevel(o.trust),
      login: o.login,
      payment: paid ? { required: true, methods: rng.sample(['CREDIT_CARD', 'PAYPAL', 'DIRECT_DEBIT'], rng.range(1, 3)).sort() } : null,
      leikaKeys: [service.leikaKey],
      areas: o.areas,
      scope: o.scope,
      provider: { kind: o.provider, name: o.providerName ?? PROVIDER_NAME[o.provider] },
      operatorUnitId: o.operatorUnitId,
      validFrom: dayOffset(asOf, -since),
      validTo: null,
      lastUpdate: instantOffset(asOf, -rng.range(0, Math.min(since, 400)), rng.int(86_400)),
      // ThAVEL GovAPPs are announced in both catalogues; EfA/federal/Land services only reach PVOG.
      announcedIn: { pvog: true, thavel: o.provider === 'THAVEL' },
      thavelVariant: null,
    };
    out.push(os);
    return os;
  };
  const thavelUrl = (s: WorldService, unitId: string) => `${SANDBOX_ORIGINS.thavel}/govapp/${slug(bareName(s))}?oe=${unitId}`;
  const allArs = regions.municipalities.map((m) => m.ars);
  const both: LoginMethod[] = ['SERVICEKONTO_TH', 'BUNDID'];

  // ---- Land and federal services, for all of Thüringen
  add({ key: KEY.schwerbehindert, provider: 'THAVEL', operatorUnitId: u.supra.tlvwa, areas: allArs, scope: { level: 'land', ars: '16' },
    url: thavelUrl(svc(KEY.schwerbehindert).service, u.supra.tlvwa), trust: 'substanziell', login: both });
  add({ key: KEY.kataster, provider: 'THAVEL', operatorUnitId: u.supra.tlbg, areas: allArs, scope: { level: 'land', ars: '16' },
    url: thavelUrl(svc(KEY.kataster).service, u.supra.tlbg), trust: 'substanziell', login: both });
  add({ key: KEY.bodenrichtwert, provider: 'LAND', providerName: 'Geoportal Thüringen (Sandbox)', operatorUnitId: u.supra.tlbg, areas: allArs,
    scope: { level: 'land', ars: '16' }, url: `${SANDBOX_ORIGINS.formulare}/bodenrichtwert/auskunft`, trust: 'niedrig', login: both });
  add({ key: KEY.fuehrungszeugnis, provider: 'FEDERAL', providerName: 'Bundesamt für Justiz', operatorUnitId: null, areas: allArs,
    scope: { level: 'federal', ars: '000000000000' }, url: `${SANDBOX_ORIGINS.bund}/fuehrungszeugnis/antrag`, trust: 'hoch', login: ['BUNDID'] });
  add({ key: KEY.bier, provider: 'FEDERAL', providerName: 'Zoll (Bund)', operatorUnitId: u.supra.hza, areas: allArs,
    scope: { level: 'federal', ars: '000000000000' }, url: `${SANDBOX_ORIGINS.bund}/zoll/bierbefoerderung`, trust: 'substanziell', login: ['BUNDID'] });

  // ---- district services: every municipality of the district gets the district's form
  for (const d of u.districts) {
    const scope = { level: 'district' as const, ars: d.ars };
    const areas = d.municipalityArs;
    const label = u.units.find((x) => x.id === d.administrationUnitId)!.name;
    const dep = d.departmentUnitIds;
    add({ key: KEY.zulassung, provider: 'EFA', providerName: 'i-Kfz (Einer-für-Alle-Dienst)', operatorUnitId: dep['vehicle-registration'], areas, scope,
      url: `${SANDBOX_ORIGINS.efa}/ikfz/zulassung?ars=${d.ars}`, trust: 'substanziell', login: ['BUNDID'], titleSuffix: label });
    add({ key: KEY.ausserbetrieb, provider: 'EFA', providerName: 'i-Kfz (Einer-für-Alle-Dienst)', operatorUnitId: dep['vehicle-registration'], areas, scope,
      url: `${SANDBOX_ORIGINS.efa}/ikfz/ausserbetriebsetzung?ars=${d.ars}`, trust: 'substanziell', login: ['BUNDID'], titleSuffix: label });
    add({ key: KEY.bauantrag, provider: 'THAVEL', operatorUnitId: dep['building-authority'], areas, scope,
      url: thavelUrl(svc(KEY.bauantrag).service, dep['building-authority']), trust: 'substanziell', login: both, titleSuffix: label });
    if (rng.chance(0.75)) {
      add({ key: KEY.wbs, provider: 'THAVEL', operatorUnitId: dep['housing-benefit'], areas, scope,
        url: thavelUrl(svc(KEY.wbs).service, dep['housing-benefit']), trust: 'substanziell', login: both, titleSuffix: label });
    }
    if (rng.chance(0.7)) {
      add({ key: KEY.wohngeld, provider: 'EFA', providerName: 'Wohngeld digital (Einer-für-Alle-Dienst)', operatorUnitId: dep['housing-benefit'], areas, scope,
        url: `${SANDBOX_ORIGINS.efa}/wohngeld/antrag?ars=${d.ars}`, trust: 'substanziell', login: ['BUNDID'], titleSuffix: label });
    }
    if (rng.chance(0.65)) {
      add({ key: KEY.uvg, provider: 'EFA', providerName: 'UVG-Online (Einer-für-Alle-Dienst)', operatorUnitId: dep['youth-welfare'], areas, scope,
        url: `${SANDBOX_ORIGINS.efa}/uvg/antrag?ars=${d.ars}`, trust: 'substanziell', login: ['BUNDID'], titleSuffix: label });
    }
  }

  // ---- electronic residence registration (eWA): about 100 of the ~180 registration offices
  const offices = u.registrationOffices;
  const population = (arsList: string[]) => arsList.reduce((s, a) => s + regions.byArs.get(a)!.population, 0);
  const ewaCount = Math.round(offices.length * 0.53);
  const chosen = new Set(rng.weightedSample(offices, ewaCount, (o) => Math.sqrt(population(o.servedArs))).map((o) => o.unitId));
  for (const office of offices) {
    if (!chosen.has(office.unitId)) continue;
    const admin = u.administrationOfUnit.get(office.unitId)!;
    const os = add({
      key: KEY.anmeldung,
      provider: 'EFA',
      providerName: 'eWA – elektronische Wohnsitzanmeldung (Einer-für-Alle-Dienst)',
      operatorUnitId: office.unitId,
      areas: office.servedArs,
      scope: admin.verband ? { level: 'verband', ars: admin.verband.ars } : { level: 'municipality', ars: admin.seat.ars },
      url: `${SANDBOX_ORIGINS.ewa}/anmeldung?ags=${admin.seat.ags}`,
      trust: 'hoch',
      login: ['BUNDID'],
      titleSuffix: unitName.get(office.unitId),
    });
    office.ewaOnlineServiceId = os.id;
  }

  // ---- ThAVEL GovAPPs of the local administrations (digital maturity varies a lot between authorities)
  for (const office of offices) {
    const admin = u.administrationOfUnit.get(office.unitId)!;
    const maturity = rng.next();
    for (const app of THAVEL_MUNICIPAL_APPS) {
      if (!rng.chance(Math.min(0.95, app.p * (0.3 + 1.4 * maturity)))) continue;
      const { service, profile } = svc(app.key);
      const areas = office.servedArs.filter((a) => !profile.minPopulation || regions.byArs.get(a)!.population >= profile.minPopulation);
      if (areas.length === 0) continue;
      add({
        key: app.key,
        provider: 'THAVEL',
        operatorUnitId: office.unitId,
        areas,
        scope: admin.verband ? { level: 'verband', ars: admin.verband.ars } : { level: 'municipality', ars: admin.seat.ars },
        url: thavelUrl(service, office.unitId),
        trust: app.trust,
        login: both,
        titleSuffix: unitName.get(office.unitId),
      });
    }
  }

  return { onlineServices: out };
}
