import { describe, expect, it } from 'vitest';
import { findMetadataElements, mapIsoRecord, type IsoRecord } from '../../../src/formats/iso19139/iso19139';
import { parseXml } from '../../../src/upstreams/runtime/xml';
import { fixtureXml } from '../geo-common/fixtures';

// The fields the conformance rules R3, R11 and R13 read (docs/conformance-rules.md), against the recorded real
// documents of test/fixtures/geo (SOURCES.md). Expected values were read off the XML.
const one = (rel: string): IsoRecord => mapIsoRecord(findMetadataElements(fixtureXml(rel))[0])!;

describe('ISO 19139 mapper: identification type, service types, legal constraint blocks', () => {
  it('DWD dataset: MD_DataIdentification, three MD_LegalConstraints blocks kept apart (use, use + text, access + text)', () => {
    const r = one('iso19139/dataset-dwd-rbsn.mrmap.xml');
    expect(r.identificationType).toBe('MD_DataIdentification');
    expect(r.serviceTypes).toEqual([]);
    expect(r.legalConstraints).toHaveLength(3);
    expect(r.legalConstraints![0]).toEqual({ accessConstraints: [], useConstraints: ['intellectualPropertyRights'], otherConstraints: [], useLimitations: [] });
    expect(r.legalConstraints![1].useLimitations).toEqual(['Nutzungsbedingungen: Es gelten keine Einschränkungen.']);
    expect(r.legalConstraints![1].useConstraints).toEqual(['otherRestrictions']);
    expect(r.legalConstraints![1].accessConstraints).toEqual([]);
    expect(r.legalConstraints![1].otherConstraints.map((t) => t.text.slice(0, 44))).toEqual(['Nutzungsbedingungen: Es gilt die Verordnung ']);
    expect(r.legalConstraints![2]).toEqual({
      accessConstraints: ['otherRestrictions'],
      useConstraints: [],
      otherConstraints: [{ text: 'Zugriffseinschränkungen: Es gelten keine Bedingungen.', href: null }],
      useLimitations: [],
    });
  });

  it('komm.one WFS service: SV_ServiceIdentification, one serviceType, access block with the LimitationsOnPublicAccess Anchor', () => {
    const r = one('iso19139/service-wfs-kommone-bw.mrmap.xml');
    expect(r.identificationType).toBe('SV_ServiceIdentification');
    expect(r.serviceTypes).toEqual(['download']);
    expect(r.legalConstraints!.map((l) => [l.accessConstraints, l.useConstraints, l.otherConstraints.length, l.useLimitations])).toEqual([
      [['otherRestrictions'], [], 1, []],
      [[], ['otherRestrictions'], 1, []],
      [[], [], 0, ['Nutzungsbedingungen: Bedingungen unbekannt']],
    ]);
    expect(r.legalConstraints![0].otherConstraints[0]).toEqual({
      text: 'no limitations to public access',
      href: 'http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/noLimitations',
    });
  });

  it('DOV dataset: one legal block with access constraints, two use limitations and an Anchor; MD_Constraints stays out', () => {
    const r = one('csw/getrecordbyid-iso-geonetwork-dov.owslib.xml');
    expect(r.identificationType).toBe('MD_DataIdentification');
    expect(r.legalConstraints).toHaveLength(1);
    const l = r.legalConstraints![0];
    expect(l.accessConstraints).toEqual(['otherRestrictions']);
    expect(l.useConstraints).toEqual([]);
    expect(l.useLimitations).toHaveLength(2);
    expect(l.useLimitations[1]).toBe('Volgende aansprakelijkheidsbepalingen gelden: https://www.dov.vlaanderen.be/page/disclaimer');
    expect(l.otherConstraints.map((t) => t.href)).toEqual([null, 'https://inspire.ec.europa.eu/metadata-codelist/ConditionsApplyingToAccessAndUse/noConditionsApply']);
    // the MD_Constraints useLimitation ("Zie 'Overige beperkingen'") is in the flat list only
    expect(r.useLimitations).toContain("Zie 'Overige beperkingen'");
  });

  it('two serviceType elements are both kept (ETS 3.5 asks for exactly one); an empty identificationInfo gives null', () => {
    const doc = (inner: string) =>
      parseXml(
        `<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:srv="http://www.isotc211.org/2005/srv">` +
          `<gmd:fileIdentifier><gco:CharacterString>x1</gco:CharacterString></gmd:fileIdentifier>${inner}</gmd:MD_Metadata>`,
      );
    const svc = mapIsoRecord(doc('<gmd:identificationInfo><srv:SV_ServiceIdentification><srv:serviceType><gco:LocalName>view</gco:LocalName></srv:serviceType><srv:serviceType><gco:LocalName>WMS</gco:LocalName></srv:serviceType></srv:SV_ServiceIdentification></gmd:identificationInfo>'))!;
    expect(svc.serviceTypes).toEqual(['view', 'WMS']);
    expect(svc.service?.serviceType).toBe('view');
    const none = mapIsoRecord(doc('<gmd:identificationInfo/>'))!;
    expect(none.identificationType).toBeNull();
    expect(none.legalConstraints).toEqual([]);
  });
});
