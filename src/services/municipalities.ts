import { arsLevel, isArs } from '../reference/municipalities';
import { REFERENCE_AS_OF, REFERENCE_SOURCE, type MunicipalityDirectory, type MunicipalityRecord } from '../reference/municipalities';
import { BadInputError, NotFoundError } from '../schema/errors';
import type { Municipality, MunicipalityFilter } from '../schema/types/municipality';

const provenance = { source: 'destatis-gv-isys', fetchedAt: REFERENCE_AS_OF, stale: false, attribution: `Quelle: ${REFERENCE_SOURCE}` };

export function toMunicipality(m: MunicipalityRecord): Municipality {
  return {
    ars: m.ars,
    ags: m.ags,
    name: m.name,
    district: m.district,
    verband: m.verband,
    population: m.population,
    areaKm2: m.areaKm2,
    postalCode: m.postalCode,
    location: { lat: m.lat, lon: m.lon },
    provenance,
  };
}

// German names sort and match without regard to case; "ß"/umlauts are kept as written.
const fold = (s: string): string => s.normalize('NFC').toLocaleLowerCase('de-DE');

export class MunicipalityService {
  constructor(private readonly directory: MunicipalityDirectory) {}

  /** Exactly one of ars (12 digits) or ags (8 digits); an unknown key is a NOT_FOUND error naming it. */
  find(args: { ars?: string | null; ags?: string | null }): Municipality {
    const { ars, ags } = args;
    if ((ars == null) === (ags == null)) throw new BadInputError('ars', 'exactly one of the arguments ars or ags');
    if (ars != null) {
      if (arsLevel(ars) !== 'gemeinde') throw new BadInputError('ars', 'the 12-digit ARS of a municipality (Gemeinde), e.g. "160510000000"', ars);
      const m = this.directory.getByArs(ars);
      if (!m) throw new NotFoundError('municipality in Thüringen', 'ars', ars);
      return toMunicipality(m);
    }
    if (ags!.length !== 8) throw new BadInputError('ags', 'the 8-digit AGS of a municipality (Gemeinde), e.g. "16051000"', ags);
    const m = this.directory.getByAgs(ags!);
    if (!m) throw new NotFoundError('municipality in Thüringen', 'ags', ags!);
    return toMunicipality(m);
  }

  /** An ARS of any level that covers at least one municipality of the register; else BAD_USER_INPUT/NOT_FOUND naming `argument`. */
  checkArea(ars: string, argument = 'ars'): string {
    if (!isArs(ars)) throw new BadInputError(argument, 'an ARS of 2, 3, 5, 9 or 12 digits, e.g. "160510000000"', ars);
    if (!this.directory.getByArs(ars) && !this.directory.all.some((m) => m.ars.startsWith(ars))) throw new NotFoundError('area in Thüringen', argument, ars);
    return ars;
  }

  list(filter: MunicipalityFilter | null | undefined): MunicipalityRecord[] {
    const f = filter ?? {};
    if (f.district != null && f.district.length !== 5) throw new BadInputError('filter.district', 'the 5-digit ARS of a Kreis, e.g. "16072"', f.district);
    // A well-formed key of no Thuringian district would otherwise filter everything away: totalCount 0, no hint why.
    if (f.district != null && !this.directory.all.some((m) => m.district.ars === f.district)) {
      const keys = this.directory.districts().map((d) => d.ars).sort();
      throw new BadInputError('filter.district', `the 5-digit ARS of one of the ${keys.length} Thuringian districts (Landkreise and kreisfreie Städte, ${keys[0]} to ${keys[keys.length - 1]}), e.g. "16072"`, f.district);
    }
    if (f.verband != null && f.verband.length !== 9) throw new BadInputError('filter.verband', 'the 9-digit ARS of a Gemeindeverband, e.g. "160615001"', f.verband);
    if (f.verband != null && !this.directory.all.some((m) => m.verband?.ars === f.verband)) {
      throw new BadInputError('filter.verband', 'the 9-digit ARS of a Thuringian Gemeindeverband (Verwaltungsgemeinschaft or erfüllende Gemeinde), e.g. "160615001"', f.verband);
    }
    const prefix = f.namePrefix != null ? fold(f.namePrefix.trim()) : undefined;
    if (prefix === '') throw new BadInputError('filter.namePrefix', 'at least one non-blank character', f.namePrefix);
    return this.directory.all.filter(
      (m) =>
        (f.district == null || m.district.ars === f.district) &&
        (f.verband == null || m.verband?.ars === f.verband) &&
        (prefix === undefined || fold(m.name).startsWith(prefix)),
    );
  }
}
