import type { Rule } from '../types';

export const d3: Rule = {
  id: 'D-3',
  severity: 'error',
  scope: 'record',
  upstream: 'dvdv',
  title: 'A currently valid service',
  description: '`findservicedescription(key, serviceSpecificationUri)` → 200 with a currently valid Service; 204 with `dvdv-warning-msg` → warning "entry exists but not valid".',
  source: 'DVDV specification [published]',
  check: ({ input }) => {
    if (!input.dvdv) return { notEvaluated: 'DVDV not collected' };
    const arsOf = new Map(input.dvdv.authorities.flatMap((a) => (a.organization?.keys ?? []).map((k) => [k, a.ars[0]] as const)));
    return input.dvdv.services
      .filter((s) => !s.service)
      .map((s) => ({
        subject: s.organizationKey,
        severity: s.warning ? ('warning' as const) : ('error' as const),
        message: s.warning ? `Service ${s.serviceUri} of ${s.organizationKey} exists but is not valid: ${s.warning}` : `No service ${s.serviceUri} for ${s.organizationKey}.`,
        evidence: { organizationKey: s.organizationKey, serviceUri: s.serviceUri, warning: s.warning },
        ars: arsOf.get(s.organizationKey),
      }));
  },
};
