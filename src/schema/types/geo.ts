import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from './connection';
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

@ObjectType({ description: 'Sicherheitsbeschränkung (MD_SecurityConstraints): classification of the resource.' })
export class GeoSecurityConstraint {
  @Field(() => String, { nullable: true, description: 'MD_ClassificationCode: unclassified, restricted, confidential, secret, topSecret (Geheimhaltungsstufe).' })
  classification!: string | null;
  @Field(() => String, { nullable: true, description: 'Explanation of the classification (userNote).' }) userNote!: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the classification system.' }) classificationSystem!: string | null;
  @Field(() => String, { nullable: true, description: 'Additional handling restrictions (handlingDescription).' }) handlingDescription!: string | null;
}

@ObjectType({ description: 'Vertriebsstelle (MD_Distributor): who distributes the resource and on which terms.' })
export class GeoDistributor {
  @Field(() => GeoContact, { nullable: true, description: 'Distributor contact (distributorContact).' }) contact!: GeoContact | null;
  @Field(() => String, { nullable: true, description: 'Gebühren (MD_StandardOrderProcess fees), as written.' }) fees!: string | null;
  @Field(() => String, { nullable: true, description: 'Bestellhinweise (orderingInstructions).' }) orderingInstructions!: string | null;
  @Field(() => String, { nullable: true, description: 'Typical delivery time (turnaround).' }) turnaround!: string | null;
}

@ObjectType({ description: 'A Metadatensatz of GeoMIS.Th (ISO 19139): a Geodatensatz, a Geodatensatzreihe or a Geodatendienst.' })
export class GeoRecord {
  @Field(() => ID, { description: 'fileIdentifier of the Metadatensatz.' }) id!: string;
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
  @Field(() => [String], { description: 'Nutzungseinschränkungen (useLimitation) of all resource constraints.' }) useLimitations!: string[];
  @Field(() => [GeoSecurityConstraint], { description: 'Sicherheitsbeschränkungen (MD_SecurityConstraints).' }) securityConstraints!: GeoSecurityConstraint[];
  @Field(() => [GeoDistributor], { description: 'Vertriebsstellen with contact and fees (MD_Distributor).' }) distributors!: GeoDistributor[];
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

@ObjectType({ description: 'A WMS Dimension of a layer (e.g. time: Zeitbezug), with its extent as the capabilities write it.' })
export class OgcDimension {
  @Field({ description: 'Dimension name, e.g. time or elevation.' }) name!: string;
  @Field(() => String, { nullable: true, description: 'Units, e.g. ISO8601 for time.' }) units!: string | null;
  @Field(() => String, { nullable: true }) unitSymbol!: string | null;
  @Field(() => String, { nullable: true, description: 'Value used when a request does not give one.' }) default!: string | null;
  @Field(() => String, { nullable: true, description: 'Extent as written: values and/or min/max/resolution, e.g. 2020-01-01/2024-12-31/P1D.' }) values!: string | null;
  @Field({ description: 'Whether a request may ask for several values.' }) multipleValues!: boolean;
  @Field({ description: 'Whether the nearest available value is used.' }) nearestValue!: boolean;
  @Field({ description: 'Whether "current" (the most recent value) is supported.' }) current!: boolean;
}

@ObjectType({ description: 'A WMS layer (Kartenebene) or WFS feature type (Objektart) of a Geodatendienst.' })
export class OgcLayer {
  @Field({ description: 'Layer name or feature type QName.' }) name!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true }) abstract!: string | null;
  @Field(() => [String]) keywords!: string[];
  @Field() queryable!: boolean;
  @Field(() => [String], { description: 'Supported CRS (inherited ones included), EPSG:n form.' }) crs!: string[];
  @Field(() => GeoBoundingBox, {
    nullable: true,
    description: 'WGS84 extent: the layer’s own EX_GeographicBoundingBox, else its own CRS:84/EPSG:4326 BoundingBox, else the inherited one.',
  })
  bbox!: GeoBoundingBox | null;
  @Field(() => [OgcBoundingBox]) boundingBoxes!: OgcBoundingBox[];
  @Field(() => [OgcDimension], { description: 'WMS dimensions (time, elevation, …), inherited ones included; empty for WFS.' }) dimensions!: OgcDimension[];
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

@ObjectType({ description: 'Kontakt of an OGC service provider (OWS ServiceContact or WMS ContactInformation).' })
export class OgcContact {
  @Field(() => String, { nullable: true }) individualName!: string | null;
  @Field(() => String, { nullable: true }) positionName!: string | null;
  @Field(() => String, { nullable: true }) organisationName!: string | null;
  @Field(() => String, { nullable: true, description: 'Telefon (voice).' }) phone!: string | null;
  @Field(() => String, { nullable: true }) fax!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'Straße und Hausnummer (DeliveryPoint).' }) deliveryPoint!: string | null;
  @Field(() => String, { nullable: true }) city!: string | null;
  @Field(() => String, { nullable: true, description: 'Bundesland (AdministrativeArea / StateOrProvince).' }) administrativeArea!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => String, { nullable: true }) country!: string | null;
  @Field(() => String, { nullable: true, description: 'Contact web page.' }) onlineResource!: string | null;
  @Field(() => String, { nullable: true }) hoursOfService!: string | null;
  @Field(() => String, { nullable: true, description: 'ContactInstructions.' }) instructions!: string | null;
  @Field(() => String, { nullable: true, description: 'Role code, e.g. pointOfContact.' }) role!: string | null;
}

@ObjectType({ description: 'Diensteanbieter (OWS ServiceProvider / WMS ContactInformation) of an OGC service.' })
export class OgcServiceProvider {
  @Field(() => String, { nullable: true, description: 'ProviderName (WMS: ContactOrganization).' }) name!: string | null;
  @Field(() => String, { nullable: true, description: 'ProviderSite (WMS: the service OnlineResource).' }) site!: string | null;
  @Field(() => OgcContact, { nullable: true }) contact!: OgcContact | null;
}

@ObjectType({ description: 'The GeoMIS.Th catalogue service (CSW 2.0.2 Katalogdienst) as its capabilities describe it.' })
export class GeoCatalogue {
  @Field(() => String, { nullable: true, description: 'CSW version the capabilities report.' }) version!: string | null;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true }) abstract!: string | null;
  @Field(() => [String]) keywords!: string[];
  @Field(() => String, { nullable: true, description: 'Gebühren.' }) fees!: string | null;
  @Field(() => String, { nullable: true, description: 'Zugangsbeschränkungen.' }) accessConstraints!: string | null;
  @Field(() => OgcServiceProvider, { nullable: true, description: 'Diensteanbieter with contact (ows:ServiceProvider).' }) provider!: OgcServiceProvider | null;
  @Field(() => Int, { nullable: true, description: 'Records per page when none is requested (MaxRecordDefault constraint).' }) maxRecordDefault!: number | null;
  @Field(() => [String], { description: 'GetRecords outputSchema values (Dublin Core, ISO 19139, …).' }) outputSchemas!: string[];
  @Field(() => [String], { description: 'Announced search fields (apiso queryables).' }) queryables!: string[];
  @Field({ description: 'Whether the capabilities carry INSPIRE extended capabilities (Suchdienst).' }) inspire!: boolean;
  @Field(() => Provenance) provenance!: Provenance;
}

@ObjectType({ description: 'A Geodatendienst of the Geoproxy (WMS or WFS), as its capabilities describe it.' })
export class GeoWebService {
  @Field({ description: 'Configured ServiceName below the Geoproxy services root.' }) name!: string;
  @Field(() => OgcServiceKind) kind!: OgcServiceKind;
  @Field({ description: 'Version of the capabilities document the service answered with.' }) version!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true }) abstract!: string | null;
  @Field(() => [String]) keywords!: string[];
  @Field(() => String, { nullable: true, description: 'Gebühren.' }) fees!: string | null;
  @Field(() => String, { nullable: true, description: 'Zugangsbeschränkungen.' }) accessConstraints!: string | null;
  @Field(() => OgcServiceProvider, { nullable: true, description: 'Diensteanbieter with contact (WMS ContactInformation, WFS ows:ServiceProvider).' })
  provider!: OgcServiceProvider | null;
  @Field(() => [OgcOperation]) operations!: OgcOperation[];
  @Field(() => [String], { description: 'WMS GetMap formats / WFS GetFeature output formats.' }) outputFormats!: string[];
  @Field(() => String, { nullable: true, description: 'INSPIRE ExtendedCapabilities MetadataUrl (the service Metadatensatz).' }) inspireMetadataUrl!: string | null;
  @Field(() => [String]) languages!: string[];
  @Field(() => [OgcLayer]) layers!: OgcLayer[];
  @Field(() => Provenance) provenance!: Provenance;
}
