import type { Services } from '../schema/context';
import { DvdvDirectory, type DvdvDirectoryOptions } from '../upstreams/dvdv/client';
import { SANDBOX_CLIENT_FINGERPRINT, SANDBOX_CLIENT_PRIVATE_KEY_PEM } from '../upstreams/dvdv/sandbox-credentials';
import type { UpstreamSource } from '../upstreams/runtime/source';

/**
 * One DvdvDirectory (and so one token cache) per DVDV source for the life of the process. Kept beside
 * `Services` rather than in it so the composition root only has to opt in to non-default settings.
 */
const directories = new WeakMap<UpstreamSource, DvdvDirectory>();
const configured = new WeakMap<UpstreamSource, DvdvDirectoryOptions>();

/** Explicit settings for a configured DVDV operator (entry path, client credentials); call before the first request. */
export function configureDvdv(source: UpstreamSource, options: DvdvDirectoryOptions): void {
  configured.set(source, options);
  directories.delete(source);
}

/**
 * Defaults: the embedded sandbox is queried like a real operator — standalone authentication with the
 * published sandbox key, so the token flow runs on every start. A configured operator without explicit
 * settings is queried on `intern/directory` (no token; only allowed from inside the data centre).
 */
export function defaultDvdvOptions(services: Pick<Services, 'ops'>): DvdvDirectoryOptions {
  if (services.ops?.upstreamModes.dvdv === 'sandbox') {
    return { entryPath: 'extern/standaloneauth/directory', credentials: { privateKeyPem: SANDBOX_CLIENT_PRIVATE_KEY_PEM, fingerprint: SANDBOX_CLIENT_FINGERPRINT } };
  }
  return { entryPath: 'intern/directory' };
}

export function dvdvDirectoryFor(services: Pick<Services, 'upstreams' | 'ops'>): DvdvDirectory {
  const source = services.upstreams.dvdv;
  let d = directories.get(source);
  if (!d) {
    d = new DvdvDirectory(source, configured.get(source) ?? defaultDvdvOptions(services));
    directories.set(source, d);
  }
  return d;
}

/** Organisation-key prefixes for municipality-level categories (dvdv.md §3): `ags:<AGS>`, `psb:/pab:<AGS>_00`. */
export const MUNICIPALITY_KEY_FORMS: Record<string, (ags: string) => string> = {
  Meldebehörde: (ags) => `ags:${ags}`,
  Passbehörde: (ags) => `psb:${ags}_00`,
  Personalausweisbehörde: (ags) => `pab:${ags}_00`,
};

/** The category a key's prefix stands for, from the directory's own category tree (prefix ↔ category). */
export function categoryForPrefix(tree: { name: string; prefix: string | null; children: unknown[] }[], prefix: string): string | undefined {
  for (const c of tree) {
    if (c.prefix === prefix) return c.name;
    const inner = categoryForPrefix(c.children as typeof tree, prefix);
    if (inner) return inner;
  }
  return undefined;
}
