import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Directive, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { categoryForPrefix, dvdvDirectoryFor } from '../../services/dvdv';
import type { ServiceDto, ServiceElementDto, OrganizationDto } from '../../upstreams/dvdv/mapper/directory';
import { certificateStatus, daysUntilExpiry, type CertificateDto } from '../../upstreams/dvdv/mapper/certificates';
import type { ProvenanceInfo } from '../../upstreams/runtime/source';
import type { GatewayContext } from '../context';
import { BadInputError } from '../errors';
import { DvdvOrganizationKeyScalar } from '../scalars/keys';
import {
  CertificateStatus,
  DirectoryCertificate,
  DirectoryOrganization,
  DirectoryService,
  DirectoryServiceElement,
  OsciRoute,
} from '../types/dvdv';
import type { Provenance } from '../types/provenance';
import { PRIVATE } from '../directives';

const date = (s: string | null) => (s ? new Date(s) : null);
const provenance = (p: ProvenanceInfo): Provenance => ({ source: p.source, fetchedAt: p.fetchedAt, stale: p.stale });

export function toCertificate(c: CertificateDto | null, now = Date.now()): DirectoryCertificate | null {
  if (!c) return null;
  const status = certificateStatus(c, now) as CertificateStatus;
  return {
    fingerprint: c.fingerprint,
    serialNumber: c.serial,
    serialHex: c.serialHex,
    algorithm: c.algorithm,
    subject: c.subject,
    issuer: c.issuer,
    validFrom: date(c.validFrom),
    validTo: date(c.validTo),
    keyUsage: c.keyUsage,
    revocationDate: date(c.revocationDate),
    revocationReason: c.revocationReason,
    status,
    expired: status === CertificateStatus.EXPIRED,
    expiringSoon: status === CertificateStatus.EXPIRING_SOON,
    revoked: status === CertificateStatus.REVOKED,
    daysUntilExpiry: daysUntilExpiry(c, now),
    parsedFromContent: c.parsedFromContent,
    fingerprintMatchesContent: c.fingerprintMatchesContent,
    contentBase64: c.contentBase64,
  };
}

const isValidNow = (s: { validFrom: string | null; validTo: string | null }, now = Date.now()) =>
  (!s.validFrom || Date.parse(s.validFrom) <= now) && (!s.validTo || Date.parse(s.validTo) > now);

export function toService(s: ServiceDto | OrganizationDto['services'][number], organizationKey: string): DirectoryService {
  return {
    organizationKey,
    specificationUri: s.specificationUri,
    descriptionName: s.descriptionName,
    name: s.name,
    specificationType: s.specificationType,
    validFrom: date(s.validFrom),
    validTo: date(s.validTo),
    currentlyValid: isValidNow(s),
  };
}

export function toOrganization(o: OrganizationDto, key: string, p: ProvenanceInfo): DirectoryOrganization {
  return {
    id: String(o.id ?? ''),
    key,
    keys: o.keys,
    name: o.name,
    category: o.category,
    description: o.description,
    address: o.postalAddress,
    stateId: o.locationStateId,
    validFrom: date(o.validFrom),
    validTo: date(o.validTo),
    services: o.services.map((s) => toService(s, key)),
    clientCertificates: o.clientCertificates.map((c) => toCertificate(c)!),
    provenance: provenance(p),
  };
}

function toElement(e: ServiceElementDto): DirectoryServiceElement {
  return {
    type: e.type,
    customType: e.customType,
    name: e.name,
    descriptionName: e.descriptionName,
    description: e.description,
    uri: e.uri,
    text: e.text,
    required: e.required,
    providerName: e.providerName,
    cipherCertificate: toCertificate(e.cipherCertificate),
    signatureCertificate: toCertificate(e.signatureCertificate),
  };
}

/**
 * OSCI routes of a service, one per network variant. Elements are matched by description name
 * (`<Variant>Intermediär` ↔ `<Variant>Empfänger`), never first-of-type (TR-03132 §5.3.3); a missing inline
 * content cipher certificate is taken from the CIPHER_CERTIFICATE element with the addressee's description name.
 */
export function osciRoutes(s: ServiceDto, organizationKey: string, p: ProvenanceInfo): OsciRoute[] {
  const variantOf = (name: string | null, suffix: string) => (name && name.endsWith(suffix) ? name.slice(0, -suffix.length) : null);
  const intermediaries = s.elements.filter((e) => e.type === 'OSCI_INTERMEDIARY');
  return intermediaries.map((im) => {
    const variant = variantOf(im.descriptionName, 'Intermediär') ?? im.descriptionName ?? '';
    const addressee = s.elements.find((e) => e.type === 'OSCI_ADDRESSEE' && variantOf(e.descriptionName, 'Empfänger') === variant) ?? null;
    const cipher =
      addressee?.cipherCertificate ??
      s.elements.find((e) => e.type === 'CIPHER_CERTIFICATE' && addressee && e.descriptionName === addressee.descriptionName)?.cipherCertificate ??
      null;
    return {
      organizationKey,
      serviceUri: s.specificationUri,
      variant,
      intermediaryUrl: im.uri,
      intermediaryCipherCertificate: toCertificate(im.cipherCertificate),
      intermediarySignatureCertificate: toCertificate(im.signatureCertificate),
      addresseeUri: addressee?.uri ?? null,
      cipherCertificate: toCertificate(cipher),
      provenance: provenance(p),
    };
  });
}

const serviceUriArg = (uri: string) => {
  if (uri.length < 9 || uri.length > 1000 || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(uri)) {
    throw new BadInputError('serviceUri', 'a service specification URI (WSDL targetNamespace, 9–1000 characters), e.g. "http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl"', uri);
  }
  return uri;
};

/** Null for "no valid service"; a 204 with warning becomes an error entry carrying the directory's warning. */
async function serviceOf(ctx: GatewayContext, organizationKey: string, serviceUri: string) {
  const r = await ctx.loaders.dvdv.service.load({ organizationKey, serviceUri: serviceUriArg(serviceUri) });
  if (!r.value.service && r.value.warning) {
    throw new GraphQLError('DVDV lists this service for the organisation, but no currently valid version', {
      extensions: { code: 'DVDV_SERVICE_NOT_VALID', warning: r.value.warning, upstream: 'dvdv' },
    });
  }
  return r;
}

@Resolver(() => DirectoryOrganization)
export class DvdvQueryResolver {
  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => DirectoryOrganization, {
    nullable: true,
    description: 'DVDV organisation by key (findauthoritydescription). Without `category` the category of the key prefix (ags → Meldebehörde, …) is used. Integrator role.',
  })
  async directoryOrganization(
    @Ctx() ctx: GatewayContext,
    @Arg('key', () => DvdvOrganizationKeyScalar) key: string,
    @Arg('category', () => String, { nullable: true, description: 'Behördenkategorie, e.g. "Meldebehörde".' }) category?: string,
  ): Promise<DirectoryOrganization | null> {
    let cat = category;
    if (!cat) {
      const tree = await dvdvDirectoryFor(ctx.services).categories(ctx);
      cat = categoryForPrefix(tree.value, key.slice(0, key.indexOf(':')));
      if (!cat) throw new BadInputError('category', `a Behördenkategorie: the prefix of "${key}" names none, so give it explicitly`);
    }
    const r = await ctx.loaders.dvdv.authority.load({ organizationKey: key, category: cat });
    return r.value ? toOrganization(r.value, key, r.provenance) : null;
  }

  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => [DirectoryOrganization], { nullable: true, description: 'Every DVDV organisation carrying the key, in any category (findauthoritydescriptions). Integrator role.' })
  async directoryOrganizations(@Ctx() ctx: GatewayContext, @Arg('key', () => DvdvOrganizationKeyScalar) key: string): Promise<DirectoryOrganization[]> {
    const r = await dvdvDirectoryFor(ctx.services).findAuthorities(key, ctx);
    return r.value.map((o) => toOrganization(o, key, r.provenance));
  }

  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => DirectoryService, {
    nullable: true,
    description: 'The currently valid service of an organisation (findservicedescription). Null when none; when only an invalid one exists, null plus an error DVDV_SERVICE_NOT_VALID with the directory warning. Integrator role.',
  })
  async directoryService(
    @Ctx() ctx: GatewayContext,
    @Arg('organizationKey', () => DvdvOrganizationKeyScalar) organizationKey: string,
    @Arg('serviceUri', () => String) serviceUri: string,
  ): Promise<DirectoryService | null> {
    const r = await serviceOf(ctx, organizationKey, serviceUri);
    return r.value.service ? toService(r.value.service, organizationKey) : null;
  }

  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => OsciRoute, {
    nullable: true,
    description: 'OSCI route (intermediary + addressee + content cipher certificate) for an organisation and service, in the given network variant. Integrator role.',
  })
  async directoryRoute(
    @Ctx() ctx: GatewayContext,
    @Arg('organizationKey', () => DvdvOrganizationKeyScalar) organizationKey: string,
    @Arg('serviceUri', () => String) serviceUri: string,
    @Arg('variant', () => String, { defaultValue: 'Internet', description: 'Network variant, e.g. "Internet" or "TESTA".' }) variant: string,
  ): Promise<OsciRoute | null> {
    const r = await serviceOf(ctx, organizationKey, serviceUri);
    if (!r.value.service) return null;
    return osciRoutes(r.value.service, organizationKey, r.provenance).find((x) => x.variant === variant) ?? null;
  }

  @Authorized('integrator')
  @Directive(PRIVATE)
  @Query(() => [OsciRoute], { nullable: true, description: 'All OSCI routes (one per network variant) for an organisation and service. Integrator role.' })
  async directoryRoutes(
    @Ctx() ctx: GatewayContext,
    @Arg('organizationKey', () => DvdvOrganizationKeyScalar) organizationKey: string,
    @Arg('serviceUri', () => String) serviceUri: string,
  ): Promise<OsciRoute[]> {
    const r = await serviceOf(ctx, organizationKey, serviceUri);
    return r.value.service ? osciRoutes(r.value.service, organizationKey, r.provenance) : [];
  }
}

@Resolver(() => DirectoryService)
export class DirectoryServiceResolver {
  @Authorized('integrator')
  @FieldResolver(() => [DirectoryServiceElement], {
    nullable: true,
    description: 'Dienstelemente of the currently valid version (findservicedescription, batched); null when this version is not the valid one.',
  })
  async elements(@Root() s: DirectoryService, @Ctx() ctx: GatewayContext): Promise<DirectoryServiceElement[] | null> {
    const r = await ctx.loaders.dvdv.service.load({ organizationKey: s.organizationKey, serviceUri: s.specificationUri });
    const svc = r.value.service;
    if (!svc || (s.validFrom && svc.validFrom && Date.parse(svc.validFrom) !== s.validFrom.getTime())) return null;
    return svc.elements.map(toElement);
  }

  @Authorized('integrator')
  @FieldResolver(() => [OsciRoute], { nullable: true, description: 'OSCI routes of the currently valid version, one per network variant.' })
  async routes(@Root() s: DirectoryService, @Ctx() ctx: GatewayContext): Promise<OsciRoute[] | null> {
    const r = await ctx.loaders.dvdv.service.load({ organizationKey: s.organizationKey, serviceUri: s.specificationUri });
    return r.value.service ? osciRoutes(r.value.service, s.organizationKey, r.provenance) : null;
  }
}
