import type { FindingDraft, Rule } from '../types';
import { certificatesOf } from './dvdv-common';

const DAY = 86_400_000;
export const EXPIRY_WARNING_DAYS = 30;

export const d5: Rule = {
  id: 'D-5',
  severity: 'error',
  scope: 'record',
  upstream: 'dvdv',
  title: 'Routing certificates valid',
  description: 'No certificate used for routing is expired or has `revocationDate`/`revocationReason`; a warning if it expires within 30 days.',
  source: 'BSI TR-03170 §2.8.1, TR-03132 [published]; 30 days [adopted]',
  check: ({ input }) => {
    if (!input.dvdv) return { notEvaluated: 'DVDV not collected' };
    const now = Date.parse(input.asOf);
    const out: FindingDraft[] = [];
    for (const [fp, { cert, usedBy, ars }] of certificatesOf(input.dvdv)) {
      const name = cert.subject?.commonName ?? fp;
      const validTo = cert.validTo ? Date.parse(cert.validTo) : NaN;
      const evidence = { fingerprint: fp, subject: name, validTo: cert.validTo, revocationDate: cert.revocationDate, revocationReason: cert.revocationReason, usedBy, asOf: input.asOf };
      if (cert.revocationDate || cert.revocationReason) out.push({ subject: fp, message: `Certificate "${name}" was revoked${cert.revocationReason ? ` (${cert.revocationReason})` : ''} but is still used for routing.`, evidence, ars });
      else if (validTo < now) out.push({ subject: fp, message: `Certificate "${name}" expired on ${cert.validTo!.slice(0, 10)}.`, evidence, ars });
      else if (validTo - now < EXPIRY_WARNING_DAYS * DAY) out.push({ subject: fp, severity: 'warning', message: `Certificate "${name}" expires within ${EXPIRY_WARNING_DAYS} days (${cert.validTo!.slice(0, 10)}).`, evidence, ars });
    }
    return out;
  },
};
