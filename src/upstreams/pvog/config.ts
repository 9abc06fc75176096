import { ConfigError, httpUrl, int, upstreamTarget, type AdapterConfigBase, type ConfigSection } from '../../config/config';

/**
 * Where the harvester reads the Bereitstelldienst bulk feed (docs/upstreams/portal-pvog.md §1/§3). Unset: the
 * harvest asks the Suchdienst per ARS. `sandbox`: the feed of the PVOG sandbox (same server as the Suchdienst).
 * A URL: the feed endpoint on its own host, optionally behind OAuth2 client_credentials (Keycloak in the demo).
 */
export type PvogBulkConfig =
  | { kind: 'sandbox' }
  | { kind: 'url'; url: string; oauth?: { tokenUrl: string; clientId: string; clientSecret: string } };

export interface PvogConfig extends AdapterConfigBase {
  /** Value of the `pvog-sud-api-client-id` header issued by FITKO. */
  clientId?: string;
  /** Request rate limit towards a real PVOG per gateway instance. */
  maxRps: number;
  /** The bulk feed the harvester reads instead of asking per ARS; undefined = per ARS. */
  bulk?: PvogBulkConfig;
}

declare module '../../config/config' {
  interface AdapterConfigs {
    pvog: PvogConfig;
  }
}

const OAUTH_VARS = ['PVOG_BULK_TOKEN_URL', 'PVOG_BULK_CLIENT_ID', 'PVOG_BULK_CLIENT_SECRET'] as const;

function bulkConfig(raw: (variable: string) => string, production: boolean): PvogBulkConfig | undefined {
  const v = raw('PVOG_BULK_URL');
  const oauth = OAUTH_VARS.map((n) => raw(n));
  if (!v) return undefined;
  const target = upstreamTarget('PVOG_BULK_URL', v, production);
  if (target.kind === 'sandbox') return { kind: 'sandbox' };
  if (target.urls.length !== 1) throw new ConfigError('PVOG_BULK_URL', 'one http(s) URL of the feed endpoint or `sandbox`', v);
  // The three OAuth2 values go together: a token URL without credentials (or the reverse) is a typo, not a choice.
  const given = oauth.filter(Boolean).length;
  if (given !== 0 && given !== 3) {
    const missing = OAUTH_VARS[oauth.findIndex((x) => !x)];
    throw new ConfigError(missing, 'a value (PVOG_BULK_TOKEN_URL, PVOG_BULK_CLIENT_ID and PVOG_BULK_CLIENT_SECRET are configured together)', undefined);
  }
  return {
    kind: 'url',
    url: target.urls[0],
    oauth: given ? { tokenUrl: httpUrl('PVOG_BULK_TOKEN_URL', oauth[0]), clientId: oauth[1], clientSecret: oauth[2] } : undefined,
  };
}

export const pvogConfig: ConfigSection<PvogConfig> = {
  vars: {
    PVOG_BASE_URL: { default: 'sandbox', help: 'PVOG Suchdienst base, prod `https://pvog.fitko.net/suchdienst/api`' },
    PVOG_CLIENT_ID: { default: '', help: 'value of the `pvog-sud-api-client-id` header issued by FITKO' },
    PVOG_MAX_RPS: { default: '5', help: 'request rate limit towards a real PVOG per gateway instance (not applied to the sandbox)' },
    PVOG_BULK_URL: {
      default: '',
      help: 'Bereitstelldienst feed the harvester reads instead of asking per ARS, e.g. `https://…/bereitstelldienst/api/v2/verwaltungsobjekte`; `sandbox` = the PVOG sandbox feed; empty = per ARS',
    },
    PVOG_BULK_TOKEN_URL: { default: '', help: 'OAuth2 token endpoint (client_credentials) of the Bereitstelldienst; empty = no token' },
    PVOG_BULK_CLIENT_ID: { default: '', help: 'OAuth2 client id for the Bereitstelldienst' },
    PVOG_BULK_CLIENT_SECRET: { default: '', help: 'OAuth2 client secret for the Bereitstelldienst' },
  },
  parse: (raw, { production }) => ({
    target: upstreamTarget('PVOG_BASE_URL', raw('PVOG_BASE_URL'), production),
    clientId: raw('PVOG_CLIENT_ID') || undefined,
    maxRps: int('PVOG_MAX_RPS', raw('PVOG_MAX_RPS'), 1, 1000),
    bulk: bulkConfig(raw, production),
  }),
};
