export type SizeClass = 'UNDER_1000' | 'FROM_1000_TO_5000' | 'OVER_5000';
export interface AvailabilityCount { total: number; online: number; share: number }   // share = online/total, 0..1
export interface AvailabilityReport extends AvailabilityCount {
  leikaKey: string; serviceName: string | null; asOf: Date; scopeArs: string | null;
  byDistrict: (AvailabilityCount & { ars: string; name: string })[];
  bySizeClass: (AvailabilityCount & { sizeClass: SizeClass })[];
  missing: { ars: string; ags: string; name: string; districtArs: string; population: number }[];
}
export interface AvailabilityMatrixRow { ars: string; ags: string; name: string; districtArs: string; population: number; sizeClass: SizeClass; leikaKey: string; online: boolean }
