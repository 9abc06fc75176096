import type { ProvenanceInfo } from './source';

/**
 * The provenance of an answer assembled from several upstream answers: the oldest fetch time (the answer is
 * no fresher than its oldest part) and stale if any part was served stale. The source is the first part's.
 * The one implementation of this rule; `empty` is what an answer built from no parts reports.
 */
export function mergeProvenance<P extends Pick<ProvenanceInfo, 'fetchedAt' | 'stale'> & { source: string } = ProvenanceInfo>(parts: readonly P[], empty?: P): P {
  if (parts.length === 0) {
    if (!empty) throw new TypeError('mergeProvenance: no parts and no provenance for the empty answer');
    return empty;
  }
  return parts.reduce((a, b) => ({ source: a.source, fetchedAt: a.fetchedAt <= b.fetchedAt ? a.fetchedAt : b.fetchedAt, stale: a.stale || b.stale }) as P);
}

/** A copy with exactly the public fields (DTOs are cached as JSON; no extra keys leak into the schema). */
export const provenanceOf = (p: ProvenanceInfo): ProvenanceInfo => ({ source: p.source, fetchedAt: p.fetchedAt, stale: p.stale });
