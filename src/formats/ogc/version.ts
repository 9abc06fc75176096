/**
 * OGC GetCapabilities version negotiation, for servers (the sandboxes) and for reading answers.
 * WMS 1.3.0 §6.2.4 (also WMS 1.1.1 §6.2.4): a supported version is answered as asked; otherwise the
 * highest supported version lower than the one asked, and if every supported version is higher, the
 * lowest; no version asked = the highest. OWS Common 1.1 §7.3.2 (WFS 2.0.0 §7.6): AcceptVersions lists
 * versions in the client's order of preference; the first one the server supports is answered, and
 * only when none is supported the answer is a VersionNegotiationFailed exception.
 */

/** Numeric comparison of dotted versions ("1.10.0" > "1.9.0"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** WMS 1.3.0 §6.2.4 negotiation; `supported` in any order, never empty. */
export function negotiateVersion(supported: readonly string[], requested: string | null | undefined): string {
  const sorted = [...supported].sort(compareVersions);
  const asked = requested?.trim();
  if (!asked) return sorted[sorted.length - 1];
  if (sorted.includes(asked)) return asked;
  const lower = sorted.filter((v) => compareVersions(v, asked) < 0);
  return lower.length ? lower[lower.length - 1] : sorted[0];
}

/** OWS AcceptVersions negotiation: the first listed version supported, or null (VersionNegotiationFailed). */
export function negotiateAcceptVersions(supported: readonly string[], acceptVersions: string): string | null {
  const wanted = acceptVersions.split(',').map((v) => v.trim()).filter(Boolean);
  if (wanted.length === 0) return [...supported].sort(compareVersions).at(-1) ?? null;
  return wanted.find((v) => supported.includes(v)) ?? null;
}
