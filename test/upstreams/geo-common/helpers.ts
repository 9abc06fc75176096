import { createCache } from '../../../src/cache';
import type { SandboxServer } from '../../../src/sandbox/http';
import { createUpstreamClient, type UpstreamClientConfig } from '../../../src/upstreams/runtime';
import type { UpstreamName } from '../../../src/upstreams/runtime/names';
import { UpstreamSource } from '../../../src/upstreams/runtime/source';

/** A real client + in-memory cache over a loopback server, closed by the returned `close`. */
export function sourceFor(name: UpstreamName, baseUrl: string, client: Partial<UpstreamClientConfig> = {}) {
  const c = createUpstreamClient({ name, baseUrl, retry: { maxAttempts: 1 }, ...client });
  const cache = createCache({ maxBytes: 64 << 20 });
  const source = new UpstreamSource(name, c, cache, { ttlMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 });
  return { source, close: async () => void (await Promise.all([c.close(), cache.close()])) };
}

export const call = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 });

export const postCount = (s: SandboxServer) => s.requests().filter((r) => r.method === 'POST').length;
