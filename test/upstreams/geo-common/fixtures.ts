import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseXml, type XmlElement } from '../../../src/upstreams/runtime/xml';

/** Recorded geo documents copied from /work/shared/fixtures/geo (see test/fixtures/geo/SOURCES.md). */
export const GEO_FIXTURES = join(__dirname, '..', '..', 'fixtures', 'geo');

export const fixtureText = (rel: string): string => readFileSync(join(GEO_FIXTURES, rel), 'utf8');
export const fixtureXml = (rel: string): XmlElement => parseXml(readFileSync(join(GEO_FIXTURES, rel)));
