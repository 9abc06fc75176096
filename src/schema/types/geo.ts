import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from './connection';
import { Node } from './node';
import { Provenance } from './provenance';

/** Geo metadata (GeoMIS.Th, ISO 19139) and OGC web services (Geoproxy) — DESIGN §3. */

export enum GeoRecordType {
  DATASET = 'dataset',
  SERIES = 'series',
  SERVICE = 'service',
}
registerEnumType(GeoRecordType, {
  name: 'GeoRecordType',
  description: 'Hierarchy level of a metadata record: Geodatensatz (dataset), Geodatensatzreihe (series), Geodatendienst (service).',
});

export enum OgcServiceKind {
  WMS = 'WMS',
  WFS = 'WFS',
}
registerEnumType(OgcServiceKind, { name: 'OgcServiceKind', description: 'OGC service type: WMS (Darstellungsdienst) or WFS (Downloaddienst).' });

@ObjectType({ description: 'WGS84 bounding box in degrees (lon/lat), as in ISO 19139 EX_GeographicBoundingBox.' })
export class GeoBoundingBox {
  @Field(() => Float) west!: number;
  @Field(() => Float) east!: number;
  @Field(() => Float) south!: number;
  @Field(() => Float) north!: number;
}

@InputType({ description: 'WGS84 bounding box in degrees: longitudes −180…180, latitudes −90…90, west ≤ east, south ≤ north.' })
export class GeoBoundingBoxInput {
  @Field(() => Float) west!: number;
  @Field(() => Float) east!: number;
  @Field(() => Float) south!: number;
  @Field(() => Float) north!: number;
}

@ObjectType({ description: 'A metadata text value: gco:CharacterString, or gmx:Anchor with its href (a code-list or register URI).' })
export class GeoText {
  @Field() text!: string;
  @Field(() => String, { nullable: true, description: 'xlink:href of a gmx:Anchor.' }) href!: string | null;
}

@ObjectType({ description: 'Schlagwörter (keywords) of one thesaurus, or free keywords when thesaurus is null.' })
export class GeoKeywordGroup {
  @Field(() => GeoText, { nullable: true }) thesaurus!: GeoText | null;
  @Field(() => [GeoText]) keywords!: GeoText[];
}

@ObjectType({ description: 'Verantwortliche Stelle (CI_ResponsibleParty).' })
export class GeoContact {
  @Field(() => String, { nullable: true }) organisationName!: string | null;
  @Field(() => String, { nullable: true }) individualName!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'CI_RoleCode, e.g. pointOfContact.' }) role!: string | null;
}

@ObjectType({ description: 'A date of the resource (creation/publication/revision); date or date-time as written.' })
export class GeoDate {
  @Field() date!: string;
  @Field(() => String, { nullable: true }) type!: string | null;
}

@ObjectType({ description: 'Ressourcenbezeichner (resource identifier), e.g. https://registry.gdi-de.org/id/<namespace>/<id>.' })
export class GeoIdentifier {
  @Field() code!: string;
  @Field(() => String, { nullable: true }) codeSpace!: string | null;
}

@ObjectType({ description: 'Licence from the GDI-DE JSON in otherConstraints (Nutzungsbedingungen).' })
export class GeoLicence {
  @Field(() => String, { nullable: true, description: 'e.g. dl-by-de/2.0' }) id!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true, description: 'Quellenvermerk (attribution), e.g. "© GDI-Th".' }) quelle!: string | null;
}

@ObjectType({ description: 'Online resource (Verweis) of the distribution: GetCapabilities URL, download, information page.' })
export class GeoOnlineResource {
  @Field() url!: string;
  @Field(() => String, { nullable: true }) protocol!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true, description: 'CI_OnLineFunctionCode.' }) function!: string | null;
  @Field(() => String, { nullable: true }) applicationProfile!: string | null;
}

@ObjectType({ description: 'Konformität (conformity) with a specification.' })
export class GeoConformity {
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true }) date!: string | null;
  @Field(() => String, { nullable: true }) explanation!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'null = not evaluated (nil).' }) pass!: boolean | null;
}

@ObjectType({ description: 'Zeitbezug (temporal extent) of the resource, from gml:TimePeriod.' })
export class GeoTemporalExtent {
  @Field(() => String, { nullable: true }) begin!: string | null;
  @Field(() => String, { nullable: true, description: 'End, or an indeterminate position such as "now".' }) end!: string | null;
}

@ObjectType({ description: 'Distributionsformat (name and version).' })
export class GeoDistributionFormat {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
}

@ObjectType({ description: 'An operation of a Geodatendienst (SV_OperationMetadata).' })
export class GeoServiceOperation {
  @Field() name!: string;
  @Field(() => [String]) dcp!: string[];
  @Field(() => [String]) urls!: string[];
}

@ObjectType({ description: 'srv:operatesOn entry: the dataset a service presents, as the record names it.' })
export class GeoOperatesOn {
  @Field(() => String, { nullable: true }) uuidref!: string | null;
  @Field(() => String, { nullable: true }) href!: string | null;
  @Field(() => String, { nullable: true }) title!: string | null;
}

@ObjectType({ description: 'Service part of a Geodatendienst record (SV_ServiceIdentification).' })
export class GeoServiceInfo {
  @Field(() => String, { nullable: true, description: 'INSPIRE spatial data service type: view, download, discovery, …' }) serviceType!: string | null;
  @Field(() => [String]) serviceTypeVersions!: string[];
  @Field(() => String, { nullable: true, description: 'tight, loose or mixed.' }) couplingType!: string | null;
  @Field(() => [GeoServiceOperation]) operations!: GeoServiceOperation[];
  @Field(() => [GeoOperatesOn]) operatesOn!: GeoOperatesOn[];
}

@ObjectType({ implements: Node, description: 'A Metadatensatz of GeoMIS.Th (ISO 19139): a Geodatensatz, a Geodatensatzreihe or a Geodatendienst.' })
export class GeoRecord {
  /** The native key; the GraphQL `id` is the global one (schema/resolvers/node.resolver.ts). */
  @Field(() => ID, { name: 'fileIdentifier', description: 'fileIdentifier of the Metadatensatz (ISO 19139); was `id` before 0.2.0.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'hierarchyLevel as written (dataset, series, service, …).' }) type!: string | null;
  @Field(() => String, { nullable: true }) hierarchyLevelName!: string | null;
  @Field(() => String, { nullable: true }) parentIdentifier!: string | null;
  @Field(() => String, { nullable: true }) language!: string | null;
  @Field(() => String, { nullable: true, description: 'Metadata date stamp as written (date or date-time).' }) dateStamp!: string | null;
  @Field(() => String, { nullable: true, description: 'Titel.' }) title!: string | null;
  @Field(() => [String]) alternateTitles!: string[];
  @Field(() => String, { nullable: true, description: 'Kurzbeschreibung.' }) abstract!: string | null;
  @Field(() => [GeoDate]) dates!: GeoDate[];
  @Field(() => [GeoIdentifier]) resourceIdentifiers!: GeoIdentifier[];
  @Field(() => [GeoContact], { description: 'Metadata contacts (Ansprechpartner für die Metadaten).' }) metadataContacts!: GeoContact[];
  @Field(() => [GeoContact], { description: 'Responsible parties of the resource.' }) pointsOfContact!: GeoContact[];
  @Field(() => [GeoKeywordGroup]) keywordGroups!: GeoKeywordGroup[];
  @Field(() => [GeoText], { description: 'INSPIRE-Themen (GEMET - INSPIRE themes, version 1.0).' }) inspireThemes!: GeoText[];
  @Field({ description: 'GDI-DE convention: free keyword "opendata".' }) opendata!: boolean;
  @Field(() => [String]) topicCategories!: string[];
  @Field(() => GeoBoundingBox, { nullable: true, description: 'Union of the geographic bounding boxes (datasets gmd:extent, services srv:extent).' })
  bbox!: GeoBoundingBox | null;
  @Field(() => GeoTemporalExtent, { nullable: true }) temporalExtent!: GeoTemporalExtent | null;
  @Field(() => [String]) accessConstraints!: string[];
  @Field(() => [String]) useConstraints!: string[];
  @Field(() => [GeoText]) otherConstraints!: GeoText[];
  @Field(() => GeoLicence, { nullable: true }) licence!: GeoLicence | null;
  @Field(() => [GeoText], { description: 'Reference systems (Koordinatenreferenzsysteme).' }) crs!: GeoText[];
  @Field(() => Int, { nullable: true, description: 'Maßstabszahl (scale denominator).' }) scaleDenominator!: number | null;
  @Field(() => GeoServiceInfo, { nullable: true, description: 'Set for Geodatendienste.' }) service!: GeoServiceInfo | null;
  @Field(() => [GeoOnlineResource]) onlineResources!: GeoOnlineResource[];
  @Field(() => [GeoDistributionFormat]) distributionFormats!: GeoDistributionFormat[];
  @Field(() => [GeoConformity]) conformity!: GeoConformity[];
  @Field(() => String, { nullable: true, description: 'Herkunft der Daten (lineage).' }) lineage!: string | null;
  @Field(() => [String]) browseGraphics!: string[];
  @Field(() => Provenance) provenance!: Provenance;
}

export const GeoRecordConnection = ConnectionType('GeoRecord', GeoRecord);

@InputType({ description: 'Search in the GeoMIS.Th catalogue; all given conditions must hold.' })
export class GeoRecordSearch {
  @Field(() => String, { nullable: true, description: 'Full-text search (apiso:AnyText).' }) text?: string;
  @Field(() => String, { nullable: true, description: 'Part of the title.' }) title?: string;
  @Field(() => [String], { nullable: true, description: 'Schlagwörter that must all be present (apiso:Subject).' }) keywords?: string[];
  @Field(() => [GeoRecordType], { nullable: true }) types?: GeoRecordType[];
  @Field(() => String, { nullable: true, description: 'INSPIRE service type, e.g. view or download.' }) serviceType?: string;
  @Field(() => String, { nullable: true, description: 'Part of the responsible organisation name.' }) organisationName?: string;
  @Field(() => GeoBoundingBoxInput, { nullable: true, description: 'Records whose extent intersects this box.' }) bbox?: GeoBoundingBoxInput;
  @Field(() => String, { nullable: true, description: 'Only records modified on or after this day (yyyy-MM-dd).' }) modifiedSince?: string;
}

@ObjectType({ description: 'Bounding box in a given CRS, in the axis order of that CRS (WMS BoundingBox).' })
export class OgcBoundingBox {
  @Field() crs!: string;
  @Field(() => Float) minx!: number;
  @Field(() => Float) miny!: number;
  @Field(() => Float) maxx!: number;
  @Field(() => Float) maxy!: number;
}

@ObjectType({ description: 'A WMS style with its legend graphic URL.' })
export class OgcStyle {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true }) legendUrl!: string | null;
}

@ObjectType({ description: 'MetadataURL of a layer: a CSW GetRecordById URL or a resource identifier URI.' })
export class OgcMetadataUrl {
  @Field(() => String, { nullable: true }) type!: string | null;
  @Field(() => String, { nullable: true }) format!: string | null;
  @Field() url!: string;
}

@ObjectType({ description: 'WMS Identifier with the AuthorityURL of its authority.' })
export class OgcIdentifier {
  @Field(() => String, { nullable: true }) authority!: string | null;
  @Field(() => String, { nullable: true }) authorityUrl!: string | null;
  @Field() code!: string;
}

@ObjectType({ implements: Node, description: 'A WMS layer (Kartenebene) or WFS feature type (Objektart) of a Geodatendienst.' })
export class OgcLayer {
  @Field({ description: 'Layer name or feature type QName.' }) name!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true }) abstract!: string | null;
  @Field(() => [String]) keywords!: string[];
  @Field() queryable!: boolean;
  @Field(() => [String], { description: 'Supported CRS (inherited ones included), EPSG:n form.' }) crs!: string[];
  @Field(() => GeoBoundingBox, { nullable: true }) bbox!: GeoBoundingBox | null;
  @Field(() => [OgcBoundingBox]) boundingBoxes!: OgcBoundingBox[];
  @Field(() => [OgcStyle]) styles!: OgcStyle[];
  @Field(() => [OgcMetadataUrl]) metadataUrls!: OgcMetadataUrl[];
  @Field(() => [OgcIdentifier]) identifiers!: OgcIdentifier[];
  @Field(() => String, { nullable: true, description: 'Name of the enclosing WMS layer.' }) parent!: string | null;
  @Field({ description: 'Configured name of the service this layer belongs to.' }) serviceName!: string;
  @Field(() => Provenance) provenance!: Provenance;
}

@ObjectType({ description: 'An OGC operation with its HTTP endpoints and formats.' })
export class OgcOperation {
  @Field() name!: string;
  @Field(() => String, { nullable: true }) getUrl!: string | null;
  @Field(() => String, { nullable: true }) postUrl!: string | null;
  @Field(() => [String]) formats!: string[];
}

@ObjectType({ implements: Node, description: 'A Geodatendienst of the Geoproxy (WMS or WFS), as its capabilities describe it.' })
export class GeoWebService {
  @Field({ description: 'Configured ServiceName below the Geoproxy services root.' }) name!: string;
  @Field(() => OgcServiceKind) kind!: OgcServiceKind;
  @Field({ description: 'Version of the capabilities document the service answered with.' }) version!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true }) abstract!: string | null;
  @Field(() => [String]) keywords!: string[];
  @Field(() => String, { nullable: true, description: 'Gebühren.' }) fees!: string | null;
  @Field(() => String, { nullable: true, description: 'Zugangsbeschränkungen.' }) accessConstraints!: string | null;
  @Field(() => [OgcOperation]) operations!: OgcOperation[];
  @Field(() => [String], { description: 'WMS GetMap formats / WFS GetFeature output formats.' }) outputFormats!: string[];
  @Field(() => String, { nullable: true, description: 'INSPIRE ExtendedCapabilities MetadataUrl (the service Metadatensatz).' }) inspireMetadataUrl!: string | null;
  @Field(() => [String]) languages!: string[];
  @Field(() => [OgcLayer]) layers!: OgcLayer[];
  @Field(() => Provenance) provenance!: Provenance;
}
