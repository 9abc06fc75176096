import type { FindingDraft, Rule } from '../types';
import { datasetsOfLayer, isDataRecord, namedLayers, recordOfReference, serviceRecordOf } from './util';

export const xg4: Rule = {
  id: 'XG4',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  title: 'Service/dataset coupling is symmetric',
  description:
    'Datasets referenced by the service record\'s `operatesOn` = datasets referenced by the capabilities\' MetadataURLs. A layer without a resolvable dataset reference is reported on the layer; datasets missing from (or unresolvable in) `operatesOn` on the service record.',
  source: '[adopted], from R15 + R16',
  check: ({ input, ix }) => {
    if (!input.geoproxy || !input.geomis) return { notEvaluated: 'Geoproxy capabilities or GeoMIS catalogue not collected' };
    const out: FindingDraft[] = [];
    for (const s of input.geoproxy.services) {
      if (!s.capabilities) continue;
      const rec = serviceRecordOf(s, input);
      if (!rec?.service) continue;
      const capDatasets = new Set<string>();
      const uncoupled: string[] = [];
      for (const l of namedLayers(s)) {
        if (s.capabilities.layers.some((c) => c.parent === l.name) && !l.metadataUrls.length) continue; // group layer
        const ds = datasetsOfLayer(ix, l);
        if (ds.length) ds.forEach((d) => capDatasets.add(d.fileIdentifier));
        else uncoupled.push(l.name);
      }
      const opTargets = rec.service.operatesOn.map((o) => ({ o, r: recordOfReference(ix, o) }));
      const opDatasets = new Set(opTargets.filter((t) => isDataRecord(t.r)).map((t) => t.r!.fileIdentifier));
      const unresolved = opTargets.filter((t) => !isDataRecord(t.r)).map((t) => t.o.uuidref ?? t.o.href);
      const missingInRecord = [...capDatasets].filter((d) => !opDatasets.has(d));
      const missingInCaps = [...opDatasets].filter((d) => !capDatasets.has(d));
      for (const layer of uncoupled) {
        out.push({
          subject: `${s.name}#${layer}`,
          message: `Layer ${layer} of ${s.name} couples to no dataset record, while the service record ${rec.fileIdentifier} operates on ${missingInCaps.join(', ') || 'its datasets'}.`,
          evidence: { serviceRecord: rec.fileIdentifier, layer, datasetsOnlyInRecord: missingInCaps },
        });
      }
      // Datasets of the record that no layer couples to are explained by the uncoupled layers above.
      const unexplained = uncoupled.length ? [] : missingInCaps;
      if (missingInRecord.length || unresolved.length || unexplained.length) {
        out.push({
          subject: rec.fileIdentifier,
          message: `Coupling of service record "${rec.title}" and ${s.name} is not symmetric: ${[
            missingInRecord.length ? `capabilities reference ${missingInRecord.join(', ')} missing from operatesOn` : '',
            unresolved.length ? `operatesOn ${unresolved.join(', ')} is no dataset of the catalogue` : '',
            unexplained.length ? `operatesOn ${unexplained.join(', ')} is referenced by no layer` : '',
          ].filter(Boolean).join('; ')}.`,
          evidence: { service: s.name, datasetsOnlyInCapabilities: missingInRecord, unresolvedOperatesOn: unresolved, datasetsOnlyInRecord: unexplained },
        });
      }
    }
    return out;
  },
};
