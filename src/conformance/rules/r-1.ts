import type { Rule } from '../types';
import { eachRecord } from './geo-common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const r1: Rule = {
  id: 'R1',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Metadata record has a file identifier',
  description: 'The record is a `gmd:MD_Metadata` with a non-empty `fileIdentifier` (warning if it is not UUID-like).',
  source: 'INSPIRE Reference Validator ETS metadata 2.0, C.2 [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) =>
      !r.fileIdentifier.trim()
        ? { message: 'Record has an empty fileIdentifier.', evidence: { fileIdentifier: r.fileIdentifier } }
        : !UUID.test(r.fileIdentifier.trim()) && { severity: 'warning', message: `fileIdentifier ${JSON.stringify(r.fileIdentifier)} is not UUID-like.`, evidence: { fileIdentifier: r.fileIdentifier } },
    ),
};
