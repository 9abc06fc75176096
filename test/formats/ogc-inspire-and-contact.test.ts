import { describe, expect, it } from 'vitest';
import {
  findInspireExtendedCapabilities,
  INSPIRE_NAMESPACES,
  inspireChild,
  inspireChildren,
  isInspire,
  readInspireExtendedCapabilities,
} from '../../src/formats/ogc/inspire';
import { readOwsServiceProvider, readWmsContact } from '../../src/formats/ogc/ows';
import { parseXml } from '../../src/upstreams/runtime/xml';
import { fixtureXml } from '../upstreams/geo-common/fixtures';

/**
 * INSPIRE extended capabilities (TG View Services 3.11, Download Services 3.1, Discovery Services 3.1: the 1.0
 * schemas under inspire.ec.europa.eu, older documents under inspire.europa.eu, http or https, with or without a
 * trailing slash) and the OGC service provider/contact sections, read from recorded documents and the forms
 * real servers write.
 */

const COMMON_FORMS = [
  'http://inspire.ec.europa.eu/schemas/common/1.0',
  'https://inspire.ec.europa.eu/schemas/common/1.0/',
  'http://inspire.europa.eu/schemas/common/1.0.1',
  'https://inspire.europa.eu/schemas/common/1.0.2/',
];

describe('INSPIRE namespaces', () => {
  it('every scheme × host × schema version × trailing slash is known, per schema', () => {
    for (const s of ['http', 'https'])
      for (const h of ['inspire.ec.europa.eu', 'inspire.europa.eu'])
        for (const v of ['1.0', '1.0.1', '1.0.2'])
          for (const tail of ['', '/']) {
            expect(INSPIRE_NAMESPACES.common.has(`${s}://${h}/schemas/common/${v}${tail}`)).toBe(true);
            expect(INSPIRE_NAMESPACES.vs.has(`${s}://${h}/schemas/inspire_vs/${v}${tail}`)).toBe(true);
            expect(INSPIRE_NAMESPACES.vs.has(`${s}://${h}/schemas/inspire_vs_ows11/${v}${tail}`)).toBe(true);
            expect(INSPIRE_NAMESPACES.dls.has(`${s}://${h}/schemas/inspire_dls/${v}${tail}`)).toBe(true);
            expect(INSPIRE_NAMESPACES.ds.has(`${s}://${h}/schemas/inspire_ds/${v}${tail}`)).toBe(true);
          }
    // exactly those: 2 schemes × 2 hosts × 3 versions × 2 tails
    expect(INSPIRE_NAMESPACES.common.size).toBe(24);
    expect(INSPIRE_NAMESPACES.dls.size).toBe(24);
    expect(INSPIRE_NAMESPACES.ds.size).toBe(24);
    expect(INSPIRE_NAMESPACES.vs.size).toBe(48);
  });

  it('other hosts, versions and schemas are not INSPIRE', () => {
    const el = (ns: string) => parseXml(`<x:Language xmlns:x="${ns}">ger</x:Language>`);
    expect(isInspire(el('http://inspire.ec.europa.eu/schemas/common/1.0'), 'common')).toBe(true);
    expect(isInspire(el('http://inspire.ec.europa.eu/schemas/common/1.0'), 'dls')).toBe(false);
    expect(isInspire(el('http://inspire.ec.europa.eu/schemas/common/2.0'), 'common')).toBe(false);
    expect(isInspire(el('ftp://inspire.ec.europa.eu/schemas/common/1.0'), 'common')).toBe(false);
    expect(isInspire(el('http://inspire.example.org/schemas/common/1.0'), 'common')).toBe(false);
    expect(isInspire(el('http://inspire.ec.europa.eu/schemas/common/1.0//'), 'common')).toBe(false);
  });
});

const extended = (ns: { common: string; ext: string; kind: string }, body: string) =>
  parseXml(`<WFS_Capabilities xmlns="http://www.opengis.net/wfs/2.0" xmlns:ows="http://www.opengis.net/ows/1.1"
     xmlns:c="${ns.common}" xmlns:e="${ns.ext}"><ows:OperationsMetadata><ows:ExtendedCapabilities>
     <e:ExtendedCapabilities>${body}</e:ExtendedCapabilities></ows:ExtendedCapabilities></ows:OperationsMetadata></WFS_Capabilities>`);

describe('INSPIRE extended capabilities', () => {
  it('recorded pycsw CSW (inspire_ds): metadata URL absent, supported languages once each, response language', () => {
    const ext = findInspireExtendedCapabilities(fixtureXml('csw/getcapabilities-csw202-apiso-inspire.pycsw.xml'))!;
    expect(ext.local).toBe('ExtendedCapabilities');
    // lines 317-330: eng as default and supported (listed once), gre supported; response language eng
    expect(readInspireExtendedCapabilities(ext)).toEqual({ metadataUrl: null, languages: ['eng', 'gre'], responseLanguage: 'eng', spatialDataSetIdentifiers: [] });
  });

  it('recorded DOV WMS (inspire_vs): metadata URL, languages, response language', () => {
    const ext = findInspireExtendedCapabilities(fixtureXml('wms/wms130-dov-geoserver-inspire_vs.owslib.xml'))!;
    expect(readInspireExtendedCapabilities(ext)).toEqual({
      metadataUrl: 'https://www.dov.vlaanderen.be/geonetwork/srv/dut/csw?request=GetRecordById&ID=eab36660-76ec-11e0-994d-0002a5d5c51b',
      languages: ['dut'],
      responseLanguage: 'dut',
      spatialDataSetIdentifiers: [],
    });
  });

  it('download service (https, trailing slash): spatial data set identifiers with and without namespace; empty codes dropped', () => {
    for (const common of COMMON_FORMS) {
      const doc = extended(
        { common, ext: 'https://inspire.ec.europa.eu/schemas/inspire_dls/1.0/', kind: 'dls' },
        `<c:MetadataUrl><c:URL> https://sandbox.example/csw?id=svc-1 </c:URL></c:MetadataUrl>
         <c:SupportedLanguages><c:DefaultLanguage><c:Language>ger</c:Language></c:DefaultLanguage>
           <c:SupportedLanguage><c:Language>eng</c:Language></c:SupportedLanguage><c:SupportedLanguage><c:Language/></c:SupportedLanguage>
           <c:SupportedLanguage><x:Language xmlns:x="urn:not-inspire">fra</x:Language></c:SupportedLanguage></c:SupportedLanguages>
         <c:ResponseLanguage><c:Language>ger</c:Language></c:ResponseLanguage>
         <e:SpatialDataSetIdentifier><c:Code>ds-0001</c:Code><c:Namespace>https://registry.gdi-de.org/id/sandbox</c:Namespace></e:SpatialDataSetIdentifier>
         <e:SpatialDataSetIdentifier><c:Code>ds-0002</c:Code></e:SpatialDataSetIdentifier>
         <e:SpatialDataSetIdentifier><c:Namespace>https://registry.gdi-de.org/id/sandbox</c:Namespace></e:SpatialDataSetIdentifier>`,
      );
      const ext = findInspireExtendedCapabilities(doc)!;
      expect(ext).toBeDefined();
      expect(readInspireExtendedCapabilities(ext)).toEqual({
        metadataUrl: 'https://sandbox.example/csw?id=svc-1',
        languages: ['ger', 'eng'],
        responseLanguage: 'ger',
        spatialDataSetIdentifiers: [
          { code: 'ds-0001', namespace: 'https://registry.gdi-de.org/id/sandbox' },
          { code: 'ds-0002', namespace: null },
        ],
      });
    }
  });

  it('the view (vs, vs_ows11), download and discovery schemas are found; an ExtendedCapabilities of another namespace is not', () => {
    const common = COMMON_FORMS[0];
    for (const ext of [
      'http://inspire.ec.europa.eu/schemas/inspire_vs/1.0',
      'http://inspire.ec.europa.eu/schemas/inspire_vs_ows11/1.0',
      'http://inspire.europa.eu/schemas/inspire_dls/1.0.1',
      'https://inspire.ec.europa.eu/schemas/inspire_ds/1.0/',
    ]) {
      expect(findInspireExtendedCapabilities(extended({ common, ext, kind: '' }, ''))?.ns).toBe(ext);
    }
    // the ows:ExtendedCapabilities wrapper itself is not the INSPIRE element
    expect(findInspireExtendedCapabilities(extended({ common, ext: 'http://inspire.ec.europa.eu/schemas/common/1.0', kind: '' }, ''))).toBeUndefined();
    expect(findInspireExtendedCapabilities(undefined)).toBeUndefined();
  });

  it('without languages, URL or response language: nulls and an empty list', () => {
    const ext = findInspireExtendedCapabilities(
      extended({ common: COMMON_FORMS[1], ext: 'http://inspire.ec.europa.eu/schemas/inspire_vs/1.0', kind: '' }, '<c:MetadataUrl><c:URL/></c:MetadataUrl><c:ResponseLanguage/>'),
    )!;
    expect(readInspireExtendedCapabilities(ext)).toEqual({ metadataUrl: null, languages: [], responseLanguage: null, spatialDataSetIdentifiers: [] });
  });

  it('child lookups match local name and an INSPIRE namespace of the asked schema', () => {
    const doc = parseXml(`<r xmlns:c="http://inspire.ec.europa.eu/schemas/common/1.0" xmlns:o="urn:other">
      <o:URL>other</o:URL><c:URL>first</c:URL><c:URL>second</c:URL><c:Language>ger</c:Language></r>`);
    expect(inspireChild(doc, 'common', 'URL')?.text()).toBe('first');
    expect(inspireChild(doc, 'dls', 'URL')).toBeUndefined();
    expect(inspireChild(undefined, 'common', 'URL')).toBeUndefined();
    expect(inspireChildren(doc, 'common', 'URL').map((e) => e.text())).toEqual(['first', 'second']);
    expect(inspireChildren(doc, 'ds', 'URL')).toEqual([]);
    expect(inspireChildren(undefined, 'common', 'URL')).toEqual([]);
  });
});

describe('service provider and contact', () => {
  it('ows:ServiceProvider of the recorded pycsw CSW (lines 18-43), every field', () => {
    const root = fixtureXml('csw/getcapabilities-csw202-apiso.pycsw.xml');
    expect(readOwsServiceProvider(root.child('*', 'ServiceProvider'))).toEqual({
      name: 'pycsw',
      site: 'https://pycsw.org/',
      contact: {
        individualName: 'Kralidis, Tom',
        positionName: 'Senior Systems Scientist',
        organisationName: 'pycsw',
        phone: '+01-416-xxx-xxxx',
        fax: '+01-416-xxx-xxxx',
        email: 'tomkralidis@gmail.com',
        deliveryPoint: 'TBA',
        city: 'Toronto',
        administrativeArea: 'Ontario',
        postalCode: 'M9C 3Z9',
        country: 'Canada',
        onlineResource: 'http://kralidis.ca/',
        hoursOfService: '0800h - 1600h EST',
        instructions: 'During hours of service.  Off on weekends.',
        role: 'pointOfContact',
      },
    });
  });

  it('ows:ServiceProvider of the recorded DOV WFS 2.0.0 (lines 24-47): empty elements are null, no site', () => {
    const root = fixtureXml('wfs/wfs200-dov-geoserver.owslib.xml');
    expect(readOwsServiceProvider(root.child('*', 'ServiceProvider'))).toEqual({
      name: 'Vlaamse Overheid - DOV',
      site: null,
      contact: {
        individualName: 'ir Marleen Van Damme',
        positionName: 'DOV-coördinator',
        organisationName: 'Vlaamse Overheid - DOV',
        phone: null,
        fax: null,
        email: 'marleen.vandamme@lne.vlaanderen.be',
        deliveryPoint: null,
        city: 'Zwijnaarde',
        administrativeArea: 'Oost-Vlaanderen',
        postalCode: '9052',
        country: 'Belgium',
        onlineResource: null,
        hoursOfService: null,
        instructions: null,
        role: null,
      },
    });
  });

  it('WMS Service/ContactInformation of the recorded DOV WMS 1.3.0 (lines 18-36)', () => {
    const root = fixtureXml('wms/wms130-dov-geoserver-inspire_vs.owslib.xml');
    expect(readWmsContact(root.child(root.ns, 'Service'))).toEqual({
      name: 'Vlaamse Overheid - DOV',
      site: 'http://www.dov.vlaanderen.be/geoserver',
      contact: {
        individualName: 'ir Marleen Van Damme',
        positionName: 'DOV-coördinator',
        organisationName: 'Vlaamse Overheid - DOV',
        phone: null,
        fax: null,
        email: 'marleen.vandamme@lne.vlaanderen.be',
        deliveryPoint: 'Technologiepark 905',
        city: 'Zwijnaarde',
        administrativeArea: 'Oost-Vlaanderen',
        postalCode: '9052',
        country: 'Belgium',
        onlineResource: null,
        hoursOfService: null,
        instructions: null,
        role: null,
      },
    });
  });

  it('WMS 1.1.1 (no namespace) with phone and fax; a provider with nothing but a name has no contact', () => {
    const wms111 = parseXml(`<WMT_MS_Capabilities version="1.1.1" xmlns:xlink="http://www.w3.org/1999/xlink"><Service>
      <OnlineResource xlink:href=" https://sandbox.example/wms "/>
      <ContactInformation><ContactPersonPrimary><ContactOrganization>Sandbox-Amt</ContactOrganization></ContactPersonPrimary>
        <ContactVoiceTelephone>+49 361 000000</ContactVoiceTelephone><ContactFacsimileTelephone>+49 361 000001</ContactFacsimileTelephone>
      </ContactInformation></Service></WMT_MS_Capabilities>`);
    const c = readWmsContact(wms111.child('', 'Service'));
    expect(c).toMatchObject({ name: 'Sandbox-Amt', site: 'https://sandbox.example/wms' });
    expect(c?.contact).toMatchObject({ organisationName: 'Sandbox-Amt', phone: '+49 361 000000', fax: '+49 361 000001', individualName: null });

    const empty = parseXml(`<WMT_MS_Capabilities version="1.1.1"><Service><ContactInformation><ContactPosition/></ContactInformation></Service></WMT_MS_Capabilities>`);
    expect(readWmsContact(empty.child('', 'Service'))).toEqual({ name: null, site: null, contact: null });
    const none = parseXml(`<WMT_MS_Capabilities version="1.1.1"><Service><Title>x</Title></Service></WMT_MS_Capabilities>`);
    expect(readWmsContact(none.child('', 'Service'))).toBeNull();
    expect(readWmsContact(undefined)).toBeNull();

    const ows = parseXml(`<ows:ServiceProvider xmlns:ows="http://www.opengis.net/ows" xmlns:xlink="http://www.w3.org/1999/xlink">
      <ows:ProviderName>Nur Name</ows:ProviderName><ows:ProviderSite xlink:href="  "/></ows:ServiceProvider>`);
    // the provider's name is also the contact's organisation, so a named provider has a contact
    expect(readOwsServiceProvider(ows)).toMatchObject({ name: 'Nur Name', site: null });
    expect(readOwsServiceProvider(parseXml('<ows:ServiceProvider xmlns:ows="http://www.opengis.net/ows"/>'))).toEqual({ name: null, site: null, contact: null });
    expect(readOwsServiceProvider(undefined)).toBeNull();
  });

  it('OWS contact elements in a namespace other than the provider’s are still read by local name', () => {
    const sp = parseXml(`<ows:ServiceProvider xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:o2="http://www.opengis.net/ows/2.0">
      <ows:ServiceContact><o2:IndividualName>Gemischt</o2:IndividualName><ows:ContactInfo><o2:Address><o2:City>Erfurt</o2:City></o2:Address></ows:ContactInfo></ows:ServiceContact>
    </ows:ServiceProvider>`);
    expect(readOwsServiceProvider(sp)?.contact).toMatchObject({ individualName: 'Gemischt', city: 'Erfurt' });
  });
});
