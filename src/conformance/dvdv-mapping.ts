/**
 * The reviewed mapping of conformance rule D-2 (docs/conformance-rules.md §D): which Leistungen are processed over
 * OSCI/XTA back-office services and therefore need a DVDV entry of the responsible authority, in which DVDV
 * category, under which key, for which service specification. No published source links PVOG Organisationseinheiten
 * to DVDV organisations, so the key is derived from the municipality (AGS) or the district (ARS).
 *
 * Entries are reviewed by hand. Real LeiKa keys come from data/leika-seen.csv; the Meldewesen, Bau and
 * Ausländer entries use the sandbox's reserved LeiKa range (99999…) and the sandbox's AZR key range and
 * specification host, because no real LeiKa key or AZR key of Thüringen for them is in data/ — an operator adds
 * the real rows before using D-2 against a real DVDV.
 */
export interface DvdvMappingEntry {
  leikaKey: string;
  category: string;
  /** `municipality`: one key per municipality, from its AGS; `district`: one key per Kreis, from its ARS. */
  keyScope: 'municipality' | 'district';
  /** Key template: `{ags}` (8 digits), `{district12}` (Kreis-ARS padded to 12), `{district3}` (Kreis number). */
  keyTemplate: string;
  serviceSpecificationUri: string;
  sandbox: boolean;
}

const XHD15 = 'http://www.bsi.de/trxhd/1.5/wsdl/xhd15Dh2BehServiceOsci.wsdl';
const XMELD = 'http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl';
const XAUSLAENDER = 'http://www.osci.de/xauslaender1100/xauslaender1100ABHABH.wsdl';

export const DVDV_MAPPING: readonly DvdvMappingEntry[] = [
  // Personalausweis beantragen (TR XhD 1.5, Personalausweisbehörde `pab:<AGS>_00`)
  { leikaKey: '99008001012000', category: 'Personalausweisbehörde', keyScope: 'municipality', keyTemplate: 'pab:{ags}_00', serviceSpecificationUri: XHD15, sandbox: false },
  // Reisepass beantragen (Passbehörde `psb:<AGS>_00`)
  { leikaKey: '99085001012000', category: 'Passbehörde', keyScope: 'municipality', keyTemplate: 'psb:{ags}_00', serviceSpecificationUri: XHD15, sandbox: false },
  // Meldewesen (XMeld, Meldebehörde `ags:<AGS>`): sandbox Leistungen 001–003
  ...['99999001001000', '99999002001000', '99999003001000'].map((leikaKey) => ({
    leikaKey, category: 'Meldebehörde', keyScope: 'municipality' as const, keyTemplate: 'ags:{ags}', serviceSpecificationUri: XMELD, sandbox: true,
  })),
  // Baugenehmigung (XBau, Untere Bauaufsichtsbehörde `ubb:<Kreis-ARS 12>`): sandbox Leistung 004 and specification
  { leikaKey: '99999004001000', category: 'Untere Bauaufsichtsbehörde', keyScope: 'district', keyTemplate: 'ubb:{district12}', serviceSpecificationUri: 'https://spec.sandbox.invalid/xbau/2.2/xbau22Baugenehmigung.wsdl', sandbox: true },
  // Ausländerbehörde (XAusländer, `azr:`): sandbox Leistung 008 and the sandbox AZR key range
  { leikaKey: '99999008001000', category: 'Ausländerbehörde', keyScope: 'district', keyTemplate: 'azr:16_999{district3}', serviceSpecificationUri: XAUSLAENDER, sandbox: true },
];

/** The DVDV key an entry expects for a municipality. */
export function dvdvKey(entry: Pick<DvdvMappingEntry, 'keyTemplate'>, m: { ags: string; districtArs: string }): string {
  return entry.keyTemplate
    .replace('{ags}', m.ags)
    .replace('{district12}', m.districtArs.padEnd(12, '0'))
    .replace('{district3}', m.districtArs.slice(2, 5));
}

/**
 * Every (category, key) the mapping can expect for these municipalities, with the specification URIs of its entries:
 * what the DVDV harvest looks up per district, so a snapshot answers whatever PVOG offers there (src/harvest/items.ts).
 */
export function mappedLookups(municipalities: readonly { ags: string; districtArs: string }[]): { category: string; organizationKey: string; serviceUris: string[] }[] {
  const out = new Map<string, { category: string; organizationKey: string; serviceUris: string[] }>();
  for (const m of municipalities) {
    for (const entry of DVDV_MAPPING) {
      const organizationKey = dvdvKey(entry, m);
      const id = `${entry.category}|${organizationKey}`;
      const e = out.get(id) ?? { category: entry.category, organizationKey, serviceUris: [] };
      if (!e.serviceUris.includes(entry.serviceSpecificationUri)) e.serviceUris.push(entry.serviceSpecificationUri);
      out.set(id, e);
    }
  }
  return [...out.values()];
}
