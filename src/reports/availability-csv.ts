import type { AvailabilityMatrixRow } from '../availability/types';
import { formatCsv } from '../util/csv';

/** Column names as listed in issue 11 (availabilityMatrix as CSV, for spreadsheets). */
export const AVAILABILITY_CSV_HEADER = ['ars', 'ags', 'name', 'district_ars', 'population', 'size_class', 'leika_key', 'online'] as const;

/** One line per municipality × LeiKa key, in the order given; `online` is `true` or `false`. */
export function availabilityCsv(rows: readonly AvailabilityMatrixRow[]): string {
  return formatCsv(
    AVAILABILITY_CSV_HEADER,
    rows.map((r) => [r.ars, r.ags, r.name, r.districtArs, r.population, r.sizeClass, r.leikaKey, r.online]),
  );
}
