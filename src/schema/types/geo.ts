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
  valuesConfig: {
    DATASET: { description: 'Geodatensatz (dataset).' },
    SERIES: { description: 'Geodatensatzreihe (dataset series).' },
    SERVICE: { description: 'Geodatendienst (service).' },
  },
});

export enum OgcServiceKind {
  WMS = 'WMS',
  WFS = 'WFS',
}
registerEnumType(OgcServiceKind, {
  name: 'OgcServiceKind',
  description: 'OGC service type: WMS (Darstellungsdienst) or WFS (Downloaddienst).',
  valuesConfig: {
    WMS: { description: 'OGC Web Map Service (Darstellungsdienst).' },
    WFS: { description: 'OGC Web Feature Service (Downloaddienst).' },
  },
});

@ObjectType({ description: 'WGS84 bounding box in degrees (lon/lat), as in ISO 19139 EX_GeographicBoundingBox.' })
export class GeoBoundingBox {
  @Field(() => Float, { description: 'Western longitude in degrees.' }) west!: number;
  @Field(() => Float, { description: 'Eastern longitude in degrees.' }) east!: number;
  @Field(() => Float, { description: 'Southern latitude in degrees.' }) south!: number;
  @Field(() => Float, { description: 'Northern latitude in degrees.' }) north!: number;
}

@InputType({ description: 'WGS84 bounding box in degrees: longitudes −180…180, latitudes −90…90, west ≤ east, south ≤ north.' })
export class GeoBoundingBoxInput {
  @Field(() => Float, { description: 'Western longitude in degrees (−180…180).' }) west!: number;
  @Field(() => Float, { description: 'Eastern longitude in degrees (−180…180).' }) east!: number;
  @Field(() => Float, { description: 'Southern latitude in degrees (−90…90).' }) south!: number;
  @Field(() => Float, { description: 'Northern latitude in degrees (−90…90).' }) north!: number;
}

@ObjectType({ description: 'A metadata text value: gco:CharacterString, or gmx:Anchor with its href (a code-list or register URI).' })
export class GeoText {
  @Field({ description: 'The text value.' }) text!: string;
  @Field(() => String, { nullable: true, description: 'The xlink:href of a gmx:Anchor.' }) href!: string | null;
}

@ObjectType({ description: 'Schlagwörter (keywords) of one thesaurus, or free keywords when thesaurus is null.' })
export class GeoKeywordGroup {
  @Field(() => GeoText, { description: 'Thesaurus the keywords come from; null for free keywords.', nullable: true }) thesaurus!: GeoText | null;
  @Field(() => [GeoText], { description: 'The keywords (Schlagwörter).' }) keywords!: GeoText[];
}

@ObjectType({ description: 'Verantwortliche Stelle (CI_ResponsibleParty).' })
export class GeoContact {
  @Field(() => String, { description: 'Name of the organisation (Organisation).', nullable: true }) organisationName!: string | null;
  @Field(() => String, { description: 'Name of the person.', nullable: true }) individualName!: string | null;
  @Field(() => String, { description: 'E-mail address of the contact.', nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'CI_RoleCode, e.g. pointOfContact.' }) role!: string | null;
}

@ObjectType({ description: 'A date of the resource (creation/publication/revision); date or date-time as written.' })
export class GeoDate {
  @Field({ description: 'The date, as written (yyyy-MM-dd or date-time).' }) date!: string;
  @Field(() => String, { description: 'CI_DateTypeCode: creation, publication or revision.', nullable: true }) type!: string | null;
}

@ObjectType({ description: 'Ressourcenbezeichner (resource identifier), e.g. https://registry.gdi-de.org/id/<namespace>/<id>.' })
export class GeoIdentifier {
  @Field({ description: 'The identifier (code).' }) code!: string;
  @Field(() => String, { description: 'Namespace of the code (codeSpace).', nullable: true }) codeSpace!: string | null;
}

@ObjectType({ description: 'Licence from the GDI-DE JSON in otherConstraints (Nutzungsbedingungen).' })
export class GeoLicence {
  @Field(() => String, { nullable: true, description: 'Licence id, e.g. "dl-by-de/2.0".' }) id!: string | null;
  @Field(() => String, { description: 'Licence name, e.g. "Datenlizenz Deutschland – Namensnennung – Version 2.0".', nullable: true }) name!: string | null;
  @Field(() => String, { description: 'URL of the licence text.', nullable: true }) url!: string | null;
  @Field(() => String, { nullable: true, description: 'Quellenvermerk (attribution), e.g. "© GDI-Th".' }) quelle!: string | null;
}

@ObjectType({ description: 'Online resource (Verweis) of the distribution: GetCapabilities URL, download, information page.' })
export class GeoOnlineResource {
  @Field({ description: 'URL of the resource (data only; the gateway never fetches it).' }) url!: string;
  @Field(() => String, { description: 'Protocol, e.g. "OGC:WMS" or "WWW:LINK".', nullable: true }) protocol!: string | null;
  @Field(() => String, { description: 'Name of the resource, e.g. a layer name.', nullable: true }) name!: string | null;
  @Field(() => String, { description: 'Description of the resource.', nullable: true }) description!: string | null;
  @Field(() => String, { nullable: true, description: 'CI_OnLineFunctionCode.' }) function!: string | null;
  @Field(() => String, { description: 'Application profile (Anwendungsprofil) of the resource.', nullable: true }) applicationProfile!: string | null;
}

@ObjectType({ description: 'Konformität (conformity) with a specification.' })
export class GeoConformity {
  @Field(() => String, { description: 'Title of the specification, e.g. an INSPIRE implementing rule.', nullable: true }) title!: string | null;
  @Field(() => String, { description: 'Publication date of the specification.', nullable: true }) date!: string | null;
  @Field(() => String, { description: 'Explanation of the result (Erläuterung).', nullable: true }) explanation!: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Result (Grad der Konformität): true = conformant, false = not conformant, null = not evaluated (nil).' }) pass!: boolean | null;
}

@ObjectType({ description: 'Zeitbezug (temporal extent) of the resource, from gml:TimePeriod.' })
export class GeoTemporalExtent {
  @Field(() => String, { description: 'Begin of the period, as written.', nullable: true }) begin!: string | null;
  @Field(() => String, { nullable: true, description: 'End, or an indeterminate position such as "now".' }) end!: string | null;
}

@ObjectType({ description: 'Distributionsformat (name and version).' })
export class GeoDistributionFormat {
  @Field({ description: 'Format name, e.g. "GML".' }) name!: string;
  @Field(() => String, { description: 'Format version.', nullable: true }) version!: string | null;
}

@ObjectType({ description: 'An operation of a Geodatendienst (SV_OperationMetadata).' })
export class GeoServiceOperation {
  @Field({ description: 'Operation name, e.g. "GetCapabilities".' }) name!: string;
  @Field(() => [String], { description: 'Distributed computing platforms, e.g. "WebServices".' }) dcp!: string[];
  @Field(() => [String], { description: 'Endpoint URLs of the operation.' }) urls!: string[];
}

@ObjectType({ description: 'srv:operatesOn entry: the dataset a service presents, as the record names it.' })
export class GeoOperatesOn {
  @Field(() => String, { description: 'The uuidref: fileIdentifier or resource identifier of the dataset.', nullable: true }) uuidref!: string | null;
  @Field(() => String, { description: 'The xlink:href of the entry (usually a CSW GetRecordById URL).', nullable: true }) href!: string | null;
  @Field(() => String, { description: 'Title given in the entry.', nullable: true }) title!: string | null;
}

@ObjectType({ description: 'Service part of a Geodatendienst record (SV_ServiceIdentification).' })
export class GeoServiceInfo {
  @Field(() => String, { nullable: true, description: 'INSPIRE spatial data service type: view, download, discovery, …' }) serviceType!: string | null;
  @Field(() => [String], { description: 'Supported versions of the service type, e.g. "1.3.0".' }) serviceTypeVersions!: string[];
  @Field(() => String, { nullable: true, description: 'Kopplungstyp: tight, loose or mixed.' }) couplingType!: string | null;
  @Field(() => [GeoServiceOperation], { description: 'Operations of the service (SV_OperationMetadata).' }) operations!: GeoServiceOperation[];
  @Field(() => [GeoOperatesOn], { description: 'Datasets the service presents (srv:operatesOn).' }) operatesOn!: GeoOperatesOn[];
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

@ObjectType({ implements: Node, description: 'A Metadatensatz of GeoMIS.Th (ISO 19139): a Geodatensatz, a Geodatensatzreihe or a Geodatendienst.' })
export class GeoRecord {
  /** The native key; the GraphQL `id` is the global one (schema/resolvers/node.resolver.ts). */
  @Field(() => ID, { name: 'fileIdentifier', description: 'The fileIdentifier of the Metadatensatz (ISO 19139); was `id` before 0.2.0.' }) id!: string;
  @Field(() => String, { nullable: true, description: 'Hierarchy level as written (dataset, series, service, …).' }) type!: string | null;
  @Field(() => String, { description: 'The hierarchyLevelName as written.', nullable: true }) hierarchyLevelName!: string | null;
  @Field(() => String, { description: 'The fileIdentifier of the parent record (e.g. the series).', nullable: true }) parentIdentifier!: string | null;
  @Field(() => String, { description: 'Language of the metadata (ISO 639-2, e.g. "ger").', nullable: true }) language!: string | null;
  @Field(() => String, { nullable: true, description: 'Metadata date stamp as written (date or date-time).' }) dateStamp!: string | null;
  @Field(() => String, { nullable: true, description: 'Titel.' }) title!: string | null;
  @Field(() => [String], { description: 'Alternative titles (Kurztitel).' }) alternateTitles!: string[];
  @Field(() => String, { nullable: true, description: 'Kurzbeschreibung.' }) abstract!: string | null;
  @Field(() => [GeoDate], { description: 'Dates of the resource (creation, publication, revision).' }) dates!: GeoDate[];
  @Field(() => [GeoIdentifier], { description: 'Ressourcenbezeichner of the described resource.' }) resourceIdentifiers!: GeoIdentifier[];
  @Field(() => [GeoContact], { description: 'Metadata contacts (Ansprechpartner für die Metadaten).' }) metadataContacts!: GeoContact[];
  @Field(() => [GeoContact], { description: 'Responsible parties of the resource.' }) pointsOfContact!: GeoContact[];
  @Field(() => [GeoKeywordGroup], { description: 'Schlagwörter grouped by thesaurus.' }) keywordGroups!: GeoKeywordGroup[];
  @Field(() => [GeoText], { description: 'INSPIRE-Themen (GEMET - INSPIRE themes, version 1.0).' }) inspireThemes!: GeoText[];
  @Field({ description: 'GDI-DE convention: free keyword "opendata".' }) opendata!: boolean;
  @Field(() => [String], { description: 'ISO 19115 topic categories (Themenkategorien), e.g. "planningCadastre".' }) topicCategories!: string[];
  @Field(() => GeoBoundingBox, { nullable: true, description: 'Union of the geographic bounding boxes (datasets gmd:extent, services srv:extent).' })
  bbox!: GeoBoundingBox | null;
  @Field(() => GeoTemporalExtent, { description: 'Zeitbezug (temporal extent); null when none is given.', nullable: true }) temporalExtent!: GeoTemporalExtent | null;
  @Field(() => [String], { description: 'Zugriffsbeschränkungen (MD_RestrictionCode values).' }) accessConstraints!: string[];
  @Field(() => [String], { description: 'Nutzungsbeschränkungen (MD_RestrictionCode values).' }) useConstraints!: string[];
  @Field(() => [GeoText], { description: 'Other constraints (sonstige Beschränkungen) as written.' }) otherConstraints!: GeoText[];
  @Field(() => GeoLicence, { description: 'Licence (Nutzungsbedingungen) parsed from the GDI-DE JSON; null when none is given.', nullable: true }) licence!: GeoLicence | null;
  @Field(() => [String], { description: 'Nutzungseinschränkungen (useLimitation) of all resource constraints.' }) useLimitations!: string[];
  @Field(() => [GeoSecurityConstraint], { description: 'Sicherheitsbeschränkungen (MD_SecurityConstraints).' }) securityConstraints!: GeoSecurityConstraint[];
  @Field(() => [GeoDistributor], { description: 'Vertriebsstellen with contact and fees (MD_Distributor).' }) distributors!: GeoDistributor[];
  @Field(() => [GeoText], { description: 'Reference systems (Koordinatenreferenzsysteme).' }) crs!: GeoText[];
  @Field(() => Int, { nullable: true, description: 'Maßstabszahl (scale denominator).' }) scaleDenominator!: number | null;
  @Field(() => GeoServiceInfo, { nullable: true, description: 'Set for Geodatendienste.' }) service!: GeoServiceInfo | null;
  @Field(() => [GeoOnlineResource], { description: 'Online resources (Verweise) of the distribution.' }) onlineResources!: GeoOnlineResource[];
  @Field(() => [GeoDistributionFormat], { description: 'Distributionsformate.' }) distributionFormats!: GeoDistributionFormat[];
  @Field(() => [GeoConformity], { description: 'Konformität: test results against specifications.' }) conformity!: GeoConformity[];
  @Field(() => String, { nullable: true, description: 'Herkunft der Daten (lineage).' }) lineage!: string | null;
  @Field(() => [String], { description: 'URLs of preview images (Vorschaugrafik).' }) browseGraphics!: string[];
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}

export const GeoRecordConnection = ConnectionType('GeoRecord', GeoRecord);

@InputType({ description: 'Search in the GeoMIS.Th catalogue; all given conditions must hold.' })
export class GeoRecordSearch {
  @Field(() => String, { nullable: true, description: 'Full-text search (apiso:AnyText).' }) text?: string;
  @Field(() => String, { nullable: true, description: 'Part of the title.' }) title?: string;
  @Field(() => [String], { nullable: true, description: 'Schlagwörter that must all be present (apiso:Subject).' }) keywords?: string[];
  @Field(() => [GeoRecordType], { description: 'Only records of these hierarchy levels.', nullable: true }) types?: GeoRecordType[];
  @Field(() => String, { nullable: true, description: 'INSPIRE service type, e.g. view or download.' }) serviceType?: string;
  @Field(() => String, { nullable: true, description: 'Part of the responsible organisation name.' }) organisationName?: string;
  @Field(() => GeoBoundingBoxInput, { nullable: true, description: 'Records whose extent intersects this box.' }) bbox?: GeoBoundingBoxInput;
  @Field(() => String, { nullable: true, description: 'Only records modified on or after this day (yyyy-MM-dd).' }) modifiedSince?: string;
}

@ObjectType({ description: 'Bounding box in a given CRS, in the axis order of that CRS (WMS BoundingBox).' })
export class OgcBoundingBox {
  @Field({ description: 'CRS of the coordinates, e.g. "EPSG:25832".' }) crs!: string;
  @Field(() => Float, { description: 'Minimum of the first axis.' }) minx!: number;
  @Field(() => Float, { description: 'Minimum of the second axis.' }) miny!: number;
  @Field(() => Float, { description: 'Maximum of the first axis.' }) maxx!: number;
  @Field(() => Float, { description: 'Maximum of the second axis.' }) maxy!: number;
}

@ObjectType({ description: 'A WMS style with its legend graphic URL.' })
export class OgcStyle {
  @Field({ description: 'Style name.' }) name!: string;
  @Field(() => String, { description: 'Human-readable title.', nullable: true }) title!: string | null;
  @Field(() => String, { description: 'URL of the legend graphic (Legende).', nullable: true }) legendUrl!: string | null;
}

@ObjectType({ description: 'MetadataURL of a layer: a CSW GetRecordById URL or a resource identifier URI.' })
export class OgcMetadataUrl {
  @Field(() => String, { description: 'Metadata standard, e.g. "ISO19115:2003".', nullable: true }) type!: string | null;
  @Field(() => String, { description: 'MIME type of the metadata document, e.g. "text/xml".', nullable: true }) format!: string | null;
  @Field({ description: 'URL of the metadata document.' }) url!: string;
}

@ObjectType({ description: 'WMS Identifier with the AuthorityURL of its authority.' })
export class OgcIdentifier {
  @Field(() => String, { description: 'Name of the authority that issued the identifier.', nullable: true }) authority!: string | null;
  @Field(() => String, { description: 'AuthorityURL of that authority.', nullable: true }) authorityUrl!: string | null;
  @Field({ description: 'The identifier.' }) code!: string;
}

@ObjectType({ description: 'A WMS Dimension of a layer (e.g. time: Zeitbezug), with its extent as the capabilities write it.' })
export class OgcDimension {
  @Field({ description: 'Dimension name, e.g. time or elevation.' }) name!: string;
  @Field(() => String, { nullable: true, description: 'Units, e.g. ISO8601 for time.' }) units!: string | null;
  @Field(() => String, { nullable: true, description: 'Symbol of the units, e.g. m for elevation.' }) unitSymbol!: string | null;
  @Field(() => String, { nullable: true, description: 'Value used when a request does not give one.' }) default!: string | null;
  @Field(() => String, { nullable: true, description: 'Extent as written: values and/or min/max/resolution, e.g. 2020-01-01/2024-12-31/P1D.' }) values!: string | null;
  @Field({ description: 'Whether a request may ask for several values.' }) multipleValues!: boolean;
  @Field({ description: 'Whether the nearest available value is used.' }) nearestValue!: boolean;
  @Field({ description: 'Whether "current" (the most recent value) is supported.' }) current!: boolean;
}

@ObjectType({ implements: Node, description: 'A WMS layer (Kartenebene) or WFS feature type (Objektart) of a Geodatendienst.' })
export class OgcLayer {
  @Field({ description: 'Layer name or feature type QName.' }) name!: string;
  @Field(() => String, { description: 'Human-readable title.', nullable: true }) title!: string | null;
  @Field(() => String, { description: 'Abstract (Kurzbeschreibung).', nullable: true }) abstract!: string | null;
  @Field(() => [String], { description: 'Keywords (Schlagwörter).' }) keywords!: string[];
  @Field({ description: 'True when GetFeatureInfo (WMS) or GetFeature (WFS) answers for it.' }) queryable!: boolean;
  @Field(() => [String], { description: 'Supported CRS (inherited ones included), EPSG:n form.' }) crs!: string[];
  @Field(() => GeoBoundingBox, { description: 'WGS84 bounding box (EX_GeographicBoundingBox / WGS84BoundingBox).', nullable: true }) bbox!: GeoBoundingBox | null;
  @Field(() => [OgcBoundingBox], { description: 'Bounding boxes in the CRS the service lists.' }) boundingBoxes!: OgcBoundingBox[];
  @Field(() => [OgcDimension], { description: 'WMS dimensions (time, elevation, …), inherited ones included; empty for WFS.' }) dimensions!: OgcDimension[];
  @Field(() => [OgcStyle], { description: 'Styles (Darstellungen) with legend URLs.' }) styles!: OgcStyle[];
  @Field(() => [OgcMetadataUrl], { description: 'MetadataURLs of the layer (its Metadatensatz).' }) metadataUrls!: OgcMetadataUrl[];
  @Field(() => [OgcIdentifier], { description: 'WMS identifiers with their authorities.' }) identifiers!: OgcIdentifier[];
  @Field(() => String, { nullable: true, description: 'Name of the enclosing WMS layer.' }) parent!: string | null;
  @Field({ description: 'Configured name of the service this layer belongs to.' }) serviceName!: string;
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}

@ObjectType({ description: 'An OGC operation with its HTTP endpoints and formats.' })
export class OgcOperation {
  @Field({ description: 'Operation name, e.g. "GetMap".' }) name!: string;
  @Field(() => String, { description: 'HTTP GET endpoint.', nullable: true }) getUrl!: string | null;
  @Field(() => String, { description: 'HTTP POST endpoint.', nullable: true }) postUrl!: string | null;
  @Field(() => [String], { description: 'Formats the operation supports.' }) formats!: string[];
}

@ObjectType({ description: 'Kontakt of an OGC service provider (OWS ServiceContact or WMS ContactInformation).' })
export class OgcContact {
  @Field(() => String, { nullable: true, description: 'Name of the contact person (Ansprechpartner).' }) individualName!: string | null;
  @Field(() => String, { nullable: true, description: 'Position of the contact person (Funktion).' }) positionName!: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the organisation (Organisation, Behörde).' }) organisationName!: string | null;
  @Field(() => String, { nullable: true, description: 'Telefon (voice).' }) phone!: string | null;
  @Field(() => String, { nullable: true, description: 'Telefax (facsimile).' }) fax!: string | null;
  @Field(() => String, { nullable: true, description: 'E-Mail-Adresse (ElectronicMailAddress).' }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'Straße und Hausnummer (DeliveryPoint).' }) deliveryPoint!: string | null;
  @Field(() => String, { nullable: true, description: 'Ort (City).' }) city!: string | null;
  @Field(() => String, { nullable: true, description: 'Bundesland (AdministrativeArea / StateOrProvince).' }) administrativeArea!: string | null;
  @Field(() => String, { nullable: true, description: 'Postleitzahl (PostalCode / PostCode).' }) postalCode!: string | null;
  @Field(() => String, { nullable: true, description: 'Staat (Country).' }) country!: string | null;
  @Field(() => String, { nullable: true, description: 'Contact web page.' }) onlineResource!: string | null;
  @Field(() => String, { nullable: true, description: 'Servicezeiten (HoursOfService).' }) hoursOfService!: string | null;
  @Field(() => String, { nullable: true, description: 'ContactInstructions.' }) instructions!: string | null;
  @Field(() => String, { nullable: true, description: 'Role code, e.g. pointOfContact.' }) role!: string | null;
}

@ObjectType({ description: 'Diensteanbieter (OWS ServiceProvider / WMS ContactInformation) of an OGC service.' })
export class OgcServiceProvider {
  @Field(() => String, { nullable: true, description: 'ProviderName (WMS: ContactOrganization).' }) name!: string | null;
  @Field(() => String, { nullable: true, description: 'ProviderSite (WMS: the service OnlineResource).' }) site!: string | null;
  @Field(() => OgcContact, { nullable: true, description: 'Kontakt of the provider (ServiceContact / ContactInformation).' }) contact!: OgcContact | null;
}

@ObjectType({ description: 'The GeoMIS.Th catalogue service (CSW 2.0.2 Katalogdienst) as its capabilities describe it.' })
export class GeoCatalogue {
  @Field(() => String, { nullable: true, description: 'CSW version the capabilities report.' }) version!: string | null;
  @Field(() => String, { nullable: true, description: 'Title from the capabilities.' }) title!: string | null;
  @Field(() => String, { nullable: true, description: 'Abstract (Kurzbeschreibung) from the capabilities.' }) abstract!: string | null;
  @Field(() => [String], { description: 'Keywords (Schlagwörter) from the capabilities.' }) keywords!: string[];
  @Field(() => String, { nullable: true, description: 'Gebühren.' }) fees!: string | null;
  @Field(() => String, { nullable: true, description: 'Zugangsbeschränkungen.' }) accessConstraints!: string | null;
  @Field(() => OgcServiceProvider, { nullable: true, description: 'Diensteanbieter with contact (ows:ServiceProvider).' }) provider!: OgcServiceProvider | null;
  @Field(() => Int, { nullable: true, description: 'Records per page when none is requested (MaxRecordDefault constraint).' }) maxRecordDefault!: number | null;
  @Field(() => [String], { description: 'GetRecords outputSchema values (Dublin Core, ISO 19139, …).' }) outputSchemas!: string[];
  @Field(() => [String], { description: 'Announced search fields (apiso queryables).' }) queryables!: string[];
  @Field({ description: 'Whether the capabilities carry INSPIRE extended capabilities (Suchdienst).' }) inspire!: boolean;
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}

@ObjectType({ implements: Node, description: 'A Geodatendienst of the Geoproxy (WMS or WFS), as its capabilities describe it.' })
export class GeoWebService {
  @Field({ description: 'Configured ServiceName below the Geoproxy services root.' }) name!: string;
  @Field(() => OgcServiceKind, { description: 'WMS or WFS.' }) kind!: OgcServiceKind;
  @Field({ description: 'Version of the capabilities document the service answered with.' }) version!: string;
  @Field(() => String, { description: 'Title from the capabilities.', nullable: true }) title!: string | null;
  @Field(() => String, { description: 'Abstract (Kurzbeschreibung) from the capabilities.', nullable: true }) abstract!: string | null;
  @Field(() => [String], { description: 'Keywords (Schlagwörter) from the capabilities.' }) keywords!: string[];
  @Field(() => String, { nullable: true, description: 'Gebühren.' }) fees!: string | null;
  @Field(() => String, { nullable: true, description: 'Zugangsbeschränkungen.' }) accessConstraints!: string | null;
  @Field(() => OgcServiceProvider, { nullable: true, description: 'Diensteanbieter with contact (WMS ContactInformation, WFS ows:ServiceProvider).' })
  provider!: OgcServiceProvider | null;
  @Field(() => [OgcOperation], { description: 'Operations with their endpoints and formats.' }) operations!: OgcOperation[];
  @Field(() => [String], { description: 'WMS GetMap formats / WFS GetFeature output formats.' }) outputFormats!: string[];
  @Field(() => String, { nullable: true, description: 'INSPIRE ExtendedCapabilities MetadataUrl (the service Metadatensatz).' }) inspireMetadataUrl!: string | null;
  @Field(() => [String], { description: 'Languages the service offers (INSPIRE ExtendedCapabilities).' }) languages!: string[];
  @Field(() => [OgcLayer], { description: 'Layers (WMS) or feature types (WFS).' }) layers!: OgcLayer[];
  @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).' }) provenance!: Provenance;
}
