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
  valuesConfig: {
    UNDER_1000: { description: 'Fewer than 1,000 inhabitants.' },
    FROM_1000_TO_5000: { description: '1,000 to 5,000 inhabitants, both inclusive.' },
    OVER_5000: { description: 'More than 5,000 inhabitants.' },
  },
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
  @Field({ description: 'Official name of the district (Landkreis or kreisfreie Stadt).' }) name!: string;
  @Field(() => Int, { description: 'Municipalities in the district (within the scope).' }) total!: number;
  @Field(() => Int, { description: 'Of them, those offering the Leistung online.' }) online!: number;
  @Field(() => Float, { description: 'Share of the municipalities offering the Leistung online: online / total, 0..1.' }) share!: number;
}

@ObjectType({ description: 'Coverage of one municipality size class (Größenklasse).' })
export class SizeClassAvailability {
  @Field(() => SizeClassEnum, { description: 'The Größenklasse.' }) sizeClass!: SizeClassEnum;
  @Field(() => Int, { description: 'Municipalities of the class (within the scope).' }) total!: number;
  @Field(() => Int, { description: 'Of them, those offering the Leistung online.' }) online!: number;
  @Field(() => Float, { description: 'Share of the municipalities offering the Leistung online: online / total, 0..1 (0 when the class is empty).' }) share!: number;
}

// simpleResolvers: plain property reads without type-graphql's per-field wrapper (a resolver-data object and a
// middleware dispatch per field). The matrix completes 8 fields per row, 24,200 for 5 keys (issue 15 P4); these
// fields have no roles, middlewares or field resolvers, so the wrapper did nothing but cost.
@ObjectType({ description: 'One municipality × Leistung row of the availability matrix (for spreadsheets).', simpleResolvers: true })
export class AvailabilityMatrixRow {
  @Field(() => ARSScalar, { description: 'ARS (Amtlicher Regionalschlüssel, 12 digits) of the Gemeinde.' }) ars!: string;
  @Field({ description: 'AGS (Amtlicher Gemeindeschlüssel, 8 digits) of the Gemeinde.' }) ags!: string;
  @Field({ description: 'Official name of the Gemeinde.' }) name!: string;
  @Field(() => ARSScalar, { description: 'ARS of its district (Landkreis or kreisfreie Stadt, 5 digits).' }) districtArs!: string;
  @Field(() => Int, { description: 'Inhabitants (Destatis, shipped reference data).' }) population!: number;
  @Field(() => SizeClassEnum, { description: 'Größenklasse of the Gemeinde by inhabitants.' }) sizeClass!: SizeClassEnum;
  @Field(() => LeikaKeyScalar, { description: 'LeiKa key of the Leistung.' }) leikaKey!: string;
  @Field({ description: 'Whether the municipality offers the Leistung online (its digitalOffer.onlineLeikaKeys contains the key).' }) online!: boolean;
}

@ObjectType({ description: 'Coverage of a Leistung in one harvest snapshot.' })
export class AvailabilityHistoryPoint {
  @Field(() => Int, { description: 'Snapshot sequence number.' }) snapshotId!: number;
  @Field({ description: 'Snapshot time.' }) asOf!: Date;
  @Field(() => Int, { description: 'Municipalities in the scope in this snapshot.' }) total!: number;
  @Field(() => Int, { description: 'Of them, those offering the Leistung online in this snapshot.' }) online!: number;
  @Field(() => Float, { description: 'Share of the municipalities offering the Leistung online: online / total, 0..1.' }) share!: number;
}

@ObjectType({ description: 'A Leistung not offered online in some municipalities of a size class.' })
export class MissingLeistung {
  @Field(() => LeikaKeyScalar, { description: 'LeiKa key of the Leistung.' }) leikaKey!: string;
  @Field(() => String, { nullable: true, description: 'Name of the Leistung as PVOG lists it (null when unknown).' }) name!: string | null;
  @Field(() => Int, { description: 'Municipalities of the class where PVOG lists the Leistung but it is not online.' }) missingIn!: number;
}

@ObjectType({ description: 'Digital offer of one size class: share of the relevant Leistungen online per municipality.' })
export class SizeClassDigitalOffer {
  @Field(() => SizeClassEnum, { description: 'The Größenklasse.' }) sizeClass!: SizeClassEnum;
  @Field(() => Int, { description: 'Municipalities of the class (within the scope).' }) municipalities!: number;
  @Field(() => Float, { description: 'Mean over the municipalities of digitalOffer.share.' }) meanShare!: number;
  @Field(() => Float, { description: 'Median over the municipalities of digitalOffer.share.' }) medianShare!: number;
  @Field(() => [MissingLeistung], { description: 'The ten Leistungen missing online in the most municipalities of the class.' }) topMissing!: MissingLeistung[];
}

@ObjectType({ description: 'Digital offer by size class (answers Kleine Anfrage 8/1135, question 3), from the latest harvest snapshot.' })
export class DigitalOfferSummary {
  @Field({ description: 'Snapshot time.' }) asOf!: Date;
  @Field(() => [SourceFreshness], { description: 'When each upstream was read into the snapshot.' }) sources!: SourceFreshness[];
  @Field(() => [SizeClassDigitalOffer], { description: 'Digital offer per Größenklasse.' }) bySizeClass!: SizeClassDigitalOffer[];
}

@ObjectType({ description: 'One harvest run of one upstream (thuegate harvest or the HARVEST_INTERVAL schedule).' })
export class HarvestRunInfo {
  @Field({ description: 'Id of the harvest run.' }) id!: string;
  @Field({ description: 'Upstream the run read: pvog, thavel, geomis, geoproxy or dvdv.' }) upstream!: string;
  @Field(() => Int, { nullable: true, description: 'Snapshot the run writes into.' }) snapshotId!: number | null;
  @Field({ description: '`running`, `succeeded` or `failed` (a killed run shows `failed` with "interrupted" once the next run starts).' }) status!: string;
  @Field({ description: 'When the run started.' }) startedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the run ended; null while it is running.' }) finishedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Error message of a failed run; null otherwise.' }) error!: string | null;
  @Field(() => Int, { description: 'Items of the upstream in the snapshot after the run.' }) items!: number;
  @Field(() => Int, { nullable: true, description: 'Items new in the snapshot (null when the run recorded no counts).' }) added!: number | null;
  @Field(() => Int, { nullable: true, description: 'Items whose content changed (null when the run recorded no counts).' }) changed!: number | null;
  @Field(() => Int, { nullable: true, description: 'Items no longer present upstream (null when the run recorded no counts).' }) removed!: number | null;
  @Field(() => Int, { nullable: true, description: 'Items read again without change (null when the run recorded no counts).' }) unchanged!: number | null;
  @Field(() => Int, { nullable: true, description: 'Upstream requests the run made.' }) requests!: number | null;
}
