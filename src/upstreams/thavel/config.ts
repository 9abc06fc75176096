import { upstreamTarget, type AdapterConfigBase, type ConfigSection } from '../../config/config';

export type ThavelConfig = AdapterConfigBase;

declare module '../../config/config' {
  interface AdapterConfigs {
    thavel: ThavelConfig;
  }
}

export const thavelConfig: ConfigSection<ThavelConfig> = {
  vars: { THAVEL_BASE_URL: { default: 'sandbox', help: 'ThAVEL catalogue endpoint (adopted contract, see upstream notes)' } },
  parse: (raw, { production }) => ({ target: upstreamTarget('THAVEL_BASE_URL', raw('THAVEL_BASE_URL'), production) }),
};
