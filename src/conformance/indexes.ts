import type { IsoRecord } from '../formats/iso19139/iso19139';
import type { MunicipalityRecord } from '../reference/municipalities';
import type { ConformanceInput } from './input';

/** Lookups shared by several rules, built once per run from the input. */
export interface InputIndex {
  municipalityByArs: Map<string, MunicipalityRecord>;
  municipalityByAgs: Map<string, MunicipalityRecord>;
  /** LeiKa keys the portal lists per municipality ARS. */
  offered: Map<string, Set<string>>;
  recordById: Map<string, IsoRecord>;
  /** Resource identifier code (and `codeSpace + code`) → records carrying it. */
  recordsByResourceId: Map<string, IsoRecord[]>;
}

export function buildIndex(input: ConformanceInput): InputIndex {
  const offered = new Map<string, Set<string>>();
  for (const { ars, services } of input.pvog.servicesByArs) offered.set(ars, new Set(services.map((s) => s.leikaKey).filter((k): k is string => !!k)));
  const records = input.geomis?.records ?? [];
  const recordsByResourceId = new Map<string, IsoRecord[]>();
  for (const r of records) {
    const keys = new Set(r.resourceIdentifiers.flatMap((i) => [i.code, ...(i.codeSpace ? [joinCode(i.codeSpace, i.code)] : [])]));
    for (const k of keys) recordsByResourceId.set(k, [...(recordsByResourceId.get(k) ?? []), r]);
  }
  return {
    municipalityByArs: new Map(input.municipalities.map((m) => [m.ars, m])),
    municipalityByAgs: new Map(input.municipalities.map((m) => [m.ags, m])),
    offered,
    recordById: new Map(records.map((r) => [r.fileIdentifier, r])),
    recordsByResourceId,
  };
}

/** `codeSpace` + `code` as one URI (GDI-DE: namespace ends with a slash, or one is added). */
export const joinCode = (codeSpace: string, code: string) => (codeSpace.endsWith('/') ? codeSpace + code : `${codeSpace}/${code}`);
