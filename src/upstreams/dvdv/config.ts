import { readFileSync } from 'node:fs';
import { ConfigError, oneOf, upstreamTarget, type AdapterConfigBase, type ConfigSection } from '../../config/config';
import { DVDV_ENTRY_PATHS, type DvdvEntryPath } from './client';

/** DVDV operator access: entry path and, for standalone authentication, the client key and certificate (PEM). */
export interface DvdvConfig extends AdapterConfigBase {
  entryPath?: DvdvEntryPath;
  clientKeyPem?: string;
  clientCertPem?: string;
}

declare module '../../config/config' {
  interface AdapterConfigs {
    dvdv: DvdvConfig;
  }
}

export const dvdvConfig: ConfigSection<DvdvConfig> = {
  vars: {
    DVDV_BASE_URLS: { default: 'sandbox', help: 'DVDV operator base URL(s), comma-separated for failover (deployment-specific)' },
    DVDV_ENTRY_PATH: { default: '', help: 'DVDV entry path: `intern/directory`, `extern/standaloneauth/directory` or `extern/bundesmasterauth/directory`; empty = `intern/directory` (or standalone auth for the sandbox)' },
    DVDV_CLIENT_KEY_FILE: { default: '', help: 'PEM private key of the gateway\'s DVDV client certificate (standalone authentication); with DVDV_CLIENT_CERT_FILE' },
    DVDV_CLIENT_CERT_FILE: { default: '', help: 'PEM client certificate registered with the DVDV operator; with DVDV_CLIENT_KEY_FILE' },
  },
  parse: (raw, { production }) => ({
    target: upstreamTarget('DVDV_BASE_URLS', raw('DVDV_BASE_URLS'), production),
    ...access(raw('DVDV_ENTRY_PATH'), raw('DVDV_CLIENT_KEY_FILE'), raw('DVDV_CLIENT_CERT_FILE')),
  }),
};

function access(entryPath: string, keyFile: string, certFile: string): Omit<DvdvConfig, 'target'> {
  const path = entryPath ? oneOf('DVDV_ENTRY_PATH', entryPath, DVDV_ENTRY_PATHS) : undefined;
  if (!keyFile !== !certFile) {
    const missing = keyFile ? 'DVDV_CLIENT_CERT_FILE' : 'DVDV_CLIENT_KEY_FILE';
    throw new ConfigError(missing, 'a PEM file (the key and the certificate are configured together)', undefined);
  }
  const read = (variable: string, file: string, marker: RegExp): string | undefined => {
    if (!file) return undefined;
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(variable, 'a readable PEM file', `${file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    if (!marker.test(pem)) throw new ConfigError(variable, 'a PEM file', file);
    return pem;
  };
  return {
    entryPath: path,
    clientKeyPem: read('DVDV_CLIENT_KEY_FILE', keyFile, /-----BEGIN (RSA |EC )?PRIVATE KEY-----/),
    clientCertPem: read('DVDV_CLIENT_CERT_FILE', certFile, /-----BEGIN CERTIFICATE-----/),
  };
}

