import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ARSScalar, LeikaKeyScalar } from '../scalars/keys';
import { ConnectionType } from './connection';
import { OrganisationUnit, ResponsibilityRole } from './organisation-unit';
import { Node } from './node';
import { Provenance } from './provenance';

@ObjectType({ description: 'A link with a title (online service, form, further information).' })
export class Link {
  @Field({ description: 'Title of the link.' }) title!: string;
  @Field({ description: 'Target URL (data only; the gateway never fetches it).' }) url!: string;
}

@ObjectType({ description: 'Text in two forms: HTML sanitised to a small allow-list, and plain text.' })
export class RichText {
  @Field({ description: 'Sanitised HTML (p, ul, ol, li, a[href http/https/mailto], strong, em, br, h3–h6 only).' }) html!: string;
  @Field({ description: 'Plain text; list items as "- " lines.' }) text!: string;
}

@ObjectType({ description: 'Leistungstextmodul: one text module of a Leistung, by LeiKa code (urn:de:xzufi:codeliste:leistungstextmodulleika).' })
export class TextModule {
  @Field({ description: 'LeiKa text-module code, e.g. "05" Kurztext, "06" Volltext, "08" Unterlagen.' }) code!: string;
  @Field(() => String, { nullable: true, description: 'Code-list name, e.g. "kurztext".' }) kind!: string | null;
  @Field({ description: 'Language of the text (ISO 639-1).' }) languageCode!: string;
  @Field({ description: 'Sanitised HTML.' }) html!: string;
  @Field({ description: 'Plain text.' }) text!: string;
}

@ObjectType({ description: 'Kosten: a fee of a Leistung.' })
export class Fee {
  @Field({ description: 'What the fee is for, as PVOG describes it.' }) description!: string;
  @Field(() => Float, { nullable: true, description: 'Amount; null when it varies (see description).' }) amount!: number | null;
  @Field(() => String, { description: 'Currency (ISO 4217), e.g. "EUR".', nullable: true }) currency!: string | null;
}

@ObjectType({ description: 'Bearbeitungsdauer: processing time (cf. FIT-Connect processingDuration).' })
export class ProcessingTime {
  @Field(() => String, { description: 'Processing time as free text.', nullable: true }) description!: string | null;
  @Field(() => Int, { description: 'Minimum duration in `unit`.', nullable: true }) minDuration!: number | null;
  @Field(() => Int, { description: 'Maximum duration in `unit`.', nullable: true }) maxDuration!: number | null;
  @Field(() => String, { nullable: true, description: 'Unit of the durations: day, workday, week, month, …' }) unit!: string | null;
}

@ObjectType({ description: 'Zuständigkeit: which Organisationseinheit has which role for a Leistung in an area.' })
export class Responsibility {
  @Field(() => LeikaKeyScalar, { description: 'LeiKa key of the Leistung; null when PVOG gives none.', nullable: true }) leikaKey!: string | null;
  @Field(() => ID, { description: 'PVOG Leistungs-ID.' }) serviceId!: string;
  @Field(() => ARSScalar, { description: 'The area asked for.' }) ars!: string;
  @Field(() => ResponsibilityRole, { description: 'Role of the unit for the Leistung; null when PVOG gives none.', nullable: true }) role!: ResponsibilityRole | null;
  @Field(() => ID, { description: 'PVOG id of the Organisationseinheit (its `pvogId`).' }) organisationUnitId!: string;
  @Field({ description: 'Name of the Organisationseinheit as PVOG lists it.' }) organisationUnitName!: string;
  @Field(() => OrganisationUnit, { nullable: true, description: 'Full description of the unit (loaded on demand).' })
  organisationUnit?: OrganisationUnit | null;
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}

@ObjectType({ implements: Node, description: 'Leistung: an administrative service as described in the PVOG for a place (ARS).' })
export class AdministrativeService {
  /** The native key; the GraphQL `id` is the global one (schema/resolvers/node.resolver.ts). */
  @Field(() => ID, { name: 'pvogId', description: 'PVOG Leistungs-ID (lbId), e.g. "L100042.LB.101954" (sandbox: "SBX16.LB.n"); was `id` before 0.2.0.' }) id!: string;
  @Field(() => LeikaKeyScalar, { nullable: true, description: 'LeiKa key (Leistungsschlüssel, 14 digits).' }) leikaKey!: string | null;
  @Field({ description: 'Leistungsname (text module 03, fallback 02).' }) name!: string;
  @Field(() => ARSScalar, { description: 'The place this description was asked for.' }) ars!: string;
  @Field(() => [Link], { description: 'Online services (Onlinedienste) for this Leistung at this place.' }) onlineServiceLinks!: Link[];
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
  /** `yyyy-MM-dd` the description was asked for (internal; carried to the detail lookups). */
  validDate?: string;
}

export const AdministrativeServiceConnection = ConnectionType('AdministrativeService', AdministrativeService);
