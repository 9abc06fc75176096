import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { AGSScalar, ARSScalar } from '../scalars/keys';
import { ConnectionType } from './connection';
import { Node } from './node';
import { Provenance } from './provenance';

@ObjectType({ implements: Node, description: 'Landkreis or kreisfreie Stadt (Kreis).' })
export class District {
  @Field(() => ARSScalar, { description: '5-digit Regionalschlüssel of the Kreis.' }) ars!: string;
  @Field({ description: 'Official name of the Kreis, e.g. "Sonneberg".' }) name!: string;
  @Field({ description: 'True for a kreisfreie Stadt (the municipality is its own district).' }) urban!: boolean;
}

@ObjectType({ implements: Node, description: 'Gemeindeverband: Verwaltungsgemeinschaft or erfüllende Gemeinde serving several municipalities.' })
export class Verband {
  @Field(() => ARSScalar, { description: '9-digit Regionalschlüssel of the Gemeindeverband.' }) ars!: string;
  @Field({ description: 'Official name of the Gemeindeverband.' }) name!: string;
}

@ObjectType({ description: 'WGS 84 point (EPSG:4326).' })
export class GeoPoint {
  @Field(() => Float, { description: 'Latitude in degrees (WGS 84).' }) lat!: number;
  @Field(() => Float, { description: 'Longitude in degrees (WGS 84).' }) lon!: number;
}

@ObjectType({ implements: Node, description: 'Gemeinde: a politically independent municipality of Thüringen (Destatis GV-ISys).' })
export class Municipality {
  @Field(() => ARSScalar, { description: 'Amtlicher Regionalschlüssel, 12 digits.' }) ars!: string;
  @Field(() => AGSScalar, { description: 'Amtlicher Gemeindeschlüssel, 8 digits.' }) ags!: string;
  @Field({ description: 'Official name, e.g. "Erfurt, Stadt".' }) name!: string;
  @Field(() => District, { description: 'The Kreis (Landkreis or kreisfreie Stadt) the municipality belongs to.' }) district!: District;
  @Field(() => Verband, { description: 'The Gemeindeverband (Verwaltungsgemeinschaft or erfüllende Gemeinde); null when the municipality belongs to none.', nullable: true }) verband!: Verband | null;
  @Field(() => Int, { description: 'Population on 31.12.2023.' }) population!: number;
  @Field(() => Float, { description: 'Area in km².' }) areaKm2!: number;
  @Field({ description: 'Postcode of the administrative seat.' }) postalCode!: string;
  @Field(() => GeoPoint, { description: 'Centre of the municipality.' }) location!: GeoPoint;
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}

/**
 * A municipality as its field resolvers take it (`@Root() m: MunicipalityRoot`): a type, not the class, so the
 * reflected parameter type is Object and type-graphql passes the parent value on as it is instead of copying
 * it into a new `Municipality` instance for every field resolved.
 */
export type MunicipalityRoot = Readonly<Municipality>;

@InputType({ description: 'Filter for municipalities; all given conditions must hold.' })
export class MunicipalityFilter {
  @Field(() => ARSScalar, { nullable: true, description: 'Only municipalities of this Kreis: its 5-digit ARS, e.g. "16072" (Sonneberg).' })
  district?: string;

  @Field(() => ARSScalar, { nullable: true, description: 'Only members of this Gemeindeverband: its 9-digit ARS.' })
  verband?: string;

  @Field({ nullable: true, description: 'Case-insensitive prefix of the name, e.g. "Bad" or "lau".' })
  namePrefix?: string;
}

export const MunicipalityConnection = ConnectionType('Municipality', Municipality);
