import type { UpstreamAdapter, UpstreamMode } from '../runtime/adapter';
import { HOUR, MIN } from '../runtime/source';
import { createDvdvUpstreamClient, DvdvDirectory, type DvdvDirectoryOptions } from './client';
import { dvdvConfig, type DvdvConfig } from './config';
import { createDvdvLoaders, type DvdvLoaders } from './loaders';
import { dvdvSandboxRoutes } from './sandbox';
import { SANDBOX_CLIENT_FINGERPRINT, SANDBOX_CLIENT_PRIVATE_KEY_PEM } from './sandbox-credentials';
import { credentialsFromPem } from './token';

/** DVDV2 directory API v2 (REST/JSON, several operator URLs with failover). See README.md beside this file. */
export const dvdvAdapter = {
  name: 'dvdv',
  config: dvdvConfig,
  // Endpoints/certificates are security-relevant: the data cache caps DVDV entries at 4 h whatever is set here.
  cache: { ttlMs: 30 * MIN, staleWhileRevalidateMs: 30 * MIN, staleIfErrorMs: 3 * HOUR },
  // DVDV operators run several directory instances; the client fails over between them.
  transport: (baseUrls, settings) => createDvdvUpstreamClient(baseUrls, settings),
  // One directory (and so one token cache) for the life of the process.
  client: ({ source, config, mode }) => new DvdvDirectory(source, directoryOptions(config, mode)),
  loaders: createDvdvLoaders,
  sandbox: dvdvSandboxRoutes,
} satisfies UpstreamAdapter<'dvdv', DvdvConfig, DvdvDirectory, DvdvLoaders>;

/**
 * The embedded sandbox is queried like a real operator — standalone authentication with the published sandbox
 * key, so the token flow runs on every start. A configured operator uses the configured entry path and
 * credentials; without any, `intern/directory` (no token; only allowed from inside the data centre).
 */
export function directoryOptions(config: DvdvConfig, mode: UpstreamMode): DvdvDirectoryOptions {
  if (mode === 'sandbox') {
    return { entryPath: 'extern/standaloneauth/directory', credentials: { privateKeyPem: SANDBOX_CLIENT_PRIVATE_KEY_PEM, fingerprint: SANDBOX_CLIENT_FINGERPRINT } };
  }
  if (config.entryPath || config.clientKeyPem) {
    return {
      entryPath: config.entryPath ?? 'extern/standaloneauth/directory',
      credentials: config.clientKeyPem ? credentialsFromPem(config.clientKeyPem, config.clientCertPem!) : undefined,
    };
  }
  return { entryPath: 'intern/directory' };
}
