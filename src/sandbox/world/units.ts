import type { MunicipalityRecord } from '../../reference/municipalities';
import type { ServiceEntry } from './services';
import type { SupraAuthority } from './catalogue';
import { displayName, instantOffset, isTown, pvogId, slug } from './constants';
import type { Rng } from './prng';
import { municipalityBbox, type AdministrationModel, type RegionModel } from './regions';
import type {
  DistrictDepartment,
  OpeningHours,
  OrganisationUnit,
  RegistrationOffice,
  Responsibility,
  UnitFunction,
  UnitKind,
  WorldDistrict,
  WorldMunicipality,
  WorldVerband,
} from './types';

export const DEPARTMENTS: { key: DistrictDepartment; name: string; mailbox: string }[] = [
  { key: 'vehicle-registration', name: 'Kfz-Zulassungsbehörde', mailbox: 'zulassung' },
  { key: 'driving-licence', name: 'Fahrerlaubnisbehörde', mailbox: 'fahrerlaubnis' },
  { key: 'building-authority', name: 'Untere Bauaufsichtsbehörde', mailbox: 'bauaufsicht' },
  { key: 'housing-benefit', name: 'Wohngeldstelle', mailbox: 'wohngeld' },
  { key: 'youth-welfare', name: 'Jugendamt', mailbox: 'jugendamt' },
  { key: 'foreigners', name: 'Ausländerbehörde', mailbox: 'auslaenderbehoerde' },
];

const SUPRA: { key: SupraAuthority; kind: UnitKind; name: string; short: string; seatAgs: string; parent?: SupraAuthority; functions: UnitFunction[] }[] = [
  { key: 'tlvwa', kind: 'land', name: 'Thüringer Landesverwaltungsamt', short: 'TLVwA', seatAgs: '16055000', functions: ['land-authority'] },
  { key: 'tlbg', kind: 'land', name: 'Thüringer Landesamt für Bodenmanagement und Geoinformation', short: 'TLBG', seatAgs: '16051000', functions: ['land-authority', 'geodata-provider'] },
  { key: 'tlbv', kind: 'land', name: 'Thüringer Landesamt für Bau und Verkehr', short: 'TLBV', seatAgs: '16051000', functions: ['land-authority', 'geodata-provider'] },
  { key: 'gdi', kind: 'land', name: 'Kompetenzzentrum Geodateninfrastruktur Thüringen (GDI-Th)', short: 'GDI-Th', seatAgs: '16051000', parent: 'tlbg', functions: ['land-authority', 'geodata-provider'] },
  { key: 'hza', kind: 'federal', name: 'Hauptzollamt Erfurt', short: 'HZA Erfurt', seatAgs: '16051000', functions: ['federal-authority'] },
];

const LOCAL_STREETS = ['Marktplatz', 'Rathausplatz', 'Hauptstraße', 'Bahnhofstraße', 'Schulstraße', 'Am Anger', 'Kirchplatz', 'Lindenstraße'];
const OFFICE_STREETS = ['Bahnhofstraße', 'Lindenstraße', 'Hauptstraße', 'Am Markt', 'Parkstraße', 'Gartenstraße'];

const HOURS: Record<'town' | 'small' | 'office', OpeningHours[]> = {
  town: [
    { day: 'MO', opens: '08:00', closes: '12:00' },
    { day: 'TU', opens: '09:00', closes: '12:00' },
    { day: 'TU', opens: '13:00', closes: '18:00' },
    { day: 'TH', opens: '09:00', closes: '12:00' },
    { day: 'TH', opens: '13:00', closes: '16:00' },
    { day: 'FR', opens: '08:00', closes: '12:00' },
  ],
  small: [
    { day: 'TU', opens: '09:00', closes: '12:00' },
    { day: 'TU', opens: '14:00', closes: '18:00' },
    { day: 'TH', opens: '09:00', closes: '12:00' },
    { day: 'TH', opens: '14:00', closes: '16:00' },
  ],
  office: [
    { day: 'MO', opens: '09:00', closes: '15:00' },
    { day: 'TU', opens: '09:00', closes: '15:00' },
    { day: 'WE', opens: '09:00', closes: '15:00' },
    { day: 'TH', opens: '09:00', closes: '15:00' },
    { day: 'FR', opens: '09:00', closes: '12:00' },
  ],
};

export interface UnitsResult {
  units: OrganisationUnit[];
  municipalities: WorldMunicipality[];
  districts: WorldDistrict[];
  verbaende: WorldVerband[];
  responsibilities: Responsibility[];
  registrationOffices: RegistrationOffice[];
  supra: Record<SupraAuthority, string>;
  /** administration key (municipality or Verband ARS) → unit id */
  localUnit: Map<string, string>;
  /** unit id → administration model (local administrations only) */
  administrationOfUnit: Map<string, AdministrationModel>;
}

export function buildUnits(rng: Rng, asOf: number, regions: RegionModel, services: ServiceEntry[]): UnitsResult {
  const units: OrganisationUnit[] = [];
  const usedDomains = new Set<string>();
  let next = 1001;
  const allArs = regions.municipalities.map((m) => m.ars);

  const domain = (base: string, m: MunicipalityRecord) => {
    let d = slug(base);
    if (usedDomains.has(d)) d = `${d}-${m.ags}`;
    usedDomains.add(d);
    return d;
  };
  const phone = (m: MunicipalityRecord, n: number) => `+49 36${m.district.ars.slice(3)} 0${String(n).padStart(5, '0')}`;

  const make = (
    u: Omit<OrganisationUnit, 'id' | 'address' | 'contact' | 'languages' | 'lastUpdate' | 'seatArs' | 'districtArs'> & {
      seat: MunicipalityRecord;
      districtArs: string | null;
      streets: string[];
      domain: string;
      mailbox: string;
    },
  ): OrganisationUnit => {
    const n = rng.range(10000, 99998);
    const unit: OrganisationUnit = {
      id: pvogId('OE', next++),
      kind: u.kind,
      name: u.name,
      shortName: u.shortName,
      parentId: u.parentId,
      seatArs: u.seat.ars,
      districtArs: u.districtArs,
      address: {
        street: rng.pick(u.streets),
        houseNumber: String(rng.range(1, 40)),
        postalCode: u.seat.postalCode,
        city: displayName(u.seat.name),
        ars: u.seat.ars,
        ags: u.seat.ags,
        stateCode: '16',
        stateName: 'Thüringen',
      },
      contact: {
        phone: phone(u.seat, n),
        fax: phone(u.seat, n + 1),
        email: `${u.mailbox}@${u.domain}.example.org`,
        website: `https://www.${u.domain}.example.org`,
      },
      openingHours: u.openingHours,
      openingHoursNote: u.openingHoursNote,
      functions: u.functions,
      servedArs: u.servedArs,
      languages: ['de'],
      lastUpdate: instantOffset(asOf, -rng.range(1, 500), rng.int(86_400)),
    };
    units.push(unit);
    return unit;
  };

  // ---- Land and federal authorities
  const supra = {} as Record<SupraAuthority, string>;
  const supraDomain = {} as Record<SupraAuthority, string>;
  for (const s of SUPRA) {
    const seat = regions.municipalities.find((m) => m.ags === s.seatAgs)!;
    const parent = s.parent ? supra[s.parent] : null;
    // A sub-unit shares its parent's mail domain (mailbox named after the sub-unit).
    const parentDomain = s.parent ? supraDomain[s.parent] : null;
    supraDomain[s.key] = parentDomain ?? domain(s.short, seat);
    supra[s.key] = make({
      kind: s.kind,
      name: s.name,
      shortName: s.short,
      parentId: parent,
      seat,
      districtArs: null,
      streets: OFFICE_STREETS,
      domain: supraDomain[s.key],
      mailbox: parentDomain ? slug(s.short) : 'poststelle',
      openingHours: HOURS.office,
      openingHoursNote: 'Persönliche Vorsprache nach Terminvereinbarung.',
      functions: s.functions,
      servedArs: allArs,
    }).id;
  }

  // ---- districts (Landratsamt, or the city administration of a kreisfreie Stadt) with their departments
  const localUnit = new Map<string, string>();
  const administrationOfUnit = new Map<string, AdministrationModel>();
  const districts: WorldDistrict[] = [];
  for (const d of regions.districts) {
    const served = d.members.map((m) => m.ars);
    const seat = d.urban ? d.members[0] : [...d.members].sort((a, b) => b.population - a.population)[0];
    const cityName = displayName(seat.name);
    const dom = domain(d.urban ? `stadt-${cityName}` : `lra-${d.name}`, seat);
    const main = make({
      kind: d.urban ? 'city' : 'district',
      name: d.urban ? `Stadtverwaltung ${cityName}` : `Landratsamt ${d.name}`,
      shortName: d.urban ? null : `LRA ${d.name}`,
      parentId: null,
      seat,
      districtArs: d.ars,
      streets: d.urban ? LOCAL_STREETS : OFFICE_STREETS,
      domain: dom,
      mailbox: 'poststelle',
      openingHours: HOURS.town,
      openingHoursNote: null,
      functions: d.urban
        ? ['district-administration', 'local-administration', 'registration-office', 'passport-authority', 'id-card-authority', 'civil-registry']
        : ['district-administration'],
      servedArs: served,
    });
    if (d.urban) {
      const admin = regions.administrationOf.get(seat.ars)!;
      localUnit.set(admin.key, main.id);
      administrationOfUnit.set(main.id, admin);
    }
    const departmentUnitIds = {} as Record<DistrictDepartment, string>;
    for (const dep of DEPARTMENTS) {
      departmentUnitIds[dep.key] = make({
        kind: 'department',
        name: `${main.name} – ${dep.name}`,
        shortName: dep.name,
        parentId: main.id,
        seat,
        districtArs: d.ars,
        streets: OFFICE_STREETS,
        domain: dom,
        mailbox: dep.mailbox,
        openingHours: HOURS.town,
        openingHoursNote: dep.key === 'vehicle-registration' ? 'Nur mit Termin.' : null,
        functions: [dep.key],
        servedArs: served,
      }).id;
    }
    districts.push({
      ars: d.ars,
      name: d.name,
      urban: d.urban,
      administrationUnitId: main.id,
      departmentUnitIds,
      municipalityArs: served,
      bbox: d.bbox,
    });
  }

  // ---- local administrations of kreisangehörige municipalities, VGs and erfüllende Gemeinden
  for (const a of regions.administrations) {
    if (a.kind === 'city') continue;
    const seatName = displayName(a.seat.name);
    const town = isTown(a.seat.name);
    const name =
      a.kind === 'vg'
        ? `Verwaltungsgemeinschaft ${a.verband!.name}`
        : `${town ? 'Stadtverwaltung' : 'Gemeindeverwaltung'} ${seatName}${a.kind === 'eg' ? ' (erfüllende Gemeinde)' : ''}`;
    const dom = domain(a.kind === 'vg' ? `vg-${a.verband!.name}` : `${town ? 'stadt' : 'gemeinde'}-${seatName}`, a.seat);
    const population = a.served.reduce((s, m) => s + m.population, 0);
    const unit = make({
      kind: a.kind,
      name,
      shortName: a.kind === 'vg' ? `VG ${a.verband!.name}` : null,
      parentId: null,
      seat: a.seat,
      districtArs: a.districtArs,
      streets: LOCAL_STREETS,
      domain: dom,
      mailbox: 'buergerbuero',
      openingHours: population >= 8000 ? HOURS.town : HOURS.small,
      openingHoursNote: population >= 8000 ? null : 'Außerhalb der Sprechzeiten nach Vereinbarung.',
      functions: ['local-administration', 'registration-office', 'passport-authority', 'id-card-authority', 'civil-registry'],
      servedArs: a.served.map((m) => m.ars),
    });
    localUnit.set(a.key, unit.id);
    administrationOfUnit.set(unit.id, a);
  }

  const localUnitOf = (m: MunicipalityRecord) => localUnit.get(regions.administrationOf.get(m.ars)!.key)!;
  const districtByArs = new Map(districts.map((d) => [d.ars, d]));

  const municipalities: WorldMunicipality[] = regions.municipalities.map((m) => ({
    ars: m.ars,
    ags: m.ags,
    name: m.name,
    districtArs: m.district.ars,
    verbandArs: m.verband?.ars ?? null,
    population: m.population,
    areaKm2: m.areaKm2,
    postalCode: m.postalCode,
    lat: m.lat,
    lon: m.lon,
    bbox: municipalityBbox(m),
    localAdministrationUnitId: localUnitOf(m),
    registrationOfficeUnitId: localUnitOf(m),
  }));

  const verbaende: WorldVerband[] = regions.verbaende.map((v) => ({
    ars: v.ars,
    name: v.name,
    kind: v.kind,
    seatArs: v.seat.ars,
    memberArs: v.members.map((m) => m.ars),
    administrationUnitId: localUnit.get(v.ars)!,
  }));

  // ---- responsibilities, expanded to every municipality the service covers
  const responsibilities: Responsibility[] = [];
  let zs = 1;
  for (const { service, profile } of services) {
    for (const m of regions.municipalities) {
      if (profile.minPopulation && m.population < profile.minPopulation) continue;
      const add = (unitId: string, role: '01' | '02') =>
        responsibilities.push({
          id: pvogId('ZS', zs++),
          leikaKey: service.leikaKey,
          serviceId: service.id,
          unitId,
          areaArs: m.ars,
          role,
          inheritedFrom: service.level,
        });
      const local = localUnitOf(m);
      switch (service.level) {
        case 'verband':
        case 'municipality':
          add(local, '01');
          break;
        case 'district': {
          const dep = districtByArs.get(m.district.ars)!.departmentUnitIds[profile.department!];
          add(dep, '01');
          if (profile.localContactPoint && !m.district.urban) add(local, '02');
          break;
        }
        case 'land':
        case 'federal':
          add(supra[profile.authority!], '01');
          if (profile.localContactPoint) add(local, '02');
          break;
      }
    }
  }

  const registrationOffices: RegistrationOffice[] = regions.administrations.map((a) => ({
    unitId: localUnit.get(a.key)!,
    servedArs: a.served.map((m) => m.ars),
    ewaOnlineServiceId: null,
  }));

  return { units, municipalities, districts, verbaende, responsibilities, registrationOffices, supra, localUnit, administrationOfUnit };
}
