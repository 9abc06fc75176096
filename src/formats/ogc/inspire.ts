import type { XmlElement } from '../../upstreams/runtime/xml';

/**
 * INSPIRE extended-capabilities namespaces. Real servers declare them with `http://` and `https://`,
 * on the `inspire.ec.europa.eu` and the older `inspire.europa.eu` host, with or without a trailing
 * slash and in several schema versions; an element is INSPIRE when its namespace is one of this known
 * set (INSPIRE TG View Services 3.11 / Download Services 3.1 / Discovery Services 3.1 name the 1.0 schemas).
 */

const SCHEMES = ['http', 'https'];
const HOSTS = ['inspire.ec.europa.eu', 'inspire.europa.eu'];
const VERSIONS = ['1.0', '1.0.1', '1.0.2'];

function variants(schema: string): ReadonlySet<string> {
  const out = new Set<string>();
  for (const s of SCHEMES) for (const h of HOSTS) for (const v of VERSIONS) for (const tail of ['', '/']) out.add(`${s}://${h}/schemas/${schema}/${v}${tail}`);
  return out;
}

export const INSPIRE_NAMESPACES = {
  common: variants('common'),
  /** View services (WMS, and inspire_vs_ows11 for WMTS). */
  vs: new Set([...variants('inspire_vs'), ...variants('inspire_vs_ows11')]),
  /** Download services (WFS, Atom). */
  dls: variants('inspire_dls'),
  /** Discovery services (CSW). */
  ds: variants('inspire_ds'),
} as const;

export type InspireSchema = keyof typeof INSPIRE_NAMESPACES;

export const isInspire = (el: XmlElement, schema: InspireSchema): boolean => INSPIRE_NAMESPACES[schema].has(el.ns);

/** First child in any known namespace variant of `schema`. */
export const inspireChild = (el: XmlElement | undefined, schema: InspireSchema, local: string): XmlElement | undefined =>
  el?.elements.find((e) => e.local === local && isInspire(e, schema));

export const inspireChildren = (el: XmlElement | undefined, schema: InspireSchema, local: string): XmlElement[] =>
  el?.elements.filter((e) => e.local === local && isInspire(e, schema)) ?? [];

/** The INSPIRE ExtendedCapabilities element (vs, dls or ds) among the descendants of `el`, if any. */
export function findInspireExtendedCapabilities(el: XmlElement | undefined): XmlElement | undefined {
  if (!el) return undefined;
  return el.descendants('*', 'ExtendedCapabilities').find((e) => isInspire(e, 'vs') || isInspire(e, 'dls') || isInspire(e, 'ds'));
}

export interface InspireExtendedCapabilities {
  metadataUrl: string | null;
  languages: string[];
  responseLanguage: string | null;
  spatialDataSetIdentifiers: { code: string; namespace: string | null }[];
}

/** inspire_common:MetadataUrl, SupportedLanguages, ResponseLanguage and (download services) SpatialDataSetIdentifier. */
export function readInspireExtendedCapabilities(ext: XmlElement): InspireExtendedCapabilities {
  const langs = inspireChild(ext, 'common', 'SupportedLanguages');
  const languages = langs ? langs.descendants('*', 'Language').filter((l) => isInspire(l, 'common')).map((l) => l.text()).filter(Boolean) : [];
  return {
    metadataUrl: inspireChild(inspireChild(ext, 'common', 'MetadataUrl'), 'common', 'URL')?.text() || null,
    languages: [...new Set(languages)],
    responseLanguage: inspireChild(inspireChild(ext, 'common', 'ResponseLanguage'), 'common', 'Language')?.text() || null,
    spatialDataSetIdentifiers: ext
      .children('*', 'SpatialDataSetIdentifier')
      .map((i) => ({ code: inspireChild(i, 'common', 'Code')?.text() ?? '', namespace: inspireChild(i, 'common', 'Namespace')?.text() || null }))
      .filter((i) => i.code !== ''),
  };
}
