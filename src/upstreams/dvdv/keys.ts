/**
 * The form of a DVDV organisation key (Behördenschlüssel) `prefix:id`, 6..255 characters (docs/upstreams/dvdv.md §3):
 * one rule for the `DvdvOrganizationKey` scalar (input and output) and the mapper that reads keys from DVDV.
 */
export const isDvdvOrganizationKey = (v: string): boolean => v.length >= 6 && v.length <= 255 && /^[a-z]{2,16}:[A-Za-z0-9][A-Za-z0-9_.\-]*$/.test(v);
