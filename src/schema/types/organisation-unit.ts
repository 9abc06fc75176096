import { Field, ID, ObjectType } from 'type-graphql';
import { ARSScalar, AGSScalar } from '../scalars/keys';
import { Node } from './node';
import { Provenance } from './provenance';

@ObjectType({ description: 'Postal address (Anschrift) of an Organisationseinheit, with its XZuFi verwaltungspolitische Kodierung.' })
export class PostalAddress {
  @Field(() => String, { description: 'Street (Straße).', nullable: true }) street!: string | null;
  @Field(() => String, { description: 'House number (Hausnummer).', nullable: true }) houseNumber!: string | null;
  @Field(() => String, { nullable: true, description: 'Postleitzahl.' }) postalCode!: string | null;
  @Field(() => String, { description: 'City (Ort).', nullable: true }) city!: string | null;
  @Field(() => ARSScalar, { nullable: true, description: 'Regionalschlüssel of the address (12 digits).' }) ars!: string | null;
  @Field(() => AGSScalar, { nullable: true, description: 'Gemeindeschlüssel of the address (8 digits).' }) ags!: string | null;
  @Field({ description: 'The address as one line, e.g. "Am Markt 17, 99423 Weimar".' }) formatted!: string;
}

@ObjectType({ description: 'Contact channels (Kommunikationssysteme) of an Organisationseinheit.' })
export class Contact {
  @Field(() => String, { description: 'Telephone number (Telefon).', nullable: true }) phone!: string | null;
  @Field(() => String, { description: 'Fax number (Telefax).', nullable: true }) fax!: string | null;
  @Field(() => String, { description: 'E-mail address.', nullable: true }) email!: string | null;
  @Field(() => String, { description: 'Website (Internetadresse).', nullable: true }) website!: string | null;
}

@ObjectType({ description: 'Opening hours (Öffnungszeiten) on one weekday.' })
export class OpeningHours {
  @Field({ description: 'Weekday: MO, TU, WE, TH, FR, SA or SU.' }) day!: string;
  @Field({ description: 'HH:mm.' }) opens!: string;
  @Field({ description: 'HH:mm.' }) closes!: string;
}

@ObjectType({ description: 'Role of an Organisationseinheit for a Leistung (PVOG role.code).' })
export class ResponsibilityRole {
  @Field({ description: '"01" Zuständige Stelle (competent authority), "02" Ansprechpunkt (point of contact), "03" other.' }) code!: string;
  @Field(() => String, { description: 'Name of the role as PVOG gives it.', nullable: true }) name!: string | null;
  @Field({ description: 'True for role 01 (Zuständige Stelle).' }) competent!: boolean;
}

@ObjectType({ implements: Node, description: 'Organisationseinheit: an authority or office in the PVOG (e.g. a Bürgeramt or a Landratsamt department).' })
export class OrganisationUnit {
  /** The native key; the GraphQL `id` is the global one (schema/resolvers/node.resolver.ts). */
  @Field(() => ID, { name: 'pvogId', description: 'PVOG id of the Organisationseinheit, e.g. "L100042.OE.868" (sandbox: "SBX16.OE.n"); was `id` before 0.2.0.' }) id!: string;
  @Field({ description: 'Name of the Organisationseinheit.' }) name!: string;
  @Field(() => String, { description: 'Short name (Kurzbezeichnung).', nullable: true }) shortName!: string | null;
  @Field(() => [PostalAddress], { description: 'Postal and visiting addresses (Anschriften).' }) addresses!: PostalAddress[];
  @Field(() => Contact, { description: 'Contact channels (Kommunikation).' }) contact!: Contact;
  @Field(() => [OpeningHours], { description: 'Opening hours (Öffnungszeiten) per weekday.' }) openingHours!: OpeningHours[];
  @Field(() => String, { nullable: true, description: 'Free-text note on opening hours or appointments.' }) openingHoursNote!: string | null;
  @Field(() => [String], { description: 'Languages of the description (ISO 639-1).' }) languages!: string[];
  @Field(() => String, { nullable: true, description: 'Last change in the PVOG (ISO 8601).' }) lastUpdate!: string | null;
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}
