import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ARSScalar, LeikaKeyScalar } from '../scalars/keys';
import { ConnectionType } from './connection';
import { Node } from './node';
import { Provenance } from './provenance';

@ObjectType({ description: 'A link of an Onlinedienst with its link type (code list urn:xoev-de:fim:codeliste:onlinedienstlinktyp). Returned as data; the gateway never fetches it.' })
export class OnlineServiceLink {
  @Field({ description: 'Target URL (data only; the gateway never fetches it).' }) url!: string;
  @Field(() => String, { description: 'Title of the link.', nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true, description: 'Link type code; "01" is taken as the form/start link [unverified].' }) typeCode!: string | null;
  @Field(() => String, { description: 'Language of the link target (ISO 639-1).', nullable: true }) languageCode!: string | null;
}

@ObjectType({ description: 'Vertrauensniveau (trust level) with the code list it is taken from; levels are not hard-coded.' })
export class TrustLevel {
  @Field({ description: 'Code of the level in its code list.' }) code!: string;
  @Field(() => String, { nullable: true, description: 'The listURI of the code list the code belongs to.' }) listURI!: string | null;
}

@ObjectType({ description: 'Payment requirement of an Onlinedienst (ePayment).' })
export class OnlineServicePayment {
  @Field(() => Boolean, { nullable: true, description: 'True when the application costs a fee paid online; null when unknown.' }) required!: boolean | null;
  @Field(() => [String], { description: 'Payment method codes, e.g. CREDIT_CARD, PAYPAL, DIRECT_DEBIT.' }) methods!: string[];
}

@ObjectType({ description: 'What one source says about an Onlinedienst.' })
export class OnlineServiceSource {
  @Field({ description: 'THAVEL_CATALOGUE (ThAVEL catalogue feed) or PVOG (Suchdienst /onlineservices).' }) source!: string;
  @Field({ description: 'Title as this source gives it.' }) title!: string;
  @Field(() => [String], { description: 'Link URLs as this source gives them.' }) urls!: string[];
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}

@ObjectType({ implements: Node, description: 'Onlinedienst: an online application (form) for one or more Leistungen in some areas, merged from the ThAVEL catalogue and PVOG by id.' })
export class OnlineService {
  /** The native key; the GraphQL `id` is the global one (schema/resolvers/node.resolver.ts). */
  @Field(() => ID, { name: 'onlineServiceId', description: 'XZuFi onlinedienst/id (sandbox: "SBX16.OD.n"); was `id` before 0.2.0.' }) id!: string;
  @Field({ description: 'Title: the ThAVEL catalogue\'s when it lists the service, else PVOG\'s.' }) title!: string;
  @Field(() => String, { nullable: true, description: 'The form/start link (type 01, else the first link); data only, never fetched by the gateway.' }) url!: string | null;
  @Field(() => [OnlineServiceLink], { description: 'All links of the Onlinedienst with their link types.' }) links!: OnlineServiceLink[];
  @Field(() => TrustLevel, { nullable: true, description: 'Vertrauensniveau; null when no source gives one.' }) trustLevel!: TrustLevel | null;
  @Field(() => Boolean, { nullable: true, description: 'True when a login (Servicekonto Thüringen, BundID) is required; null when unknown (PVOG-only).' }) requiresLogin!: boolean | null;
  @Field(() => [String], { description: 'Accepted login means, e.g. SERVICEKONTO_TH, BUNDID.' }) loginMethods!: string[];
  @Field(() => OnlineServicePayment, { description: 'Payment requirement (ePayment); null when no source gives one.', nullable: true }) payment!: OnlineServicePayment | null;
  @Field(() => [String], { description: 'Languages of the title (ISO 639-1).' }) languages!: string[];
  @Field(() => [LeikaKeyScalar], { description: 'LeiKa keys of the Leistungen this service is for.' }) leikaKeys!: string[];
  @Field(() => [ARSScalar], { description: 'Areas as declared (gebietID): a district form lists the Kreis, which covers all its municipalities.' }) areas!: string[];
  @Field(() => String, { nullable: true, description: '"ThAVEL" when the ThAVEL catalogue lists it or its link host is one the catalogue uses; else the provider name given, or null.' })
  provider!: string | null;
  @Field(() => ID, { nullable: true, description: 'Organisationseinheit providing the service (ThAVEL catalogue).' }) operatorUnitId!: string | null;
  @Field(() => String, { description: 'Start of validity (gültig ab), as given.', nullable: true }) validFrom!: string | null;
  @Field(() => String, { description: 'End of validity (gültig bis), as given.', nullable: true }) validTo!: string | null;
  @Field(() => [OnlineServiceSource], { description: 'Each source that lists the service, with its own title and links.' }) sources!: OnlineServiceSource[];
  @Field(() => [String], {
    description:
      'Disagreements between the sources, as data: NOT_IN_PVOG (ThAVEL catalogue only), NOT_IN_THAVEL_CATALOGUE (PVOG only, but a ThAVEL link host), TITLE_DIFFERS, LINKS_DIFFER.',
  })
  discrepancies!: string[];
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}

export const OnlineServiceConnection = ConnectionType('OnlineService', OnlineService);

@ObjectType({ description: 'A Leistung relevant to a place that has no online service there.' })
export class MissingOnlineService {
  @Field(() => LeikaKeyScalar, { description: 'LeiKa key (Leistungsschlüssel); null when PVOG gives none.', nullable: true }) leikaKey!: string | null;
  @Field(() => ID, { description: 'PVOG Leistungs-ID.' }) serviceId!: string;
  @Field({ description: 'Leistungsname.' }) name!: string;
}

@ObjectType({ description: 'How much of what a municipality\'s citizens may apply for can be done online (live from PVOG and the ThAVEL catalogue).' })
export class DigitalOffer {
  @Field(() => ARSScalar, { description: 'The municipality (Gemeinde) this offer was computed for: its 12-digit ARS.' }) ars!: string;
  @Field(() => Int, { description: 'Leistungen relevant here (PVOG, including Kreis, Land and Bund).' }) servicesTotal!: number;
  @Field(() => Int, { description: 'Of those, Leistungen with at least one online service with a link here.' }) servicesOnline!: number;
  @Field(() => Float, { description: 'Share: servicesOnline / servicesTotal (0 when there are none).' }) share!: number;
  @Field(() => [LeikaKeyScalar], { description: 'LeiKa keys of the Leistungen available online.' }) onlineLeikaKeys!: string[];
  @Field(() => [MissingOnlineService], { description: 'Relevant Leistungen without an online service here.' }) missing!: MissingOnlineService[];
  @Field(() => Int, { description: 'Online services (merged) listed for this place.' }) onlineServiceCount!: number;
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}
