/**
 * Regional keys (ARS) that left the Destatis register because the area changed (mergers, a town becoming kreisfrei),
 * with the key that replaced them: conformance rule P-9 (docs/conformance-rules.md §C) names the successor.
 *
 * Reviewed entries only, each with its source; identifiers are never invented here. The list is short on purpose:
 * the complete history comes from the GV-ISys "Gebietsänderungen" lists, which the project does not ship yet.
 */
export interface ArsChange {
  /** The key no longer in the register (12 digits). */
  former: string;
  /** The key of the area that took its place (12 digits). */
  current: string;
  /** Day the change took effect (ISO 8601). */
  effective: string;
  note: string;
  source: string;
}

export const ARS_CHANGES: readonly ArsChange[] = [
  {
    former: '064350014014',
    current: '064150000000',
    effective: '2026-01-01',
    note: 'Hanau left the Main-Kinzig-Kreis and became kreisfrei',
    source: 'docs/upstreams/portal-pvog.md §6 (FIT-Connect/PVOG notes: "ARS change over time")',
  },
];

const BY_FORMER = new Map(ARS_CHANGES.map((c) => [c.former, c]));

/** The recorded change of a former key, or undefined. */
export const arsChangeOf = (ars: string): ArsChange | undefined => BY_FORMER.get(ars);
