import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

export const r6: Rule = {
  id: 'R6',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Metadata point of contact',
  description: 'A metadata contact with organisationName and electronicMailAddress, role `pointOfContact`.',
  source: 'INSPIRE ETS metadata 2.0, C.6 [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      if (r.metadataContacts.some((c) => c.organisationName?.trim() && c.email?.trim() && c.role === 'pointOfContact')) return null;
      const missing = r.metadataContacts.length === 0 ? ['contact'] : [
        ...(r.metadataContacts.some((c) => c.organisationName?.trim()) ? [] : ['organisationName']),
        ...(r.metadataContacts.some((c) => c.email?.trim()) ? [] : ['electronicMailAddress']),
        ...(r.metadataContacts.some((c) => c.role === 'pointOfContact') ? [] : ['role pointOfContact']),
      ];
      return { message: `Metadata contact of ${label(r)} lacks ${missing.join(', ') || 'a complete pointOfContact entry'}.`, evidence: { metadataContacts: r.metadataContacts } };
    }),
};
