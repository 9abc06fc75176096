import { isLeikaKey } from '../../reference/leika';
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../util/csv';
import { dataPath } from '../../util/paths';
import { SERVICE_PROFILES, type ServiceProfile } from './catalogue';
import {
  SANDBOX_LEIKA_PREFIX,
  SANDBOX_NAME_PREFIX,
  SANDBOX_ORIGINS,
  dayOffset,
  instantOffset,
  pvogId,
  slug,
} from './constants';
import type { Rng } from './prng';
import type { TextModule, TextModuleCode, WorldService } from './types';

export interface LeikaSeenRow {
  key: string;
  name: string;
}

let leikaCache: LeikaSeenRow[] | undefined;

/** The real LeiKa keys shipped in data/leika-seen.csv (read once per process). */
export function leikaSeen(): LeikaSeenRow[] {
  leikaCache ??= parseCsv(readFileSync(dataPath('leika-seen.csv'), 'utf8')).map((r) => {
    if (!isLeikaKey(r.leika_key)) throw new Error(`data/leika-seen.csv: malformed LeiKa key ${r.leika_key}`);
    if (r.leika_key.startsWith(SANDBOX_LEIKA_PREFIX)) {
      throw new Error(`data/leika-seen.csv: key ${r.leika_key} lies in the reserved sandbox range`);
    }
    return { key: r.leika_key, name: r.name };
  });
  return leikaCache;
}

export const sandboxLeikaKey = (n: number): string => `${SANDBOX_LEIKA_PREFIX}${String(n).padStart(3, '0')}001000`;

/** Fallback for a real key added to the CSV without a profile: a Land-level description with generic text. */
function genericProfile(row: LeikaSeenRow): ServiceProfile {
  return {
    key: row.key,
    level: 'land',
    authority: 'tlvwa',
    topic: 'Allgemein',
    short: `${row.name}.`,
    full: `Allgemeine Beschreibung der Leistung „${row.name}“ in der Sandbox.`,
    documents: ['Personalausweis oder Reisepass'],
    prerequisites: [],
    procedure: ['Antrag stellen', 'Bescheid erhalten'],
    fees: [{ description: 'nach Gebührenordnung', amountEur: null }],
    deadline: null,
    processing: null,
    legal: [],
    forms: [],
    written: false,
  };
}

export interface ServiceEntry {
  service: WorldService;
  profile: ServiceProfile;
}

const list = (items: string[]) => (items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '<p>Keine.</p>');

function textModules(p: ServiceProfile, name: string, key: string): TextModule[] {
  const s = slug(name);
  const m = (code: TextModuleCode, kind: string, html: string): TextModule => ({ code, kind, html });
  const out: TextModule[] = [
    m('02', 'leistungsbezeichnung', name),
    m('03', 'leistungsname', name),
    m('05', 'kurztext', `<p>${p.short}</p>`),
    m('06', 'volltext', `<p>${p.full}</p>`),
    m('07', 'handlungsgrundlagen', list(p.legal)),
    m('08', 'unterlagen', list(p.documents)),
    m('09', 'voraussetzungen', list(p.prerequisites)),
    m('11', 'verfahrensablauf', p.procedure.length ? `<ol>${p.procedure.map((i) => `<li>${i}</li>`).join('')}</ol>` : '<p>—</p>'),
  ];
  if (p.forms.length) {
    out.push(
      m('14', 'formulare', `<ul>${p.forms.map((f) => `<li><a href="${formUrl(s, f)}">${f}</a></li>`).join('')}</ul>`),
    );
  }
  out.push(
    m(
      '15',
      'weiterfuehrende_informationen',
      `<p>Weitere Informationen: <a href="${SANDBOX_ORIGINS.pvog}/leistung/${key}">Leistungsbeschreibung (Sandbox)</a></p>`,
    ),
    m('18', 'urheber', '<p>Sandbox-Beispieltext (thuegate) – keine amtliche Auskunft.</p>'),
  );
  return out;
}

const formUrl = (serviceSlug: string, title: string) => `${SANDBOX_ORIGINS.formulare}/${serviceSlug}/${slug(title)}.pdf`;

export function buildServices(rng: Rng, asOf: number): ServiceEntry[] {
  const profilesByKey = new Map(SERVICE_PROFILES.filter((p) => p.key).map((p) => [p.key!, p]));
  const entries: { key: string; name: string; sandbox: boolean; profile: ServiceProfile }[] = [];
  for (const row of leikaSeen()) {
    entries.push({ key: row.key, name: row.name, sandbox: false, profile: profilesByKey.get(row.key) ?? genericProfile(row) });
  }
  for (const p of SERVICE_PROFILES) {
    if (p.sandboxNo === undefined) continue;
    if (!p.name) throw new Error(`sandbox service profile ${p.sandboxNo} has no name`);
    entries.push({ key: sandboxLeikaKey(p.sandboxNo), name: `${SANDBOX_NAME_PREFIX} ${p.name}`, sandbox: true, profile: p });
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : 1));

  return entries.map((e, i) => {
    const p = e.profile;
    const approvedDaysAgo = rng.range(60, 900);
    const service: WorldService = {
      id: pvogId('LB', 1001 + i),
      leikaKey: e.key,
      sandboxKey: e.sandbox,
      name: e.name,
      level: p.level,
      topic: p.topic,
      textModules: textModules(p, e.name, e.key),
      fees: p.fees.map((f) => ({ ...f })),
      deadline: p.deadline ? { description: p.deadline } : null,
      processingTime: p.processing
        ? { minDuration: p.processing[0], maxDuration: p.processing[1], unit: p.processing[2], description: p.processing[3] }
        : null,
      legalBasis: [...p.legal],
      forms: p.forms.map((title) => ({ title, url: formUrl(slug(e.name), title) })),
      writtenFormRequired: p.written,
      dvdvRequirement: p.dvdv ? { ...p.dvdv } : null,
      validFrom: dayOffset(asOf, -approvedDaysAgo - rng.range(0, 30)),
      lastUpdate: instantOffset(asOf, -rng.range(1, approvedDaysAgo), rng.int(86_400)),
      approvedOn: dayOffset(asOf, -approvedDaysAgo),
      approvedBy: 'Thüringer Landesverwaltungsamt',
    };
    return { service, profile: p };
  });
}
