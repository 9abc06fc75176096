import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, xml, type SandboxServer } from '../../../src/sandbox/http';
import { parseCapabilities as parseCswCapabilities } from '../../../src/upstreams/geomis/csw';
import { parseCapabilities as parseOgcCapabilities } from '../../../src/upstreams/geoproxy/capabilities';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { fixtureText, fixtureXml } from '../geo-common/fixtures';

/**
 * Issue 16 item 3: what a portal needs from nearly every record and service — use limitations, security
 * classification, distributor contact and fees; the catalogue's and services' provider/contact,
 * abstract, keywords and MaxRecordDefault. Expected values are copied from the recorded documents
 * (line numbers given), never computed by the code under test.
 */

describe('capabilities: provider/contact, abstract, keywords, MaxRecordDefault', () => {
  it('pycsw CSW capabilities (lines 4-43, 265-267)', () => {
    const c = parseCswCapabilities(fixtureXml('csw/getcapabilities-csw202-apiso.pycsw.xml'));
    expect(c).toMatchObject({
      title: 'pycsw Geospatial Catalogue',
      abstract: 'pycsw is an OARec and OGC CSW server implementation written in Python',
      keywords: ['catalogue', 'discovery'],
      fees: 'None',
      accessConstraints: 'None',
      maxRecordDefault: 10,
    });
    expect(c.provider).toEqual({
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

  it('WMS 1.3.0 ContactInformation (DOV, lines 19-36) and WFS 2.0.0 ows:ServiceProvider (DOV, lines 24-47)', () => {
    const wms = parseOgcCapabilities(fixtureXml('wms/wms130-dov-geoserver-inspire_vs.owslib.xml'));
    expect(wms.provider?.contact).toMatchObject({
      individualName: 'ir Marleen Van Damme',
      organisationName: 'Vlaamse Overheid - DOV',
      positionName: 'DOV-coördinator',
      deliveryPoint: 'Technologiepark 905',
      city: 'Zwijnaarde',
      administrativeArea: 'Oost-Vlaanderen',
      postalCode: '9052',
      country: 'Belgium',
      phone: null,
      email: 'marleen.vandamme@lne.vlaanderen.be',
    });
    const wfs = parseOgcCapabilities(fixtureXml('wfs/wfs200-dov-geoserver.owslib.xml'));
    expect(wfs.provider?.name).toBe('Vlaamse Overheid - DOV');
    expect(wfs.provider?.contact).toMatchObject({ individualName: 'ir Marleen Van Damme', positionName: 'DOV-coördinator', city: 'Zwijnaarde', deliveryPoint: null });
  });
});

describe('GraphQL: geoCatalogue and the new record fields over a replayed catalogue', () => {
  let replay: SandboxServer;
  let gw: TestGateway;
  beforeAll(async () => {
    replay = await startSandboxServer({
      name: 'geomis',
      routes: [
        { method: 'GET', path: '/', handler: () => xml(fixtureText('csw/getcapabilities-csw202-apiso.pycsw.xml')) },
        { method: 'POST', path: '/', handler: () => xml(fixtureText('csw/getrecordbyid-iso-geonetwork-dov.owslib.xml')) },
      ],
    });
    gw = await startTestGateway({ GEOMIS_BASE_URL: replay.url });
  });
  afterAll(async () => {
    await gw?.stop();
    await replay?.close();
  });

  it('exposes catalogue provider/contact, MaxRecordDefault and a record’s distributors, fees and constraints', async () => {
    const res = await gw.raw(`{
      geoCatalogue { title abstract keywords maxRecordDefault provider { name site contact { individualName email city role } } provenance { source } }
      geoRecord(id: "6c39d716-aecc-4fbc-bac8-4f05a49a78d5") { useLimitations securityConstraints { classification } distributors { fees contact { organisationName email } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.geoCatalogue).toEqual({
      title: 'pycsw Geospatial Catalogue',
      abstract: 'pycsw is an OARec and OGC CSW server implementation written in Python',
      keywords: ['catalogue', 'discovery'],
      maxRecordDefault: 10,
      provider: { name: 'pycsw', site: 'https://pycsw.org/', contact: { individualName: 'Kralidis, Tom', email: 'tomkralidis@gmail.com', city: 'Toronto', role: 'pointOfContact' } },
      provenance: { source: 'geomis' },
    });
    expect(res.data.geoRecord.distributors).toEqual([{ fees: 'Gratis', contact: { organisationName: 'Databank Ondergrond Vlaanderen (DOV)', email: 'dov@vlaanderen.be' } }]);
    // lines 452-483: MD_Constraints and MD_LegalConstraints useLimitations, MD_SecurityConstraints unclassified
    expect(res.data.geoRecord.useLimitations).toEqual([
      "Zie 'Overige beperkingen'",
      'Bij het gebruik van de informatie die DOV aanbiedt, dient steeds volgende standaardreferentie gebruikt te worden: Databank Ondergrond Vlaanderen - (vermelding van de beheerder en de specifieke geraadpleegde gegevens) - Geraadpleegd op dd/mm/jjjj, op https://www.dov.vlaanderen.be',
      'Volgende aansprakelijkheidsbepalingen gelden: https://www.dov.vlaanderen.be/page/disclaimer',
    ]);
    expect(res.data.geoRecord.securityConstraints).toEqual([{ classification: 'unclassified' }]);
  });
});
