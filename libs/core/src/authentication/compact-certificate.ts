import { parseCertificate } from '../certificate/certificate.parser';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { SHARED_VALUES } from '../principal/shared-values';

/**
 * A `ParsedCertificate` slimmed for the verdict cache. A decoded certificate is ~7 KB of small
 * objects (DNs, extensions, SANs, key info, buffer views); the cache keeps up to
 * `cache.maxEntries` of them, so a full one per entry is what made RSS grow by >140 MB over
 * 100,000 clients (bench/RESULTS.md). This keeps eagerly what a request served from the cache
 * reads (claims check: fingerprint, serial, SANs; revocation: serial, issuer, distribution
 * points, AIA, basicConstraints; validity), with its SANs and URLs shared between certificates
 * (`SHARED_VALUES`), and its DER as text: one heap string (~DER length) instead of a Buffer, an
 * ArrayBuffer and a native allocation (~DER length + 190 B). Anything else is decoded again from
 * it when read, and that decoding is held only weakly: the entry never grows back to full size.
 * Values are the same either way.
 */
export class CompactCertificate implements ParsedCertificate {
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
  readonly subjectAltNames: ParsedCertificate['subjectAltNames'];
  readonly selfIssued: boolean;
  /** The DER, one latin1 character per byte. */
  private readonly derText: string;
  private decoded?: WeakRef<ParsedCertificate>;

  /** @param issuerName an equal Name to share instead of `full.issuer` (the issuer's subject). */
  constructor(full: ParsedCertificate, issuerName: ParsedCertificate['issuer'] = full.issuer) {
    this.derText = full.der.toString('latin1');
    this.fingerprintSha256 = full.fingerprintSha256;
    this.version = full.version;
    this.serialNumber = full.serialNumber;
    this.issuer = issuerName;
    this.notBefore = full.notBefore;
    this.notAfter = full.notAfter;
    this.basicConstraints = full.basicConstraints;
    // Shared copies: the same few names and URLs in every certificate of a client or CA,
    // otherwise slices of the certificate's decoded text, which they would keep alive.
    this.crlDistributionPoints = SHARED_VALUES.strings(full.crlDistributionPoints);
    this.ocspUrls = SHARED_VALUES.strings(full.ocspUrls);
    this.caIssuerUrls = SHARED_VALUES.strings(full.caIssuerUrls);
    this.subjectAltNames = sharedAltNames(full.subjectAltNames);
    this.selfIssued = full.selfIssued;
  }

  /** A Buffer of the DER, made when read (nothing on the request path reads it). */
  get der(): Buffer {
    return Buffer.from(this.derText, 'latin1');
  }

  /** Bytes of DER kept. */
  get derLength(): number {
    return this.derText.length;
  }

  /**
   * The rest, decoded when first read and kept until the next garbage collection at most: the
   * DER already passed validation, so this cannot fail.
   */
  private get full(): ParsedCertificate {
    let full = this.decoded?.deref();
    if (full === undefined) {
      full = parseCertificate(this.der);
      this.decoded = new WeakRef(full);
    }
    return full;
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

const NO_NAMES: ParsedCertificate['subjectAltNames']['directoryName'] = Object.freeze([]);

/** SANs as shared lists; directory names are decoded Name objects, not plain data: a set with any stays as decoded. */
function sharedAltNames(names: ParsedCertificate['subjectAltNames']): ParsedCertificate['subjectAltNames'] {
  if (names.directoryName.length > 0) return names;
  const { dns, uri, email, ip, upn, otherTypes } = names;
  const shared = SHARED_VALUES;
  return Object.freeze({
    dns: shared.strings(dns),
    uri: shared.strings(uri),
    email: shared.strings(email),
    ip: shared.strings(ip),
    upn: shared.strings(upn),
    directoryName: NO_NAMES,
    ...(otherTypes ? { otherTypes: shared.strings(otherTypes) } : {}),
  });
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
