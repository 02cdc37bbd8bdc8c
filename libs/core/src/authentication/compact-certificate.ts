import { parseCertificate } from '../certificate/certificate.parser';
import type { ParsedCertificate } from '../certificate/parsed-certificate';

/**
 * A `ParsedCertificate` slimmed for the verdict cache. A decoded certificate is ~7 KB of small
 * objects (DNs, extensions, SANs, key info, buffer views); the cache keeps up to
 * `cache.maxEntries` of them, so a full one per entry is what made RSS grow by >140 MB over
 * 100,000 clients (bench/RESULTS.md). This keeps eagerly what a warm request reads (claims
 * check, revocation: serial, issuer, distribution points, AIA, basicConstraints) and re-decodes
 * its own DER, once, the first time anything else is read. Values are the same either way.
 */
export class CompactCertificate implements ParsedCertificate {
  readonly der: Buffer;
  readonly fingerprintSha256: string;
  readonly version: number;
  readonly serialNumber: string;
  readonly issuer: ParsedCertificate['issuer'];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly basicConstraints: ParsedCertificate['basicConstraints'];
  readonly crlDistributionPoints: readonly string[];
  readonly ocspUrls: readonly string[];
  readonly caIssuerUrls: readonly string[];
  readonly selfIssued: boolean;
  private decoded?: ParsedCertificate;

  /** @param issuerName an equal Name to share instead of `full.issuer` (the issuer's subject). */
  constructor(full: ParsedCertificate, issuerName: ParsedCertificate['issuer'] = full.issuer) {
    this.der = full.der;
    this.fingerprintSha256 = full.fingerprintSha256;
    this.version = full.version;
    this.serialNumber = full.serialNumber;
    this.issuer = issuerName;
    this.notBefore = full.notBefore;
    this.notAfter = full.notAfter;
    this.basicConstraints = full.basicConstraints;
    this.crlDistributionPoints = full.crlDistributionPoints;
    this.ocspUrls = full.ocspUrls;
    this.caIssuerUrls = full.caIssuerUrls;
    this.selfIssued = full.selfIssued;
  }

  /** The rest, decoded on first use: the DER already passed validation, so this cannot fail. */
  private get full(): ParsedCertificate {
    return (this.decoded ??= parseCertificate(this.der));
  }

  get signatureAlgorithm(): ParsedCertificate['signatureAlgorithm'] {
    return this.full.signatureAlgorithm;
  }
  get tbsDer(): Buffer {
    return this.full.tbsDer;
  }
  get signature(): Buffer {
    return this.full.signature;
  }
  get subject(): ParsedCertificate['subject'] {
    return this.full.subject;
  }
  get publicKey(): ParsedCertificate['publicKey'] {
    return this.full.publicKey;
  }
  get extensions(): ParsedCertificate['extensions'] {
    return this.full.extensions;
  }
  get keyUsage(): ParsedCertificate['keyUsage'] {
    return this.full.keyUsage;
  }
  get extendedKeyUsage(): ParsedCertificate['extendedKeyUsage'] {
    return this.full.extendedKeyUsage;
  }
  get subjectAltNames(): ParsedCertificate['subjectAltNames'] {
    return this.full.subjectAltNames;
  }
  get subjectKeyIdentifier(): string | undefined {
    return this.full.subjectKeyIdentifier;
  }
  get authorityKeyIdentifier(): string | undefined {
    return this.full.authorityKeyIdentifier;
  }
  get authorityKeyIdentifierHasIssuerSerial(): boolean | undefined {
    return this.full.authorityKeyIdentifierHasIssuerSerial;
  }
  get nameConstraints(): ParsedCertificate['nameConstraints'] {
    return this.full.nameConstraints;
  }
  get policyExtensions(): ParsedCertificate['policyExtensions'] {
    return this.full.policyExtensions;
  }
}

/**
 * The validated path as the verdict cache keeps it: certificates decoded for this request
 * (leaf, forwarded chain) slimmed; configured anchors and intermediates are shared, kept as is.
 * A slimmed certificate's issuer Name is the next certificate's subject object when their DER is
 * identical (the usual case), so 10,000 leaves of one CA keep one issuer Name, not 10,000.
 */
export function compactPath(path: readonly ParsedCertificate[], decodedHere: readonly ParsedCertificate[]): ParsedCertificate[] {
  return path.map((certificate, i) => {
    if (!decodedHere.includes(certificate)) return certificate;
    const next = path[i + 1];
    const shared = next && next.subject.der.equals(certificate.issuer.der) ? next.subject : certificate.issuer;
    return new CompactCertificate(certificate, shared);
  });
}
