import type { Rule } from '../types';
import { claimsInspire, eachRecord, label } from './geo-common';
import { isGetCapabilitiesUrl } from './util';

/** A service's capabilities document reached without KVP (WMTS RESTful `…/WMTSCapabilities.xml`) or an Atom service feed. */
const capabilitiesAlike = (url: string, protocol: string | null) => /capabilities\.xml(\?|$)/i.test(url) || /atom/i.test(protocol ?? '');

export const r17: Rule = {
  id: 'R17',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  title: 'INSPIRE service links its capabilities',
  description:
    'INSPIRE service record: a `transferOptions` linkage is a GetCapabilities request of the service (`REQUEST=GetCapabilities`; a RESTful capabilities document or an Atom service feed also counts).',
  source: 'GDI-DE note on INSPIRE TG Req 3.7 (https://wiki.gdi-de.org/x/N4CwL) [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      if (!r.service || !claimsInspire(r)) return null;
      if (r.onlineResources.some((o) => isGetCapabilitiesUrl(o.url) || capabilitiesAlike(o.url, o.protocol))) return null;
      return {
        message: `INSPIRE service ${label(r)} has no GetCapabilities request among its transferOptions (${r.onlineResources.map((o) => o.url).join(', ') || 'no online resource'}).`,
        evidence: { linkages: r.onlineResources.map((o) => ({ url: o.url, protocol: o.protocol })) },
      };
    }),
};
