import type { Rule } from '../types';
import { eachRecord, isDataType, label } from './geo-common';

/** `https://registry.<host>/id/<namespace>/<local id>` (GDI-DE registry namespace URI). */
const NAMESPACE_URI = /^https?:\/\/[^/\s]+\/id\/[^/\s]+\/[^\s]+$/;

export const r10c: Rule = {
  id: 'R10c',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  title: 'Resource identifier in a namespace',
  description: 'Dataset/series: the resource identifier uses a namespace URI (`https://registry.gdi-de.org/id/<namespace>/…`), either as the code or as codeSpace + code.',
  source: 'GDI-DE Konventionen zu Metadaten [published; exact rule id unverified]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      if (!isDataType(r) || r.resourceIdentifiers.length === 0) return null; // R10's finding
      const ok = r.resourceIdentifiers.some((i) => NAMESPACE_URI.test(i.code) || (i.codeSpace !== null && NAMESPACE_URI.test(`${i.codeSpace.replace(/\/$/, '')}/${i.code}`)));
      return !ok && { message: `Resource identifier ${r.resourceIdentifiers.map((i) => JSON.stringify(i.code)).join(', ')} of ${label(r)} is not a namespace URI.`, evidence: { resourceIdentifiers: r.resourceIdentifiers } };
    }),
};
