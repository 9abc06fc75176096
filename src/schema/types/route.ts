import { Field, ObjectType } from 'type-graphql';
import { ARSScalar, LeikaKeyScalar } from '../scalars/keys';
import { Link } from './administrative-service';
import { Contact, OrganisationUnit, PostalAddress, ResponsibilityRole } from './organisation-unit';
import { Node } from './node';
import { Provenance } from './provenance';

@ObjectType({ description: 'One way to hand in an application: online, by post, in person or by e-mail.' })
export class SubmissionChannel {
  @Field({ description: 'ONLINE, POSTAL, IN_PERSON or EMAIL.' }) kind!: string;
  @Field({ description: 'URL, postal address, visiting address or e-mail address.' }) target!: string;
  @Field(() => String, { description: 'Title of the channel, e.g. the online service name or an opening-hours note.', nullable: true }) title!: string | null;
}

@ObjectType({
  implements: Node,
  description:
    'Route (cf. FIT-Connect /routes): where to submit a Leistung (leikaKey) for a place (ars) — the responsible Organisationseinheit (Zuständige Stelle) with contact, address and online services, derived from the PVOG Zuständigkeit.',
})
export class Route {
  @Field(() => LeikaKeyScalar, { description: 'LeiKa key of the Leistung the route is for.' }) leikaKey!: string;
  @Field(() => ARSScalar, { description: 'The place (ARS) the route is for.' }) ars!: string;
  @Field({ description: 'Name of the destination (the Organisationseinheit).' }) destinationName!: string;
  @Field(() => String, { description: 'Short name of the destination.', nullable: true }) destinationShortName!: string | null;
  @Field(() => ResponsibilityRole, { description: 'Role of the destination for the Leistung (Zuständige Stelle, Ansprechpunkt, …).', nullable: true }) role!: ResponsibilityRole | null;
  /** PVOG id of the destination unit (part of the route's global id, also when its description could not be loaded). */
  organisationUnitId!: string;
  @Field(() => OrganisationUnit, { nullable: true, description: 'The responsible unit; null when its description could not be loaded.' })
  organisationUnit!: OrganisationUnit | null;
  @Field(() => Contact, { description: 'Contact channels of the destination; null when unknown.', nullable: true }) contact!: Contact | null;
  @Field(() => PostalAddress, { description: 'Address of the destination; null when unknown.', nullable: true }) address!: PostalAddress | null;
  @Field(() => String, { nullable: true, description: 'Postal address as one line (FIT-Connect postalAddress).' }) postalAddress!: string | null;
  /** PVOG's links; the GraphQL field `onlineServices` is resolved from the merged ThAVEL + PVOG list (online-service.resolver.ts). */
  onlineServices!: Link[];
  @Field(() => [SubmissionChannel], { description: 'Where to submit, online channels first.' }) submission!: SubmissionChannel[];
  @Field({ description: 'Source of the routing data (FIT-Connect `origin`): "PVOG".' }) origin!: string;
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}

