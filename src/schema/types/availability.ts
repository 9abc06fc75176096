import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ARSScalar, LeikaKeyScalar } from '../scalars/keys';

export enum SizeClassEnum {
  UNDER_1000 = 'UNDER_1000',
  FROM_1000_TO_5000 = 'FROM_1000_TO_5000',
  OVER_5000 = 'OVER_5000',
}
registerEnumType(SizeClassEnum, {
  name: 'SizeClass',
  description: 'Gemeindegrößenklasse by inhabitants (Destatis, shipped reference data): UNDER_1000 < 1,000; FROM_1000_TO_5000 1,000–5,000 inclusive; OVER_5000 > 5,000.',
});

@ObjectType({ description: 'Freshness of one upstream in a harvest snapshot (Stand der Quelle).' })
export class SourceFreshness {
  @Field({ description: 'Upstream name: pvog, thavel, geomis, geoproxy or dvdv.' }) source!: string;
  @Field({ description: 'When this upstream was last read into the snapshot.' }) harvestedAt!: Date;
  @Field({ description: '`full`, `delta` (ThAVEL geaendertSeit, GeoMIS modification date) or `carried` (taken over from the previous snapshot).' }) mode!: string;
  @Field(() => Int, { description: 'Items of this upstream in the snapshot.' }) items!: number;
}

@ObjectType({ description: 'Coverage of one district (Landkreis or kreisfreie Stadt).' })
export class DistrictAvailability {
  @Field(() => ARSScalar, { description: 'ARS of the district (5 digits).' }) ars!: string;
  @Field() name!: string;
  @Field(() => Int, { description: 'Municipalities in the district (within the scope).' }) total!: number;
  @Field(() => Int, { description: 'Of them, those offering the Leistung online.' }) online!: number;
  @Field(() => Float, { description: 'online / total, 0..1.' }) share!: number;
}

@ObjectType({ description: 'Coverage of one municipality size class.' })
export class SizeClassAvailability {
  @Field(() => SizeClassEnum) sizeClass!: SizeClassEnum;
  @Field(() => Int) total!: number;
  @Field(() => Int) online!: number;
  @Field(() => Float, { description: 'online / total, 0..1 (0 when the class is empty).' }) share!: number;
}

@ObjectType({ description: 'One municipality × Leistung row of the availability matrix (for spreadsheets).' })
export class AvailabilityMatrixRow {
  @Field(() => ARSScalar) ars!: string;
  @Field() ags!: string;
  @Field() name!: string;
  @Field(() => ARSScalar) districtArs!: string;
  @Field(() => Int, { description: 'Inhabitants (Destatis, shipped reference data).' }) population!: number;
  @Field(() => SizeClassEnum) sizeClass!: SizeClassEnum;
  @Field(() => LeikaKeyScalar) leikaKey!: string;
  @Field({ description: 'Whether the municipality offers the Leistung online (its digitalOffer.onlineLeikaKeys contains the key).' }) online!: boolean;
}

@ObjectType({ description: 'Coverage of a Leistung in one harvest snapshot.' })
export class AvailabilityHistoryPoint {
  @Field(() => Int, { description: 'Snapshot sequence number.' }) snapshotId!: number;
  @Field({ description: 'Snapshot time.' }) asOf!: Date;
  @Field(() => Int) total!: number;
  @Field(() => Int) online!: number;
  @Field(() => Float) share!: number;
}

@ObjectType({ description: 'A Leistung not offered online in some municipalities of a size class.' })
export class MissingLeistung {
  @Field(() => LeikaKeyScalar) leikaKey!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Int, { description: 'Municipalities of the class where PVOG lists the Leistung but it is not online.' }) missingIn!: number;
}

@ObjectType({ description: 'Digital offer of one size class: share of the relevant Leistungen online per municipality.' })
export class SizeClassDigitalOffer {
  @Field(() => SizeClassEnum) sizeClass!: SizeClassEnum;
  @Field(() => Int) municipalities!: number;
  @Field(() => Float, { description: 'Mean over the municipalities of digitalOffer.share.' }) meanShare!: number;
  @Field(() => Float, { description: 'Median over the municipalities of digitalOffer.share.' }) medianShare!: number;
  @Field(() => [MissingLeistung], { description: 'The ten Leistungen missing online in the most municipalities of the class.' }) topMissing!: MissingLeistung[];
}

@ObjectType({ description: 'Digital offer by size class (answers Kleine Anfrage 8/1135, question 3), from the latest harvest snapshot.' })
export class DigitalOfferSummary {
  @Field({ description: 'Snapshot time.' }) asOf!: Date;
  @Field(() => [SourceFreshness]) sources!: SourceFreshness[];
  @Field(() => [SizeClassDigitalOffer]) bySizeClass!: SizeClassDigitalOffer[];
}

@ObjectType({ description: 'One harvest run of one upstream (thuegate harvest or the HARVEST_INTERVAL schedule).' })
export class HarvestRunInfo {
  @Field() id!: string;
  @Field() upstream!: string;
  @Field(() => Int, { nullable: true, description: 'Snapshot the run writes into.' }) snapshotId!: number | null;
  @Field({ description: '`running`, `succeeded` or `failed` (a killed run shows `failed` with "interrupted" once the next run starts).' }) status!: string;
  @Field() startedAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int, { description: 'Items of the upstream in the snapshot after the run.' }) items!: number;
  @Field(() => Int, { nullable: true }) added!: number | null;
  @Field(() => Int, { nullable: true }) changed!: number | null;
  @Field(() => Int, { nullable: true }) removed!: number | null;
  @Field(() => Int, { nullable: true }) unchanged!: number | null;
  @Field(() => Int, { nullable: true, description: 'Upstream requests the run made.' }) requests!: number | null;
}
