import type { Rule } from '../types';
import { duplicateIdentifiers } from './r-10';

export const r18: Rule = {
  id: 'R18',
  severity: 'info',
  scope: 'record',
  upstream: 'geomis',
  title: 'Resource identifier uniquely resolvable',
  description: 'GDI-DE registry monitoring semantics: a lookup of the resource identifier returns 0 records = invalid, 1 = valid, ≥ 2 = exists but not uniquely accessible (reported for the records that are not its owner).',
  source: 'GDI-DE Registry Ableitungskonzept [published]',
  check: (ctx) => {
    if (!ctx.input.geomis) return { notEvaluated: 'GeoMIS catalogue not collected' };
    return duplicateIdentifiers(ctx).map((d) => ({
      subject: d.record.fileIdentifier,
      message: `Resource identifier ${d.code} resolves to ${d.others.length + 1} records: not uniquely accessible.`,
      evidence: { code: d.code, records: [d.record.fileIdentifier, ...d.others] },
    }));
  },
};
