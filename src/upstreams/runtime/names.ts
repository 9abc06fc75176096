/**
 * The five upstreams the gateway talks to. These exact strings are metric labels, error
 * `extensions.upstream` values and the prefixes of the fault-plan syntax, so they never change.
 */
export const UPSTREAMS = ['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv'] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

export function isUpstreamName(value: unknown): value is UpstreamName {
  return typeof value === 'string' && (UPSTREAMS as readonly string[]).includes(value);
}
