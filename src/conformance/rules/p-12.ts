import type { FindingDraft, Rule } from '../types';

/**
 * P-12 (docs/conformance-rules.md): what of the Bereitstelldienst feed points nowhere. PVOG deletes Zuständigkeiten
 * retroactively, so deletions of ids never written come in large numbers (docs/upstreams/portal-pvog.md §3): they are
 * one counted finding, never a failure of the harvest or of the check.
 */
export const p12: Rule = {
  id: 'P-12',
  severity: 'info',
  scope: 'record',
  upstream: 'pvog',
  title: 'Bulk feed without orphans',
  description:
    'Every Zuständigkeit of the Bereitstelldienst feed names a Leistung the feed carries and hangs under a known Organisationseinheit or Onlinedienst; `loesche` entries of ids the feed never wrote are counted.',
  source: 'XZuFi 2.2 structure, Bereitstelldienst quirks [third-party]; rule [adopted]',
  check: ({ input }) => {
    const o = input.pvog.feedOrphans;
    if (!o) return { notEvaluated: 'PVOG was not read from the Bereitstelldienst feed (PVOG_BULK_URL unset or no bulk harvest)' };
    const out: FindingDraft[] = o.responsibilities.map((r) => {
      const what = [
        r.leistungIds.length ? `names Leistung ${r.leistungIds.join(', ')}, which the feed does not carry` : null,
        r.parentId !== null || (r.embeddedIn === null && !r.leistungIds.length) ? `hangs under ${r.parentId ?? '(no parent)'}, neither an Organisationseinheit nor an Onlinedienst of the feed` : null,
      ].filter(Boolean);
      const ars = r.areaIds.length === 1 && /^16\d*$/.test(r.areaIds[0]) ? r.areaIds[0] : undefined;
      return {
        subject: r.id,
        message: `${r.embeddedIn ? `A Zuständigkeit of ${r.embeddedIn === 'onlinedienst' ? 'Onlinedienst' : 'Organisationseinheit'} ${r.id}` : `Zuständigkeit ${r.id}`} ${what.join(' and ')}.`,
        evidence: { embeddedIn: r.embeddedIn, unknownLeistungIds: r.leistungIds, unknownParentId: r.parentId, areaIds: r.areaIds },
        ...(ars ? { ars } : {}),
      };
    });
    if (o.orphanDeletes > 0) {
      out.push({
        subject: 'loesche',
        message: `The feed deletes ${o.orphanDeletes} object(s) it never wrote ("verwaiste Löschungen"): counted, no action needed.`,
        evidence: { count: o.orphanDeletes, byClass: o.orphanDeletesByClass },
      });
    }
    return out;
  },
};
