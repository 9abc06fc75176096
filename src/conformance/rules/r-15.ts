import type { FindingDraft, Rule } from '../types';
import { label } from './geo-common';
import { recordOfReference } from './util';

export const r15: Rule = {
  id: 'R15',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'operatesOn resolves to a dataset',
  description:
    'Every `srv:operatesOn` resolves (via `@xlink:href` GetRecordById or `@uuidref`, which may be the dataset resource identifier or its fileIdentifier) to a record in the same catalogue whose hierarchyLevel is dataset or series.',
  source: 'INSPIRE ETS metadata 2.0, 3.6 [published]; GeoNetwork fileIdentifier practice [unverified]',
  check: ({ input, ix }) => {
    if (!input.geomis) return { notEvaluated: 'GeoMIS catalogue not collected' };
    const out: FindingDraft[] = [];
    for (const r of input.geomis.records) {
      const bad = (r.service?.operatesOn ?? [])
        .map((o) => ({ o, target: recordOfReference(ix, o) }))
        .filter(({ target }) => !target || (target.type !== 'dataset' && target.type !== 'series'));
      if (!bad.length) continue;
      const { o, target } = bad[0];
      out.push({
        subject: r.fileIdentifier,
        message: target
          ? `operatesOn of ${label(r)} refers to the ${target.type} record ${target.fileIdentifier}, not a dataset.`
          : `operatesOn of ${label(r)} refers to ${o.uuidref ?? o.href}, which is not in the catalogue.`,
        evidence: { operatesOn: bad.map((b) => ({ ...b.o, resolvedTo: b.target ? { fileIdentifier: b.target.fileIdentifier, hierarchyLevel: b.target.type } : null })) },
      });
    }
    return out;
  },
};
