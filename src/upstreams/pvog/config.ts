import { int, upstreamTarget, type AdapterConfigBase, type ConfigSection } from '../../config/config';

export interface PvogConfig extends AdapterConfigBase {
  /** Value of the `pvog-sud-api-client-id` header issued by FITKO. */
  clientId?: string;
  /** Request rate limit towards a real PVOG per gateway instance. */
  maxRps: number;
}

declare module '../../config/config' {
  interface AdapterConfigs {
    pvog: PvogConfig;
  }
}

export const pvogConfig: ConfigSection<PvogConfig> = {
  vars: {
    PVOG_BASE_URL: { default: 'sandbox', help: 'PVOG Suchdienst base, prod `https://pvog.fitko.net/suchdienst/api`' },
    PVOG_CLIENT_ID: { default: '', help: 'value of the `pvog-sud-api-client-id` header issued by FITKO' },
    PVOG_MAX_RPS: { default: '5', help: 'request rate limit towards a real PVOG per gateway instance (not applied to the sandbox)' },
  },
  parse: (raw, { production }) => ({
    target: upstreamTarget('PVOG_BASE_URL', raw('PVOG_BASE_URL'), production),
    clientId: raw('PVOG_CLIENT_ID') || undefined,
    maxRps: int('PVOG_MAX_RPS', raw('PVOG_MAX_RPS'), 1, 1000),
  }),
};
