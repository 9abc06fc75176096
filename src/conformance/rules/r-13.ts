import type { IsoLegalConstraints, IsoText } from '../../formats/iso19139/iso19139';
import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

const given = (t: IsoText) => !!t.text.trim() || !!t.href;
const CONDITIONS = '/metadata-codelist/ConditionsApplyingToAccessAndUse/';

export const r13: Rule = {
  id: 'R13',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Limitations on public access and conditions for use',
  description:
    'An `MD_LegalConstraints` with `accessConstraints` = otherRestrictions and an `otherConstraints` (Anchor from INSPIRE LimitationsOnPublicAccess, or text); and conditions for use: `useConstraints` = otherRestrictions with an `otherConstraints`, an Anchor from ConditionsApplyingToAccessAndUse, or a `useLimitation` (TG 1.3 form).',
  source: 'INSPIRE ETS metadata 2.0, C.17, C.18 (TG MD 2.0 Req C.17, C.18) [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      // Records stored before the mapper kept the blocks: one block of the flat fields.
      const blocks: IsoLegalConstraints[] = r.legalConstraints ?? [{ accessConstraints: r.accessConstraints, useConstraints: r.useConstraints, otherConstraints: r.otherConstraints, useLimitations: [] }];
      const access = blocks.some((b) => b.accessConstraints.includes('otherRestrictions') && b.otherConstraints.some(given));
      const use =
        blocks.some((b) => b.useConstraints.includes('otherRestrictions') && b.otherConstraints.some(given)) ||
        blocks.some((b) => b.otherConstraints.some((t) => t.href?.includes(CONDITIONS))) ||
        r.useLimitations.length > 0;
      const missing = [...(access ? [] : ['limitations on public access (accessConstraints otherRestrictions + otherConstraints)']), ...(use ? [] : ['conditions for access and use'])];
      return missing.length > 0 && { message: `${label(r)} has no ${missing.join(' and no ')}.`, evidence: { missing, legalConstraints: blocks, useLimitations: r.useLimitations } };
    }),
};
