import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

/** INSPIRE SpatialDataServiceType code list (TG MD 2.0 Annex D / registry `metadata-codelist/SpatialDataServiceType`). */
export const SPATIAL_DATA_SERVICE_TYPES = ['discovery', 'view', 'download', 'transformation', 'invoke', 'other'];
const COUPLING_TYPES = ['loose', 'mixed', 'tight'];

export const r11: Rule = {
  id: 'R11',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Service type, coupling type and coupled resources',
  description:
    'Service (`SV_ServiceIdentification`): exactly one `srv:serviceType/gco:LocalName` from the INSPIRE SpatialDataServiceType list (view, download, discovery, transformation, invoke, other); a `couplingType`; view and download services have at least one `srv:operatesOn` with an HTTP(S) `@xlink:href`.',
  source: 'INSPIRE ETS metadata 2.0, 3.5, 4.1, 3.6 [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      const svc = r.service;
      if (!svc) return null; // not described as a service (R3 reports a service hierarchyLevel without SV_ServiceIdentification)
      const types = r.serviceTypes ?? (svc.serviceType ? [svc.serviceType] : []);
      const problems = [
        ...(types.length !== 1 ? [`${types.length} serviceType values (${types.join(', ') || 'none'}), exactly one required`] : []),
        ...(types.length === 1 && !SPATIAL_DATA_SERVICE_TYPES.includes(types[0]) ? [`serviceType "${types[0]}" is not an INSPIRE SpatialDataServiceType`] : []),
        ...(!svc.couplingType || !COUPLING_TYPES.includes(svc.couplingType) ? [`couplingType ${JSON.stringify(svc.couplingType)} is not loose, mixed or tight`] : []),
        ...((types[0] === 'view' || types[0] === 'download') && !svc.operatesOn.some((o) => /^https?:\/\/\S+$/i.test(o.href ?? ''))
          ? [`no operatesOn with an http(s) xlink:href (${svc.operatesOn.length} operatesOn)`]
          : []),
      ];
      return problems.length > 0 && {
        message: `Service record ${label(r)}: ${problems.join('; ')}.`,
        evidence: { serviceTypes: types, couplingType: svc.couplingType, operatesOn: svc.operatesOn },
      };
    }),
};
