import type { AvailabilityCount, AvailabilityReport, SizeClass } from '../availability/types';

/** Text and attribute values for HTML: every value that reaches a page goes through this. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Made on first use: the first Intl object loads ICU's locale data, ~20 ms of every gateway start (issue 15 P7) for
// a formatter only the report pages use.
let count: Intl.NumberFormat | undefined;

export const formatCount = (n: number): string => (count ??= new Intl.NumberFormat('en-GB')).format(n);

/** "51.6 %"; a share of an empty set is shown as a dash, not as 0 %. */
export function formatShare(c: AvailabilityCount): string {
  return c.total === 0 ? '–' : `${(c.share * 100).toFixed(1)} %`;
}

/** The value label of a bar and a table row: "online/total (share %)". */
export const countLabel = (c: AvailabilityCount): string => `${c.online}/${c.total} (${formatShare(c)})`;

/** Snapshot time in UTC, minute precision: "2026-11-01 06:00 UTC". */
export const formatAsOf = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const SIZE_CLASS_ORDER: readonly SizeClass[] = ['UNDER_1000', 'FROM_1000_TO_5000', 'OVER_5000'];

/** Boundaries of issue 11 / KA 8/1135 question 3: < 1,000; 1,000–5,000 inclusive; > 5,000 inhabitants. */
export const SIZE_CLASS_LABEL: Record<SizeClass, string> = {
  UNDER_1000: 'under 1,000 inhabitants',
  FROM_1000_TO_5000: '1,000 to 5,000 inhabitants',
  OVER_5000: 'over 5,000 inhabitants',
};

export const serviceLabel = (r: Pick<AvailabilityReport, 'serviceName'>): string => r.serviceName ?? 'service name not in the snapshot';

/** "Thüringen", a district's name when the scope is one of the report's districts, else the region key. */
export function scopeLabel(r: Pick<AvailabilityReport, 'scopeArs' | 'byDistrict'>): string {
  if (!r.scopeArs || r.scopeArs === '16') return 'Thüringen';
  const district = r.byDistrict.find((d) => d.ars === r.scopeArs);
  return district ? district.name : `region ARS ${r.scopeArs}`;
}

/** Districts by share (highest first), ties by name: the order of both the chart and its table. */
export function districtsInChartOrder(r: Pick<AvailabilityReport, 'byDistrict'>): AvailabilityReport['byDistrict'] {
  return [...r.byDistrict].sort((a, b) => b.share - a.share || a.name.localeCompare(b.name, 'de'));
}
