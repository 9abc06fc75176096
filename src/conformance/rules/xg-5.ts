import type { IsoRecord } from '../../formats/iso19139/iso19139';
import type { ConformanceInput } from '../input';
import { joinCode } from '../indexes';
import type { FindingDraft, Rule } from '../types';
import { applyAliases, datasetsOfLayer, namedLayers } from './util';

const norm = (u: string, input: ConformanceInput) => applyAliases(u.trim(), input).replace(/\/+$/, '');

/**
 * Does a capabilities identifier (WMS Identifier + AuthorityURL, WFS SpatialDataSetIdentifier Code + Namespace) name the
 * record's resource identifier? The code must equal the record's code (or codeSpace + code), and a namespace given on
 * both sides must agree — unless namespace + code spell the record's identifier URI.
 */
export function namesResource(id: { code: string; namespace: string | null }, rec: IsoRecord, input: ConformanceInput): boolean {
  return rec.resourceIdentifiers.some((ri) => {
    const recordCodes = new Set([ri.code, ...(ri.codeSpace ? [joinCode(ri.codeSpace, ri.code)] : [])].map((c) => norm(c, input)));
    const code = norm(id.code, input);
    const joined = id.namespace ? norm(joinCode(id.namespace, id.code.trim()), input) : null;
    if (joined && recordCodes.has(joined) && joined !== code) return true;
    if (!recordCodes.has(code)) return false;
    return !id.namespace || !ri.codeSpace || norm(id.namespace, input) === norm(ri.codeSpace, input);
  });
}

export const xg5: Rule = {
  id: 'XG5',
  severity: 'warning',
  scope: 'record',
  upstream: 'geoproxy',
  title: 'Capabilities dataset identifiers match the dataset records',
  description:
    'A WMS layer\'s `Identifier` (with the `AuthorityURL` of its authority) and a WFS\'s `inspire_dls:SpatialDataSetIdentifier` (Code + Namespace) equal the resource identifier code/codeSpace of the dataset record the layers couple to (MetadataURL).',
  source: 'GDI-DE coupling chain [published]',
  check: ({ input, ix }) => {
    if (!input.geoproxy || !input.geomis) return { notEvaluated: 'Geoproxy capabilities or GeoMIS catalogue not collected' };
    const out: FindingDraft[] = [];
    for (const s of input.geoproxy.services) {
      if (!s.capabilities) continue;
      for (const l of namedLayers(s)) {
        if (!l.identifiers.length) continue;
        const datasets = datasetsOfLayer(ix, l);
        if (!datasets.length) continue; // uncoupled layer: R16/XG1/XG4 report it
        if (l.identifiers.some((i) => datasets.some((d) => namesResource({ code: i.code, namespace: i.authorityUrl }, d, input)))) continue;
        out.push({
          subject: `${s.name}#${l.name}`,
          message: `Identifier ${l.identifiers.map((i) => `${i.code} (authority ${i.authority ?? '?'}, ${i.authorityUrl ?? 'no AuthorityURL'})`).join(', ')} of layer ${l.name} (${s.name}) is not the resource identifier of its dataset ${datasets.map((d) => d.fileIdentifier).join(', ')}.`,
          evidence: { identifiers: l.identifiers, datasets: datasets.map((d) => ({ fileIdentifier: d.fileIdentifier, resourceIdentifiers: d.resourceIdentifiers })) },
        });
      }
      const sdsi = s.capabilities.inspire?.spatialDataSetIdentifiers ?? [];
      if (!sdsi.length) continue;
      const coupled = [...new Map(namedLayers(s).flatMap((l) => datasetsOfLayer(ix, l)).map((d) => [d.fileIdentifier, d])).values()];
      if (!coupled.length) continue;
      const unmatched = sdsi.filter((i) => !coupled.some((d) => namesResource(i, d, input)));
      if (!unmatched.length) continue;
      out.push({
        subject: s.name,
        message: `SpatialDataSetIdentifier ${unmatched.map((i) => `${i.code} (${i.namespace ?? 'no namespace'})`).join(', ')} of ${s.name} names no dataset its feature types couple to.`,
        evidence: { unmatched, datasets: coupled.map((d) => ({ fileIdentifier: d.fileIdentifier, resourceIdentifiers: d.resourceIdentifiers })) },
      });
    }
    return out;
  },
};
