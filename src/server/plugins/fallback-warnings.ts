import type { ApolloServerPlugin } from '@apollo/server';
import type { FallbackNotice } from '../../upstreams/runtime/source';

/** What a client sees in `extensions.warnings` when an answer came from the harvest snapshot. */
export interface SnapshotFallbackWarning {
  code: 'UPSTREAM_SNAPSHOT_FALLBACK';
  upstream: string;
  /** The outage code the live call ended with (UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, …). */
  cause: string;
  message: string;
  snapshotId: number;
  /** When the snapshot read this upstream: the `provenance.fetchedAt` of the fields answered from it. */
  harvestedAt: string;
  ageSeconds: number;
}

/** One warning per upstream (the oldest snapshot data it served), in a stable order. */
export function fallbackWarnings(notices: readonly FallbackNotice[], now = Date.now()): SnapshotFallbackWarning[] {
  const byUpstream = new Map<string, FallbackNotice>();
  for (const n of notices) {
    const seen = byUpstream.get(n.upstream);
    if (!seen || n.harvestedAt < seen.harvestedAt) byUpstream.set(n.upstream, n);
  }
  return [...byUpstream.values()]
    .sort((a, b) => a.upstream.localeCompare(b.upstream))
    .map((n) => {
      const ageSeconds = Math.max(0, Math.round((now - n.harvestedAt.getTime()) / 1000));
      return {
        code: 'UPSTREAM_SNAPSHOT_FALLBACK',
        upstream: n.upstream,
        cause: n.cause,
        message: `${n.message} Answered from the harvest snapshot ${n.snapshotId} of ${n.harvestedAt.toISOString()} (${ageSeconds} s old); those fields carry provenance.stale = true.`,
        snapshotId: n.snapshotId,
        harvestedAt: n.harvestedAt.toISOString(),
        ageSeconds,
      };
    });
}

/**
 * Issue 11 item 6: an answer the upstream could not give now and the harvest snapshot gave instead is data, not an
 * error (the fields are complete for the snapshot's time), so it is told beside the data: `extensions.warnings`,
 * one per upstream, naming the upstream, its outage and the snapshot's age. Such a response is never cached
 * (the loaders mark it stale, see response-cache/plugin.ts).
 */
export const fallbackWarningsPlugin: ApolloServerPlugin<{ response?: { fallbacks?: FallbackNotice[] } }> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const notices = contextValue.response?.fallbacks;
        if (!notices?.length || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, warnings: fallbackWarnings(notices) };
      },
    };
  },
};
