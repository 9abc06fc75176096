import type { FindingDraft, Rule } from '../types';
import { recordOfReference } from './util';

export const xg2: Rule = {
  id: 'XG2',
  severity: 'error',
  scope: 'record',
  upstream: 'geoproxy',
  title: 'ExtendedCapabilities point to the service record',
  description: 'INSPIRE ExtendedCapabilities `inspire_common:MetadataUrl/inspire_common:URL` resolves to a GeoMIS record with hierarchyLevel = service.',
  source: 'GDI-DE coupling chain [published]',
  check: ({ input, ix }) => {
    if (!input.geoproxy || !input.geomis) return { notEvaluated: 'Geoproxy capabilities or GeoMIS catalogue not collected' };
    const out: FindingDraft[] = [];
    for (const s of input.geoproxy.services) {
      const url = s.capabilities?.inspire?.metadataUrl;
      if (!url) continue;
      const target = recordOfReference(ix, { href: url });
      if (target?.type === 'service') continue;
      out.push({
        subject: s.name,
        message: target
          ? `INSPIRE ExtendedCapabilities MetadataUrl of ${s.name} points to ${target.type} record ${target.fileIdentifier}, not a service record.`
          : `INSPIRE ExtendedCapabilities MetadataUrl of ${s.name} (${url}) resolves to no record of the catalogue.`,
        evidence: { metadataUrl: url, resolvedTo: target ? { fileIdentifier: target.fileIdentifier, hierarchyLevel: target.type } : null },
      });
    }
    return out;
  },
};
