import type { XmlElement } from '../../upstreams/runtime/xml';

/**
 * Service provider and contact of OGC capabilities: OWS Common `ows:ServiceProvider` (CSW 2.0.2,
 * WFS 1.1.0/2.0.0; OWS 1.0 and 1.1 have the same structure) and WMS `Service/ContactInformation`
 * (WMS 1.1.1 and 1.3.0), read into one shape. Elements are matched by local name within the document's
 * OWS/WMS namespace, so the namespace version does not matter.
 */

const XLINK = 'http://www.w3.org/1999/xlink';

export interface OgcContact {
  individualName: string | null;
  positionName: string | null;
  organisationName: string | null;
  phone: string | null;
  fax: string | null;
  email: string | null;
  deliveryPoint: string | null;
  city: string | null;
  administrativeArea: string | null;
  postalCode: string | null;
  country: string | null;
  onlineResource: string | null;
  hoursOfService: string | null;
  instructions: string | null;
  role: string | null;
}

export interface OgcServiceProvider {
  name: string | null;
  site: string | null;
  contact: OgcContact | null;
}

const t = (el: XmlElement | undefined, ...path: string[]): string | null => {
  let cur = el;
  for (const p of path) cur = cur?.child(cur.ns, p) ?? cur?.child('*', p);
  return cur?.text() || null;
};

const empty = (c: OgcContact) => Object.values(c).every((v) => v === null);

/** ows:ServiceProvider (any OWS version), or null when absent. */
export function readOwsServiceProvider(sp: XmlElement | undefined): OgcServiceProvider | null {
  if (!sp) return null;
  const sc = sp.child('*', 'ServiceContact');
  const info = sc?.child('*', 'ContactInfo');
  const contact: OgcContact = {
    individualName: t(sc, 'IndividualName'),
    positionName: t(sc, 'PositionName'),
    organisationName: t(sp, 'ProviderName'),
    phone: t(info, 'Phone', 'Voice'),
    fax: t(info, 'Phone', 'Facsimile'),
    email: t(info, 'Address', 'ElectronicMailAddress'),
    deliveryPoint: t(info, 'Address', 'DeliveryPoint'),
    city: t(info, 'Address', 'City'),
    administrativeArea: t(info, 'Address', 'AdministrativeArea'),
    postalCode: t(info, 'Address', 'PostalCode'),
    country: t(info, 'Address', 'Country'),
    onlineResource: info?.child('*', 'OnlineResource')?.attr('href', XLINK)?.trim() || null,
    hoursOfService: t(info, 'HoursOfService'),
    instructions: t(info, 'ContactInstructions'),
    role: t(sc, 'Role'),
  };
  return {
    name: t(sp, 'ProviderName'),
    site: sp.child('*', 'ProviderSite')?.attr('href', XLINK)?.trim() || null,
    contact: empty(contact) ? null : contact,
  };
}

/** WMS Service/ContactInformation (1.1.1 and 1.3.0), or null when absent. */
export function readWmsContact(service: XmlElement | undefined): OgcServiceProvider | null {
  const ci = service?.child(service.ns, 'ContactInformation');
  if (!ci) return null;
  const person = ci.child(ci.ns, 'ContactPersonPrimary');
  const addr = ci.child(ci.ns, 'ContactAddress');
  const contact: OgcContact = {
    individualName: t(person, 'ContactPerson'),
    positionName: t(ci, 'ContactPosition'),
    organisationName: t(person, 'ContactOrganization'),
    phone: t(ci, 'ContactVoiceTelephone'),
    fax: t(ci, 'ContactFacsimileTelephone'),
    email: t(ci, 'ContactElectronicMailAddress'),
    deliveryPoint: t(addr, 'Address'),
    city: t(addr, 'City'),
    administrativeArea: t(addr, 'StateOrProvince'),
    postalCode: t(addr, 'PostCode'),
    country: t(addr, 'Country'),
    onlineResource: null,
    hoursOfService: null,
    instructions: null,
    role: null,
  };
  return { name: contact.organisationName, site: service?.child(service.ns, 'OnlineResource')?.attr('href', XLINK)?.trim() || null, contact: empty(contact) ? null : contact };
}
