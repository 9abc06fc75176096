import { ConfigError, upstreamTarget, type AdapterConfigBase, type ConfigSection } from '../../config/config';
import type { OgcKind } from './capabilities';

export interface GeoproxyConfig extends AdapterConfigBase {
  /** The Geoproxy services the gateway may query; a client can never name another. */
  services: GeoproxyServiceConfig[];
}

declare module '../../config/config' {
  interface AdapterConfigs {
    geoproxy: GeoproxyConfig;
  }
}

export interface GeoproxyServiceConfig {
  /** ServiceName below the services root, e.g. `DOP` or `kommunal/komm_wfs`. */
  name: string;
  kind: OgcKind;
  /** Version to ask for; the server may answer another (the parser follows the document). */
  version: string;
}

/**
 * Seeded from docs/upstreams/geoproxy-ogc.md §1: the services whose name, kind and version are confirmed there.
 * Entries marked unverified in that table (INSPIREcp_wfs, inspire_ad, the BORIS WFS, DGM/WCS) are left out.
 */
export const DEFAULT_GEOPROXY_SERVICES: readonly GeoproxyServiceConfig[] = [
  { name: 'DOP', kind: 'WMS', version: '1.3.0' },
  { name: 'adv_alkis_wms_th', kind: 'WMS', version: '1.3.0' },
  { name: 'adv_alkis_wfs', kind: 'WFS', version: '2.0.0' },
  { name: 'ALKIS_NAS_Flurstueck', kind: 'WFS', version: '2.0.0' },
  { name: 'INSPIREcp', kind: 'WMS', version: '1.3.0' },
  { name: 'STRNETZ_wfs', kind: 'WFS', version: '1.1.0' },
  { name: 'kommunal/komm_wfs', kind: 'WFS', version: '2.0.0' },
  { name: 'boris/vBORIS_simple', kind: 'WMS', version: '1.3.0' },
  { name: 'geobasis/DTK10col', kind: 'WMS', version: '1.3.0' },
  { name: 'geobasis/DTK25col', kind: 'WMS', version: '1.3.0' },
  { name: 'geobasis/DTK50col', kind: 'WMS', version: '1.3.0' },
  { name: 'geobasis/DTK100col', kind: 'WMS', version: '1.3.0' },
];

const VERSIONS: Record<OgcKind, string[]> = { WMS: ['1.3.0', '1.1.1'], WFS: ['2.0.0', '1.1.0'] };
const NAME_RE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/**
 * `GEOPROXY_SERVICES` syntax: comma-separated `Name=KIND@version`, e.g.
 * `DOP=WMS@1.3.0,kommunal/komm_wfs=WFS@2.0.0`. Throws a message naming the expected form.
 */
export function parseGeoproxyServices(spec: string | undefined): GeoproxyServiceConfig[] {
  if (spec === undefined || spec.trim() === '') return [...DEFAULT_GEOPROXY_SERVICES];
  return spec.split(',').map((part) => {
    const m = /^\s*([^=\s]+)\s*=\s*(WMS|WFS)\s*@\s*([\d.]+)\s*$/i.exec(part);
    const kind = m?.[2].toUpperCase() as OgcKind | undefined;
    if (!m || !kind || !NAME_RE.test(m[1]) || m[1].split('/').some((s) => s === '.' || s === '..') || !VERSIONS[kind].includes(m[3])) {
      throw new TypeError(
        `GEOPROXY_SERVICES: expected comma-separated "Name=WMS@1.3.0|1.1.1" or "Name=WFS@2.0.0|1.1.0" entries, got ${JSON.stringify(part.trim())}`,
      );
    }
    return { name: m[1], kind, version: m[3] };
  });
}

export const geoproxyConfig: ConfigSection<GeoproxyConfig> = {
  vars: {
    GEOPROXY_BASE_URL: { default: 'sandbox', help: 'Geoproxy services root, prod `https://www.geoproxy.geoportal-th.de/geoproxy/services`' },
    GEOPROXY_SERVICES: { default: '', help: 'Geoproxy services to expose, `Name=WMS@1.3.0,Other=WFS@2.0.0`; empty = the services listed in the upstream notes' },
  },
  parse: (raw, { production }) => ({ target: upstreamTarget('GEOPROXY_BASE_URL', raw('GEOPROXY_BASE_URL'), production), services: services(raw('GEOPROXY_SERVICES')) }),
};

function services(v: string): GeoproxyServiceConfig[] {
  try {
    return parseGeoproxyServices(v || undefined);
  } catch (e) {
    const detail = (e as Error).message.replace(/^GEOPROXY_SERVICES: expected /, '');
    throw new ConfigError('GEOPROXY_SERVICES', detail.replace(/, got .*$/, ''), v);
  }
}
