import type { Rule } from '../types';

export const p10: Rule = {
  id: 'P-10',
  severity: 'warning',
  scope: 'municipality',
  upstream: 'pvog',
  title: 'A competent authority for every offered Leistung',
  description: 'For each (Leistung, ARS) the portal offers, at least one Organisationseinheit has `role.code = "01"` (Zuständige Stelle).',
  source: 'Suchdienst `/v2/organisationunits/titles` [third-party endpoint]; rule [adopted]',
  check: ({ input }) =>
    input.pvog.unitsByService
      .filter((x) => x.leikaKey && !x.units.some((u) => u.role?.code === '01'))
      .map((x) => ({
        subject: `${x.leikaKey}@${x.ars}`,
        message: `Leistung ${x.leikaKey} is offered in ${x.ars} but no Organisationseinheit there has role 01 (Zuständige Stelle).`,
        evidence: { leistungId: x.lbId, units: x.units.map((u) => ({ id: u.id, role: u.role?.code ?? null })) },
        ars: x.ars,
      })),
};
