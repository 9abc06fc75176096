import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MunicipalityPortalDocument,
  PortalOrganisationUnitDocument,
  PortalRoutesDocument,
  PortalServiceDocument,
  PortalServiceNameDocument,
  PortalServicesDocument,
} from '../../../client/generated/graphql';
import { indexWorld, type World } from '../../../src/sandbox/world';
import { htmlToText, sanitizeHtml } from '../../../src/upstreams/pvog/html';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

const ERFURT = '160510000000';
const PERSONALAUSWEIS = '99008001012000'; // verband/municipality tier
const WOHNGELD = '99107023037000'; // district tier
const SCHWERBEHINDERT = '99015007012000'; // Land tier
const UNKNOWN_KEY = '99999999999000'; // deliberately unused in the world

let gw: TestGateway;
let world: World;

/** The world's truth for (key, ars): units and roles, competent first. */
function truth(leikaKey: string, ars: string) {
  const ix = indexWorld(world);
  return (ix.responsibilitiesByArs.get(ars) ?? [])
    .filter((r) => r.leikaKey === leikaKey)
    .sort((a, b) => a.role.localeCompare(b.role) || a.unitId.localeCompare(b.unitId))
    .map((r) => ({ unitId: r.unitId, role: r.role, inheritedFrom: r.inheritedFrom }));
}

/** A small member municipality of a Verwaltungsgemeinschaft (not the seat). */
function smallVgMember() {
  const vg = world.verbaende.find((v) => v.kind === 'VG' && v.name.includes('Dornburg'))!;
  const ix = indexWorld(world);
  const members = vg.memberArs.filter((a) => a !== vg.seatArs).map((a) => ix.municipalityByArs.get(a)!);
  return { vg, m: members.sort((a, b) => a.population - b.population)[0] };
}

beforeAll(async () => {
  gw = await startTestGateway();
  world = gw.sandboxes!.world;
}, 60_000);
afterAll(async () => gw?.stop());

describe('Erfurt (kreisfreie Stadt)', () => {
  it('describes a Leistung with sanitised text modules, fees, processing time and responsibilities from the world', async () => {
    const svc = indexWorld(world).serviceByKey.get(PERSONALAUSWEIS)!;
    const r = await gw.gql(PortalServiceDocument, { leikaKey: PERSONALAUSWEIS, ars: ERFURT });
    expect(r.errors).toBeUndefined();
    const s = r.data!.service!;
    expect(s.pvogId).toBe(svc.id);
    expect(s.name).toBe(svc.name);
    expect(s.ars).toBe(ERFURT);
    const mod = (code: string) => svc.textModules.find((t) => t.code === code)!.html;
    expect(s.shortText).toEqual({ html: mod('05'), text: htmlToText(mod('05')) });
    expect(s.requiredDocuments!.text).toContain('- ein aktuelles biometrisches Lichtbild');
    expect(s.fees).toEqual(svc.fees.map((f) => ({ description: f.description, amount: f.amountEur, currency: 'EUR' })));
    expect(s.processingTime).toEqual({
      description: svc.processingTime!.description,
      minDuration: svc.processingTime!.minDuration,
      maxDuration: svc.processingTime!.maxDuration,
      unit: svc.processingTime!.unit,
    });
    expect(s.deadlines).toEqual([svc.deadline!.description]);
    expect(s.legalReferences).toEqual(svc.legalBasis);
    expect(s.textModules!.map((t) => t.code)).toEqual(svc.textModules.map((t) => t.code));
    expect(s.responsibilities!.map((x) => ({ unitId: x.organisationUnitId, role: x.role!.code }))).toEqual(
      truth(PERSONALAUSWEIS, ERFURT).map(({ unitId, role }) => ({ unitId, role })),
    );
    expect(s.provenance.source).toBe('pvog');
    expect(s.provenance.stale).toBe(false);
  });

  it('lists every Leistung offered in Erfurt, paged by cursor', async () => {
    const expected = [...new Set(indexWorld(world).responsibilitiesByArs.get(ERFURT)!.map((r) => r.serviceId))].sort();
    const first = await gw.gql(PortalServicesDocument, { ars: ERFURT, first: 10 });
    expect(first.errors).toBeUndefined();
    expect(first.data!.services!.totalCount).toBe(expected.length);
    const second = await gw.gql(PortalServicesDocument, { ars: ERFURT, first: 100, after: first.data!.services!.pageInfo.endCursor });
    const ids = [...first.data!.services!.edges, ...second.data!.services!.edges].map((e) => e.node.pvogId);
    expect(ids).toEqual(expected);
  });

  it('routes a Leistung to the competent unit with contact, postal address and online services', async () => {
    const r = await gw.gql(PortalRoutesDocument, { leikaKey: PERSONALAUSWEIS, ars: ERFURT });
    expect(r.errors).toBeUndefined();
    const routes = r.data!.routes!;
    const t = truth(PERSONALAUSWEIS, ERFURT);
    expect(routes.map((x) => x.organisationUnit!.pvogId)).toEqual(t.map((x) => x.unitId));
    const unit = indexWorld(world).unitById.get(t[0].unitId)!;
    expect(routes[0]).toMatchObject({
      origin: 'PVOG',
      destinationName: unit.name,
      role: { code: '01', competent: true },
      contact: { phone: unit.contact.phone, email: unit.contact.email },
      address: { postalCode: unit.address.postalCode, city: unit.address.city },
    });
    expect(routes[0].postalAddress).toBe(`${unit.name}, ${unit.address.street} ${unit.address.houseNumber}, ${unit.address.postalCode} ${unit.address.city}`);
    const online = world.onlineServices.filter((o) => o.announcedIn.pvog && o.leikaKeys.includes(PERSONALAUSWEIS) && o.areas.includes(ERFURT));
    expect(routes[0].onlineServices!.map((o) => o.title).sort()).toEqual(online.map((o) => o.title).sort());
    expect(routes[0].submission.map((s) => s.kind)).toEqual([...online.map(() => 'ONLINE'), 'POSTAL', 'IN_PERSON', 'EMAIL']);
  });

  it('returns an Organisationseinheit with address, contact and opening hours', async () => {
    const unit = indexWorld(world).unitById.get(truth(WOHNGELD, ERFURT)[0].unitId)!;
    const r = await gw.gql(PortalOrganisationUnitDocument, { id: unit.id });
    expect(r.errors).toBeUndefined();
    expect(r.data!.organisationUnit).toMatchObject({
      pvogId: unit.id,
      name: unit.name,
      contact: unit.contact,
      openingHours: unit.openingHours,
      addresses: [{ street: unit.address.street, postalCode: unit.address.postalCode, ars: unit.address.ars, ags: unit.address.ags }],
    });
    const missing = await gw.gql(PortalOrganisationUnitDocument, { id: 'SBX16.OE.999999' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data!.organisationUnit).toBeNull();
  });
});

describe('small municipality in a Verwaltungsgemeinschaft', () => {
  it('gets Verband, Kreis and Land services from the VG administration, the Landratsamt and the Land (inherited)', async () => {
    const { vg, m } = smallVgMember();
    const district = world.districts.find((d) => d.ars === m.districtArs)!;
    const r = await gw.gql(MunicipalityPortalDocument, { ars: m.ars, leikaKey: PERSONALAUSWEIS });
    expect(r.errors).toBeUndefined();
    const expectedServices = new Set(indexWorld(world).responsibilitiesByArs.get(m.ars)!.map((x) => x.serviceId));
    expect(r.data!.municipality!.services!.totalCount).toBe(expectedServices.size);
    // Personalausweis is done by the VG administration for all its members.
    expect(r.data!.municipality!.responsibleUnit!.pvogId).toBe(vg.administrationUnitId);

    const wohngeld = await gw.gql(PortalRoutesDocument, { leikaKey: WOHNGELD, ars: m.ars });
    expect(wohngeld.data!.routes![0].organisationUnit!.pvogId).toBe(district.departmentUnitIds['housing-benefit']);
    expect(truth(WOHNGELD, m.ars)[0].inheritedFrom).toBe('district');
    // Inherited: every municipality of the Kreis is routed to the same unit.
    const neighbour = district.municipalityArs.find((a) => a !== m.ars && !vg.memberArs.includes(a))!;
    const other = await gw.gql(PortalRoutesDocument, { leikaKey: WOHNGELD, ars: neighbour });
    expect(other.data!.routes![0].organisationUnit!.pvogId).toBe(district.departmentUnitIds['housing-benefit']);

    const land = await gw.gql(PortalRoutesDocument, { leikaKey: SCHWERBEHINDERT, ars: m.ars });
    const erfurtLand = await gw.gql(PortalRoutesDocument, { leikaKey: SCHWERBEHINDERT, ars: ERFURT });
    expect(land.data!.routes![0].organisationUnit!.pvogId).toBe(truth(SCHWERBEHINDERT, m.ars)[0].unitId);
    expect(land.data!.routes![0].organisationUnit!.pvogId).toBe(erfurtLand.data!.routes![0].organisationUnit!.pvogId);
  });

  it('answers for a Kreis given by its 5-digit ARS with Kreis and Land services only', async () => {
    const { m } = smallVgMember();
    const r = await gw.gql(PortalServicesDocument, { ars: m.districtArs, first: 100 });
    expect(r.errors).toBeUndefined();
    const expected = world.services.filter((s) => ['federal', 'land', 'district'].includes(s.level)).map((s) => s.id).sort();
    expect(r.data!.services!.edges.map((e) => e.node.pvogId)).toEqual(expected);

    // The detail endpoint needs 12 digits: the Kreis ARS is right-padded with zeros.
    const pvog = gw.sandboxes!.servers.pvog;
    pvog.resetCounts();
    const wohngeld = await gw.gql(PortalServiceDocument, { leikaKey: WOHNGELD, ars: m.districtArs });
    expect(wohngeld.errors).toBeUndefined();
    expect(wohngeld.data!.service!.ars).toBe(m.districtArs);
    expect(wohngeld.data!.service!.shortText!.text.length).toBeGreaterThan(0);
    const detail = pvog.requests().filter((q) => q.route === 'servicedescriptions.detail');
    expect(detail.map((q) => new URLSearchParams(q.search).get('ars'))).toEqual([m.districtArs.padEnd(12, '0')]);
    const listed = pvog.requests().filter((q) => q.route === 'servicedescriptions.byLeikaIds');
    expect(listed.map((q) => new URLSearchParams(q.search).get('ars'))).toEqual([m.districtArs]); // unpadded elsewhere
  });
});

describe('semantics', () => {
  it('validDate hides a Leistung not yet valid on that day', async () => {
    const newest = [...world.services].sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
    const dayBefore = new Date(Date.parse(newest.validFrom) - 86_400_000).toISOString().slice(0, 10);
    const before = await gw.gql(PortalServiceNameDocument, { leikaKey: newest.leikaKey, ars: ERFURT, validDate: dayBefore });
    expect(before.errors).toBeUndefined();
    expect(before.data!.service).toBeNull();
    const on = await gw.gql(PortalServiceNameDocument, { leikaKey: newest.leikaKey, ars: ERFURT, validDate: newest.validFrom });
    expect(on.data!.service!.pvogId).toBe(newest.id);
    const list = await gw.gql(PortalServicesDocument, { ars: ERFURT, first: 100, validDate: dayBefore });
    expect(list.data!.services!.edges.map((e) => e.node.pvogId)).not.toContain(newest.id);
    expect(list.data!.services!.totalCount).toBe(
      new Set(indexWorld(world).responsibilitiesByArs.get(ERFURT)!.map((x) => x.serviceId)).size -
        world.services.filter((s) => s.validFrom > dayBefore).length,
    );
  });

  it('rejects a malformed validDate naming the argument', async () => {
    const r = await gw.gql(PortalServiceNameDocument, { leikaKey: PERSONALAUSWEIS, ars: ERFURT, validDate: '2026-02-30' });
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'validDate' });
  });

  it('a LeiKa key no Leistung carries is NOT_FOUND naming the argument, not an empty answer (issue 14)', async () => {
    const notFound = { code: 'NOT_FOUND', argument: 'leikaKey', key: UNKNOWN_KEY };
    const r = await gw.gql(MunicipalityPortalDocument, { ars: ERFURT, leikaKey: UNKNOWN_KEY });
    expect(r.errors?.[0].extensions).toMatchObject(notFound);
    expect(r.data!.municipality!.responsibleUnit).toBeNull();
    const s = await gw.gql(PortalServiceNameDocument, { leikaKey: UNKNOWN_KEY, ars: ERFURT });
    expect(s.errors?.[0].extensions).toMatchObject(notFound);
    expect(s.data!.service).toBeNull();
    const routes = await gw.gql(PortalRoutesDocument, { leikaKey: UNKNOWN_KEY, ars: ERFURT });
    expect(routes.errors?.[0].extensions).toMatchObject(notFound);
    expect(routes.data?.routes ?? null).toBeNull();
  });

  it('an unknown ARS is NOT_FOUND naming the key; a malformed one is rejected by the scalar', async () => {
    const r = await gw.gql(PortalRoutesDocument, { leikaKey: PERSONALAUSWEIS, ars: '160519999999' });
    expect(r.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'ars', key: '160519999999' });
    expect(r.errors![0].message).toContain('160519999999');
    const bad = await gw.raw('{ services(ars: "1234") { totalCount } }');
    expect(bad.errors![0].message).toContain('ARS');
  });

  it('a place without a competent authority (planted defect) has no responsible unit but keeps the Ansprechpunkt route', async () => {
    const defect = world.defects.find((d) => d.kind === 'missing-competent-authority')!;
    const [leikaKey, ars] = defect.subject.split('@');
    const r = await gw.gql(MunicipalityPortalDocument, { ars, leikaKey });
    expect(r.errors).toBeUndefined();
    expect(r.data!.municipality!.responsibleUnit).toBeNull();
    const routes = await gw.gql(PortalRoutesDocument, { leikaKey, ars });
    expect(routes.data!.routes!.length).toBeGreaterThan(0);
    expect(routes.data!.routes!.every((x) => x.role!.code === '02')).toBe(true);
  });

  it('neutralises the planted unsafe HTML (script element, onclick handler)', async () => {
    const script = world.defects.find((d) => d.kind === 'unsafe-html-script')!;
    const handler = world.defects.find((d) => d.kind === 'unsafe-html-handler')!;
    const raw = indexWorld(world).serviceByKey.get(script.subject)!.textModules.find((t) => t.code === '06')!.html;
    expect(raw).toMatch(/<script/i); // the defect is really there upstream
    const a = await gw.gql(PortalServiceDocument, { leikaKey: script.subject, ars: ERFURT });
    expect(a.data!.service!.fullText!.html).not.toMatch(/<script|alert|<\/?div/i);
    expect(a.data!.service!.fullText!.text).not.toMatch(/[<>]/);
    const b = await gw.gql(PortalServiceDocument, { leikaKey: handler.subject, ars: ERFURT });
    expect(indexWorld(world).serviceByKey.get(handler.subject)!.textModules.find((t) => t.code === '08')!.html).toMatch(/onclick/i);
    expect(b.data!.service!.requiredDocuments!.html).not.toMatch(/onclick/i);
    expect(b.data!.service!.textModules!.every((t) => !/on\w+=|<script/i.test(t.html))).toBe(true);
  });
});

describe('sanitizeHtml', () => {
  it('keeps the allow-list and drops code, handlers and unsafe URLs', () => {
    expect(sanitizeHtml('<p onclick="x()">Hi <b>there</b></p><script>alert(1)</script><style>p{}</style>')).toBe('<p>Hi <strong>there</strong></p>');
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a><a href=" java&#115;cript:alert(1)">y</a>')).toBe('<a>x</a><a>y</a>');
    expect(sanitizeHtml('<a href="https://example.org/?a=1&b=2" target="_blank">ok</a> <a href=\'mailto:a@example.org\'>m</a>')).toBe(
      '<a href="https://example.org/?a=1&amp;b=2">ok</a> <a href="mailto:a@example.org">m</a>',
    );
    expect(sanitizeHtml('<div><ul><li>a<li>b</ul></div><img src=x onerror=alert(1)><iframe src="https://x">t</iframe>')).toBe('<ul><li>a<li>b</li></li></ul>');
    expect(sanitizeHtml('<p>unclosed <em>text')).toBe('<p>unclosed <em>text</em></p>');
    expect(sanitizeHtml('1 < 2 > 0 <!-- <script>x</script> -->')).toBe('1 &lt; 2 &gt; 0 ');
    expect(htmlToText('<h3>Titel</h3><ul><li>eins</li><li>zwei &amp; drei</li></ul><p>Ende<br>neu</p>')).toBe('Titel\n- eins\n- zwei & drei\nEnde\nneu');
  });
});
