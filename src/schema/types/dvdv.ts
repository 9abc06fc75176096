import { Authorized, Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DvdvOrganizationKeyScalar } from '../scalars/keys';
import { Node } from './node';
import { Provenance } from './provenance';
import { PRIVATE } from '../directives';

/**
 * DVDV (Deutsches Verwaltungsdiensteverzeichnis) types. Everything here is infrastructure data for
 * authorised integrators (DESIGN §6, docs/upstreams/dvdv.md §7): the entry fields carry `@Authorized('integrator')`,
 * the sensitive fields carry it again, and every type is PRIVATE for the response cache.
 */
const INTEGRATOR = 'integrator';

export enum CertificateStatus {
  VALID = 'VALID',
  EXPIRING_SOON = 'EXPIRING_SOON',
  EXPIRED = 'EXPIRED',
  NOT_YET_VALID = 'NOT_YET_VALID',
  REVOKED = 'REVOKED',
}
registerEnumType(CertificateStatus, {
  name: 'CertificateStatus',
  description: 'Validity at query time: REVOKED wins (fail closed); EXPIRING_SOON = ends within 30 days.',
  valuesConfig: {
    VALID: { description: 'Valid now (gültig) and for more than 30 days.' },
    EXPIRING_SOON: { description: 'Valid now but ends within 30 days.' },
    EXPIRED: { description: 'Expired (abgelaufen): notAfter is in the past.' },
    NOT_YET_VALID: { description: 'Not yet valid: notBefore is in the future.' },
    REVOKED: { description: 'Revoked (gesperrt) according to the directory.' },
  },
});

@Directive(PRIVATE)
@ObjectType({ description: 'Distinguished name of a certificate subject or issuer.' })
export class DistinguishedName {
  @Field(() => String, { nullable: true, description: 'CN' }) commonName!: string | null;
  @Field(() => String, { nullable: true, description: 'O' }) organization!: string | null;
  @Field(() => String, { nullable: true, description: 'OU' }) organizationalUnit!: string | null;
  @Field(() => String, { nullable: true, description: 'E-mail address (subject only).' }) email!: string | null;
  @Field({ description: 'One-line form, e.g. "CN=…, OU=…, O=…".' }) text!: string;
}

@Directive(PRIVATE)
@ObjectType({ description: 'X.509 certificate from a DVDV service element (Verschlüsselungs-/Signaturzertifikat).' })
export class DirectoryCertificate {
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'SHA-1 fingerprint, 40 lower-case hex digits.' }) fingerprint!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Serial number, decimal.' }) serialNumber!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Serial number, hex.' }) serialHex!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Signature algorithm, e.g. SHA256withRSA.' }) algorithm!: string | null;
  @Authorized(INTEGRATOR) @Field(() => DistinguishedName, { description: 'Subject (Inhaber) of the certificate.', nullable: true }) subject!: DistinguishedName;
  @Authorized(INTEGRATOR) @Field(() => DistinguishedName, { description: 'Issuer (Aussteller) of the certificate.', nullable: true }) issuer!: DistinguishedName;
  @Authorized(INTEGRATOR) @Field(() => Date, { description: 'Start of validity (notBefore).', nullable: true }) validFrom!: Date | null;
  @Authorized(INTEGRATOR) @Field(() => Date, { nullable: true, description: 'Expiry (notAfter).' }) validTo!: Date | null;
  @Authorized(INTEGRATOR) @Field(() => [String], { nullable: true, description: 'KeyUsage names (RFC 5280), e.g. digitalSignature, keyEncipherment.' }) keyUsage!: string[];
  @Authorized(INTEGRATOR) @Field(() => Date, { nullable: true, description: 'CRL revocation date as the directory reports it.' }) revocationDate!: Date | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'CRL revocation reason (UNSPECIFIED, KEY_COMPROMISE, …).' }) revocationReason!: string | null;
  @Authorized(INTEGRATOR) @Field(() => CertificateStatus, { description: 'Validity at query time (Gültigkeitsstatus).', nullable: true }) status!: CertificateStatus;
  @Authorized(INTEGRATOR) @Field(() => Boolean, { description: 'True when the certificate has expired (notAfter in the past).', nullable: true }) expired!: boolean;
  @Authorized(INTEGRATOR) @Field(() => Boolean, { nullable: true, description: 'Valid now but ends within 30 days.' }) expiringSoon!: boolean;
  @Authorized(INTEGRATOR) @Field(() => Boolean, { description: 'True when the directory reports the certificate as revoked (gesperrt).', nullable: true }) revoked!: boolean;
  @Authorized(INTEGRATOR) @Field(() => Int, { nullable: true, description: 'Whole days until expiry; negative once expired.' }) daysUntilExpiry!: number | null;
  @Authorized(INTEGRATOR) @Field(() => Boolean, { nullable: true, description: 'True when the DER content was delivered and parsed (values come from the certificate itself).' }) parsedFromContent!: boolean;
  @Authorized(INTEGRATOR) @Field(() => Boolean, { nullable: true, description: 'False when the fingerprint is not the SHA-1 of the delivered DER; null without content.' }) fingerprintMatchesContent!: boolean | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'DER, Base64, when the directory delivers it.' }) contentBase64!: string | null;
}

@Directive(PRIVATE)
@ObjectType({ description: 'Dienstelement: one technical element of a DVDV service (intermediary, addressee, certificate, …).' })
export class DirectoryServiceElement {
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'OSCI_INTERMEDIARY, OSCI_ADDRESSEE, CIPHER_CERTIFICATE, SIGNATURE_CERTIFICATE, WEBSERVER, TEXT.' }) type!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Installation-specific type, when `type` is absent.' }) customType!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Name of the element.', nullable: true }) name!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Dienstelementbeschreibung, e.g. InternetIntermediär, TESTAEmpfänger — selects the variant.' }) descriptionName!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Free-text description of the element.', nullable: true }) description!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Endpoint: intermediary URL or addressee URI.' }) uri!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Text value of a TEXT element.', nullable: true }) text!: string | null;
  @Authorized(INTEGRATOR) @Field(() => Boolean, { description: 'True when the service description marks the element as mandatory.', nullable: true }) required!: boolean | null;
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Name of the provider (Betreiber) of the endpoint.', nullable: true }) providerName!: string | null;
  @Authorized(INTEGRATOR) @Field(() => DirectoryCertificate, { description: 'Encryption certificate (Verschlüsselungszertifikat) of this element.', nullable: true }) cipherCertificate!: DirectoryCertificate | null;
  @Authorized(INTEGRATOR) @Field(() => DirectoryCertificate, { description: 'Signature certificate (Signaturzertifikat) of this element.', nullable: true }) signatureCertificate!: DirectoryCertificate | null;
}

@Directive(PRIVATE)
@ObjectType({ description: 'Dienst: a service an organisation offers in DVDV, identified by its specification URI (WSDL targetNamespace).' })
export class DirectoryService {
  /** Which organisation key the service was found under (to fetch its elements); not exposed. */
  organizationKey!: string;

  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Dienstbeschreibungs-URI, e.g. http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl' }) specificationUri!: string;
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Name of the service description (Dienstbeschreibung).', nullable: true }) descriptionName!: string;
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Name of the service (Dienstname).', nullable: true }) name!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'WSDL_OSCI or MANUAL.' }) specificationType!: string | null;
  @Authorized(INTEGRATOR) @Field(() => Date, { description: 'Start of validity of this service version (gültig ab).', nullable: true }) validFrom!: Date | null;
  @Authorized(INTEGRATOR) @Field(() => Date, { description: 'End of validity of this service version (gültig bis); null when open-ended.', nullable: true }) validTo!: Date | null;
  @Authorized(INTEGRATOR) @Field(() => Boolean, { nullable: true, description: 'Valid at query time.' }) currentlyValid!: boolean;
}

@Directive(PRIVATE)
@ObjectType({ implements: Node, description: 'Behörde in DVDV: an organisation entry of one category with its services.' })
export class DirectoryOrganization {
  @Authorized(INTEGRATOR) @Field(() => ID, { name: 'dvdvId', nullable: true, description: 'Technical id of the entry in the DVDV; was `id` before 0.2.0.' }) id!: string;
  @Authorized(INTEGRATOR) @Field(() => DvdvOrganizationKeyScalar, { nullable: true, description: 'The key the entry was looked up with.' }) key!: string;
  @Authorized(INTEGRATOR) @Field(() => [DvdvOrganizationKeyScalar], { nullable: true, description: 'All Behördenschlüssel of the entry.' }) keys!: string[];
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Name of the authority (Behördenname).', nullable: true }) name!: string;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Behördenkategorie, e.g. Meldebehörde.' }) category!: string;
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Free-text description of the entry (Beschreibung).', nullable: true }) description!: string | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Postal address as one text (lines separated by \\n).' }) address!: string | null;
  @Authorized(INTEGRATOR) @Field(() => Int, { nullable: true, description: 'Länderschlüssel (16 = Thüringen).' }) stateId!: number | null;
  @Authorized(INTEGRATOR) @Field(() => Date, { description: 'Start of validity of the entry (gültig ab).', nullable: true }) validFrom!: Date | null;
  @Authorized(INTEGRATOR) @Field(() => Date, { description: 'End of validity of the entry (gültig bis); null when open-ended.', nullable: true }) validTo!: Date | null;
  @Authorized(INTEGRATOR) @Field(() => [DirectoryService], { nullable: true, description: 'Services without their elements; ask `elements` for endpoints.' }) services!: DirectoryService[];
  @Authorized(INTEGRATOR) @Field(() => [DirectoryCertificate], { nullable: true, description: 'Client certificates registered for the organisation.' }) clientCertificates!: DirectoryCertificate[];
  @Authorized(INTEGRATOR) @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).', nullable: true }) provenance!: Provenance;
}

@Directive(PRIVATE)
@ObjectType({ implements: Node, description: 'Where to send an OSCI message for an organisation and service: intermediary + addressee + content cipher certificate.' })
export class OsciRoute {
  @Authorized(INTEGRATOR) @Field(() => DvdvOrganizationKeyScalar, { description: 'Behördenschlüssel the route was looked up for.', nullable: true }) organizationKey!: string;
  @Authorized(INTEGRATOR) @Field(() => String, { description: 'Dienstbeschreibungs-URI of the service.', nullable: true }) serviceUri!: string;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'Network variant from the element description names, e.g. Internet or TESTA.' }) variant!: string;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'OSCI intermediary URL.' }) intermediaryUrl!: string | null;
  @Authorized(INTEGRATOR) @Field(() => DirectoryCertificate, { nullable: true, description: 'Intermediary cipher certificate (outer envelope).' }) intermediaryCipherCertificate!: DirectoryCertificate | null;
  @Authorized(INTEGRATOR) @Field(() => DirectoryCertificate, { nullable: true, description: 'Intermediary signature certificate.' }) intermediarySignatureCertificate!: DirectoryCertificate | null;
  @Authorized(INTEGRATOR) @Field(() => String, { nullable: true, description: 'OSCI addressee URI (Empfänger).' }) addresseeUri!: string | null;
  @Authorized(INTEGRATOR) @Field(() => DirectoryCertificate, { nullable: true, description: 'Content cipher certificate of the addressee (inline or the CIPHER_CERTIFICATE element of the same description name).' }) cipherCertificate!: DirectoryCertificate | null;
  @Authorized(INTEGRATOR) @Field(() => Provenance, { description: 'Where the data came from and how fresh it is (Herkunft).', nullable: true }) provenance!: Provenance;
}
