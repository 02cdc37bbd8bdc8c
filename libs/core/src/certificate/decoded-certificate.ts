import type {
  CertificateExtension,
  CertificatePolicyExtensions,
  DistinguishedName,
  NameConstraints,
  ParsedCertificate,
  PublicKeyInfo,
  SubjectAltNames,
} from './parsed-certificate';
import { sha256Hex } from './der-digest';

/** Every field of ParsedCertificate except the ones derived on first read. */
export type DecodedFields = Omit<ParsedCertificate, 'fingerprintSha256'>;

/**
 * The ParsedCertificate that `parseCertificate` returns. A class rather than an object literal
 * with a getter: V8 creates literals that carry accessors on a slow runtime path, and a
 * never-seen leaf is decoded on the request path. The SHA-256 fingerprint is hashed on first
 * read, or taken from the verdict key's digest of the same bytes (`sha256Hex`); the memo is a
 * `#` field, so it never shows up in spreads or equality checks of the data fields.
 */
export class DecodedCertificate implements ParsedCertificate {
  readonly der: Buffer;
  readonly version: number;
  readonly serialNumber: string;
  readonly signatureAlgorithm: ParsedCertificate['signatureAlgorithm'];
  readonly tbsDer: Buffer;
  readonly signature: Buffer;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: PublicKeyInfo;
  readonly extensions: readonly CertificateExtension[];
  readonly basicConstraints?: ParsedCertificate['basicConstraints'];
  readonly keyUsage?: ReadonlySet<string>;
  readonly extendedKeyUsage?: readonly string[];
  readonly subjectAltNames: SubjectAltNames;
  readonly subjectKeyIdentifier?: string;
  readonly authorityKeyIdentifier?: string;
  readonly authorityKeyIdentifierHasIssuerSerial?: boolean;
  readonly nameConstraints?: NameConstraints;
  readonly policyExtensions?: CertificatePolicyExtensions;
  readonly crlDistributionPoints: readonly string[];
  readonly ocspUrls: readonly string[];
  readonly caIssuerUrls: readonly string[];
  readonly selfIssued: boolean;
  #fingerprint: string | undefined;

  constructor(f: DecodedFields) {
    this.der = f.der;
    this.version = f.version;
    this.serialNumber = f.serialNumber;
    this.signatureAlgorithm = f.signatureAlgorithm;
    this.tbsDer = f.tbsDer;
    this.signature = f.signature;
    this.issuer = f.issuer;
    this.subject = f.subject;
    this.notBefore = f.notBefore;
    this.notAfter = f.notAfter;
    this.publicKey = f.publicKey;
    this.extensions = f.extensions;
    this.basicConstraints = f.basicConstraints;
    this.keyUsage = f.keyUsage;
    this.extendedKeyUsage = f.extendedKeyUsage;
    this.subjectAltNames = f.subjectAltNames;
    this.subjectKeyIdentifier = f.subjectKeyIdentifier;
    this.authorityKeyIdentifier = f.authorityKeyIdentifier;
    this.authorityKeyIdentifierHasIssuerSerial = f.authorityKeyIdentifierHasIssuerSerial;
    this.nameConstraints = f.nameConstraints;
    this.policyExtensions = f.policyExtensions;
    this.crlDistributionPoints = f.crlDistributionPoints;
    this.ocspUrls = f.ocspUrls;
    this.caIssuerUrls = f.caIssuerUrls;
    this.selfIssued = f.selfIssued;
  }

  /** Lowercase hex SHA-256 of the DER. */
  get fingerprintSha256(): string {
    return (this.#fingerprint ??= sha256Hex(this.der));
  }
}
