import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

/** hierarchyLevel → the identificationInfo element it requires (ISO 19119/19139; INSPIRE TG MD 2.0 §2.2.3). */
const IDENTIFICATION: Record<string, string> = {
  dataset: 'MD_DataIdentification',
  series: 'MD_DataIdentification',
  service: 'SV_ServiceIdentification',
};

export const r3: Rule = {
  id: 'R3',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Resource type matches the identification',
  description:
    '`hierarchyLevel` is dataset, series or service, and the resource is described by the matching `identificationInfo` element (`MD_DataIdentification` for dataset/series, `SV_ServiceIdentification` for service).',
  source: 'INSPIRE Reference Validator ETS metadata 2.0, 1.1, 3.1, 3.2 [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      const level = r.type;
      if (!level || !IDENTIFICATION[level]) {
        return { message: `hierarchyLevel of ${label(r)} is ${JSON.stringify(level)}, not dataset, series or service.`, evidence: { hierarchyLevel: level } };
      }
      // Records stored before the mapper kept the element name: a service block is all that can be told.
      const found = r.identificationType !== undefined ? r.identificationType : r.service ? 'SV_ServiceIdentification' : IDENTIFICATION[level];
      return found !== IDENTIFICATION[level] && {
        message: `${label(r)} declares hierarchyLevel ${level} but describes the resource with ${found ?? 'no identificationInfo'} instead of ${IDENTIFICATION[level]}.`,
        evidence: { hierarchyLevel: level, identificationInfo: found, expected: IDENTIFICATION[level] },
      };
    }),
};
