/**
 * Identifier and host scheme of the sandbox world (also in README.md):
 *
 * - LeiKa keys: real keys from data/leika-seen.csv; everything else in the reserved range `99999` + 9 digits
 *   (data/SOURCES.md), with names starting "[Sandbox]".
 * - PVOG-style ids: Mandant `SBX16` — `SBX16.LB.<n>` Leistung, `SBX16.OE.<n>` Organisationseinheit,
 *   `SBX16.ZS.<n>` Zuständigkeit, `SBX16.OD.<n>` Onlinedienst.
 * - Geo: fileIdentifiers are version-8 UUIDs whose first group is `5a4db0c5`; resource identifiers live under
 *   `https://registry.sandbox.invalid/id/de.th.sandbox…/`; Geoproxy services invented here are named `sandbox/…`
 *   with `sbx_` layers (real Geoproxy service/layer names are kept where docs/upstreams/geoproxy-ogc.md lists them).
 * - DVDV: organisation ids 1699xxxxx, service ids 1698xxxxx, element ids 1697xxxxx, provider ids 16960000x;
 *   keys use the real key forms on real AGS/ARS (`ags:`, `psb:…_00`, `pab:…_00`, `ubb:<12-digit ARS>`), AZR keys
 *   use the sandbox range `azr:16_999<district>`; certificates are issued by "SANDBOX DOI CA", serials start 5A4DB0C5.
 * - Hosts: only reserved names — `*.sandbox.invalid` (RFC 6761) for services, `*.example.org` (RFC 2606) for
 *   authorities' web sites and e-mail. Phone numbers use subscriber numbers starting with 0, which the German
 *   numbering plan never assigns.
 */

export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 'thuegate-sandbox';
export const DEFAULT_AS_OF = '2026-11-01';

export const PVOG_MANDANT = 'SBX16';
export const pvogId = (kind: 'LB' | 'OE' | 'ZS' | 'OD', n: number): string => `${PVOG_MANDANT}.${kind}.${n}`;

export const SANDBOX_LEIKA_PREFIX = '99999';
export const SANDBOX_NAME_PREFIX = '[Sandbox]';
export const isSandboxLeikaKey = (key: string): boolean => /^99999\d{9}$/.test(key);

/** Canonical origins of the sandbox upstreams; servers replace them with their listening address (`rebaseUrl`). */
export const SANDBOX_ORIGINS = {
  pvog: 'https://pvog.sandbox.invalid',
  thavel: 'https://thavel.sandbox.invalid',
  efa: 'https://efa.sandbox.invalid',
  ewa: 'https://ewa.sandbox.invalid',
  bund: 'https://bund.sandbox.invalid',
  formulare: 'https://formulare.sandbox.invalid',
  geomis: 'https://geomis.sandbox.invalid',
  geoproxy: 'https://geoproxy.sandbox.invalid',
  registry: 'https://registry.sandbox.invalid',
  dvdv: 'https://dvdv.sandbox.invalid',
  intermediary: 'https://intermediaer.sandbox.invalid',
  intermediaryTesta: 'https://intermediaer-testa.sandbox.invalid',
  osci: 'https://osci.sandbox.invalid',
  spec: 'https://spec.sandbox.invalid',
} as const;
export type SandboxOriginName = keyof typeof SANDBOX_ORIGINS;

/** Replace a sandbox origin at the start of `url` by the matching entry of `bases` (e.g. `http://127.0.0.1:40123`). */
export function rebaseUrl(url: string, bases: Partial<Record<SandboxOriginName, string>>): string {
  for (const [name, origin] of Object.entries(SANDBOX_ORIGINS) as [SandboxOriginName, string][]) {
    const base = bases[name];
    if (base && (url === origin || url.startsWith(`${origin}/`) || url.startsWith(`${origin}?`))) {
      return base.replace(/\/$/, '') + url.slice(origin.length);
    }
  }
  return url;
}

export function isReservedHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h.endsWith('.invalid') ||
    h === 'invalid' ||
    /(^|\.)example\.(org|com|net)$/.test(h) ||
    h === 'localhost' ||
    h === '127.0.0.1'
  );
}

/**
 * Real hosts that occur only inside vocabulary identifiers (namespaces, code lists, licence and CRS URIs,
 * WSDL targetNamespaces used as DVDV service specification URIs) — never as an endpoint anyone contacts.
 */
export const VOCABULARY_HOSTS = [
  'inspire.ec.europa.eu', // INSPIRE theme / code-list URIs (gmx:Anchor hrefs)
  'www.opengis.net', // CRS URIs
  'www.govdata.de', // dl-de licence URIs
  'www.osci.de', // XMeld / XAusländer WSDL targetNamespaces
  'www.bsi.de', // XhD WSDL targetNamespace
] as const;

// ---------------------------------------------------------------- code lists

export const LINK_TYPE_LIST = 'urn:xoev-de:fim:codeliste:onlinedienstlinktyp';
/** Sandbox code list for Vertrauensniveau — the real list URI is not confirmed (docs/upstreams/thavel.md §2.1). */
export const TRUST_LEVEL_LIST = 'urn:de:sandbox:thuegate:codeliste:vertrauensniveau';
export type TrustLevel = 'niedrig' | 'substanziell' | 'hoch';

export const INSPIRE_THEME_THESAURUS = 'GEMET - INSPIRE themes, version 1.0';
export const INSPIRE_THEME_THESAURUS_DATE = '2008-06-01';
export const CONFORMITY_DATA = {
  title:
    'VERORDNUNG (EG) Nr. 1089/2010 DER KOMMISSION vom 23. November 2010 zur Durchführung der Richtlinie 2007/2/EG ' +
    'des Europäischen Parlaments und des Rates hinsichtlich der Interoperabilität von Geodatensätzen und -diensten',
  date: '2010-12-08',
};
export const CONFORMITY_SERVICES = {
  title:
    'VERORDNUNG (EG) Nr. 976/2009 DER KOMMISSION vom 19. Oktober 2009 zur Durchführung der Richtlinie 2007/2/EG ' +
    'des Europäischen Parlaments und des Rates hinsichtlich der Netzdienste',
  date: '2009-10-20',
};

/** DVDV service specification URIs (WSDL targetNamespaces) named in docs/upstreams/dvdv.md; XBau is a sandbox URI. */
export const SPEC_URI = {
  xmeld: 'http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl',
  xhd15: 'http://www.bsi.de/trxhd/1.5/wsdl/xhd15Dh2BehServiceOsci.wsdl',
  xhd14: 'http://www.bsi.de/trxhd/1.4/wsdl/xhd14Dh2BehServiceOsci.wsdl',
  xauslaender: 'http://www.osci.de/xauslaender1100/xauslaender1100ABHABH.wsdl',
  xbauSandbox: `${SANDBOX_ORIGINS.spec}/xbau/2.2/xbau22Baugenehmigung.wsdl`,
} as const;

export const DVDV_CATEGORY = {
  melde: 'Meldebehörde',
  pass: 'Passbehörde',
  pa: 'Personalausweisbehörde',
  abh: 'Ausländerbehörde',
  ubb: 'Untere Bauaufsichtsbehörde',
} as const;

/** Thüringen plausibility box of conformance rule R9b. */
export const THURINGIA_BOX = { west: 9.8, east: 12.7, south: 50.2, north: 51.7 };

// ---------------------------------------------------------------- small helpers

/** Display form of an official municipality name: "Erfurt, Stadt" → "Erfurt". */
export const displayName = (official: string): string => official.replace(/, (Stadt|Gemeinde)$/, '');
export const isTown = (official: string): boolean => /, Stadt$/.test(official);

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const DAY_MS = 86_400_000;

export function parseAsOf(asOf: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
    throw new WorldOptionError('asOf', 'an ISO date YYYY-MM-DD', asOf);
  }
  const t = Date.parse(`${asOf}T00:00:00Z`);
  if (new Date(t).toISOString().slice(0, 10) !== asOf) throw new WorldOptionError('asOf', 'a valid calendar date', asOf);
  return t;
}

export const dayOffset = (base: number, days: number): string => new Date(base + days * DAY_MS).toISOString().slice(0, 10);
export const instantOffset = (base: number, days: number, seconds = 0): string =>
  new Date(base + days * DAY_MS + seconds * 1000).toISOString();

export class WorldOptionError extends Error {
  constructor(readonly field: string, readonly expected: string, readonly value: unknown) {
    super(`sandbox world option '${field}' must be ${expected}, got ${JSON.stringify(value)}`);
    this.name = 'WorldOptionError';
  }
}
