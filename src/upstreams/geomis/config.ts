import { upstreamTarget, type AdapterConfigBase, type ConfigSection } from '../../config/config';

export type GeomisConfig = AdapterConfigBase;

declare module '../../config/config' {
  interface AdapterConfigs {
    geomis: GeomisConfig;
  }
}

export const geomisConfig: ConfigSection<GeomisConfig> = {
  vars: { GEOMIS_BASE_URL: { default: 'sandbox', help: 'GeoMIS.Th CSW, prod `https://geomis.geoportal-th.de/geonetwork/srv/ger/csw`' } },
  parse: (raw, { production }) => ({ target: upstreamTarget('GEOMIS_BASE_URL', raw('GEOMIS_BASE_URL'), production) }),
};
