import type { Rule } from '../types';

const DAY = 86_400_000;
/** Maximum age of DVDV data a check may rely on (authority context). */
export const DVDV_MAX_AGE_DAYS = 2;

export const d7: Rule = {
  id: 'D-7',
  severity: 'error',
  scope: 'record',
  upstream: 'dvdv',
  title: 'DVDV data fresh',
  description: `The DVDV data the D-rules use is at most ${DVDV_MAX_AGE_DAYS} days old when the run checks it (authority context); the finding states its age. Over a harvest snapshot that is the time of its DVDV phase: a snapshot whose DVDV lookups are older fails here, so the harvest must run at least that often.`,
  source: 'BSI TR-03132 §3.4.2 [published]',
  check: ({ input }) => {
    if (!input.dvdv) return { notEvaluated: 'DVDV not collected' };
    const age = Date.parse(input.collectedAt) - Date.parse(input.dvdv.retrievedAt);
    if (!(age > DVDV_MAX_AGE_DAYS * DAY)) return [];
    const days = Math.floor((age / DAY) * 10) / 10;
    return [
      {
        subject: 'dvdv',
        message: `The DVDV data checked was read ${days} days before the run (${input.dvdv.retrievedAt}); authority data may be at most ${DVDV_MAX_AGE_DAYS} days old.`,
        evidence: { retrievedAt: input.dvdv.retrievedAt, checkedAt: input.collectedAt, ageDays: days, maxAgeDays: DVDV_MAX_AGE_DAYS, organisations: input.dvdv.authorities.filter((a) => a.organization).length },
      },
    ];
  },
};
