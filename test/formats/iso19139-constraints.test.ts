import { describe, expect, it } from 'vitest';
import { findMetadataElements, mapIsoRecord } from '../../src/formats/iso19139/iso19139';
import { fixtureXml } from '../upstreams/geo-common/fixtures';

/**
 * Issue 16 item 3, the ISO 19139 part: use limitations, security classification, distributor contact and fees of
 * the recorded records (test/fixtures/geo, SOURCES.md). Expected values are copied from the documents (line numbers
 * given), never computed by the code under test. A pure mapper test, so `npm run mutation` runs it
 * (vitest.mutation.config.ts); the GraphQL side stays in test/upstreams/geomis/constraints-provider.test.ts.
 */

const iso = (file: string) => mapIsoRecord(findMetadataElements(fixtureXml(file))[0])!;

describe('ISO 19139: constraints and distributor (recorded records)', () => {
  it('DWD dataset: useLimitation texts and MD_SecurityConstraints classification (lines 402-458)', () => {
    const r = iso('iso19139/dataset-dwd-rbsn.mrmap.xml');
    expect(r.useLimitations).toEqual(['Nutzungsbedingungen: Es gelten keine Einschränkungen.']);
    expect(r.securityConstraints).toEqual([{ classification: 'unclassified', userNote: null, classificationSystem: null, handlingDescription: null }]);
  });

  it('DOV dataset (GeoNetwork): distributor contact and fees (lines 593-650)', () => {
    const r = iso('csw/getrecordbyid-iso-geonetwork-dov.owslib.xml');
    expect(r.distributors).toEqual([
      {
        contact: { organisationName: 'Databank Ondergrond Vlaanderen (DOV)', individualName: null, email: 'dov@vlaanderen.be', role: 'distributor' },
        fees: 'Gratis',
        orderingInstructions: null,
        turnaround: null,
      },
    ]);
  });
});
