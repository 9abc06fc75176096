import type { IsoContact } from '../../formats/iso19139/iso19139';
import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

/** ISO 19139 CI_RoleCode values (gmxCodelists.xml#CI_RoleCode). */
export const CI_ROLE_CODES = ['resourceProvider', 'custodian', 'owner', 'user', 'distributor', 'originator', 'pointOfContact', 'principalInvestigator', 'processor', 'publisher', 'author'];

const gaps = (c: IsoContact) => [
  ...(c.organisationName?.trim() ? [] : ['organisationName']),
  ...(c.email?.trim() ? [] : ['electronicMailAddress']),
  ...(c.role && CI_ROLE_CODES.includes(c.role) ? [] : [c.role ? `role (${JSON.stringify(c.role)} is no CI_RoleCode)` : 'role']),
];

export const r7: Rule = {
  id: 'R7',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Responsible organisation of the resource',
  description:
    'At least one resource `pointOfContact` (responsible party); every one has an organisationName, an electronicMailAddress and a role from CI_RoleCode.',
  source: 'INSPIRE ETS metadata 2.0, C.10 (TG MD 2.0 Req C.10) [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      if (r.pointsOfContact.length === 0) return { message: `${label(r)} names no responsible party (resource pointOfContact).`, evidence: { pointsOfContact: [] } };
      const bad = r.pointsOfContact.map((c) => ({ contact: c, missing: gaps(c) })).filter((x) => x.missing.length);
      return bad.length > 0 && {
        message: `Responsible party of ${label(r)} lacks ${bad.map((b) => `${b.missing.join(', ')} (${b.contact.organisationName ?? b.contact.email ?? 'unnamed'})`).join('; ')}.`,
        evidence: { incomplete: bad },
      };
    }),
};
