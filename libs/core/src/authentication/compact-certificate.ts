import { parseCertificate } from '../certificate/certificate.parser';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import { SHARED_VALUES } from '../principal/shared-values';

/**
 * A `ParsedCertificate` slimmed for the verdict cache. A decoded certificate is ~7 KB of small
 * objects (DNs, extensions, SANs, key info, buffer views); the cache keeps up to
 * `cache.maxEntries` of them, so a full one per entry is what made RSS grow by >140 MB over
 * 100,000 clients (bench/RESULTS.md). This keeps what a request served from the cache reads
 * (claims check: fingerprint, serial, SANs; revocation: serial, issuer, distribution points,
 * AIA, basicConstraints; validity), with its SANs and URLs shared between certificates
 * (`SHARED_VALUES`), and not its DER: the cache keeps an unbound copy (`unbound`), and hands each
 * request a copy bound to the bytes that request forwarded (`boundTo`; equal bytes, the cache key
 * is their hash). Anything else is decoded again from those bytes when read, and that decoding is
 * held only weakly. Values are the same either way.
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
  /** Length of the DER, for the cache's byte estimate. */
  readonly derLength: number;
  /** Where the request carried it: 0 the leaf, n the n-th certificate of the forwarded chain. */
  readonly forwardedIndex: number;
  /** The DER: the bytes of the request being served; undefined in the copy the cache keeps. */
  private readonly bytes: Buffer | undefined;
  private decoded?: WeakRef<ParsedCertificate>;

  /**
   * @param issuerName an equal Name to share instead of `full.issuer` (the issuer's subject).
   * @param forwardedIndex 0 for the leaf, n for the n-th certificate of the forwarded chain.
   * @param bytes the DER to bind to (`full.der` unless given); `null`: none (`unbound`).
   */
  constructor(full: ParsedCertificate, issuerName: ParsedCertificate['issuer'] = full.issuer, forwardedIndex = 0, bytes: Buffer | null = full.der) {
    this.bytes = bytes ?? undefined;
    this.forwardedIndex = forwardedIndex;
    this.fingerprintSha256 = full.fingerprintSha256;
    this.version = full.version;
    this.serialNumber = full.serialNumber;
    this.issuer = issuerName;
    this.notBefore = full.notBefore;
    this.notAfter = full.notAfter;
    this.basicConstraints = full.basicConstraints;
    this.selfIssued = full.selfIssued;
    if (full instanceof CompactCertificate) {
      // A copy (bound or unbound): its parts are shared already.
      this.derLength = full.derLength;
      this.crlDistributionPoints = full.crlDistributionPoints;
      this.ocspUrls = full.ocspUrls;
      this.caIssuerUrls = full.caIssuerUrls;
      this.subjectAltNames = full.subjectAltNames;
      return;
    }
    this.derLength = full.der.length;
    // Shared copies: the same few names and URLs in every certificate of a client or CA,
    // otherwise slices of the certificate's decoded text, which they would keep alive.
    this.crlDistributionPoints = SHARED_VALUES.strings(full.crlDistributionPoints);
    this.ocspUrls = SHARED_VALUES.strings(full.ocspUrls);
    this.caIssuerUrls = SHARED_VALUES.strings(full.caIssuerUrls);
    this.subjectAltNames = sharedAltNames(full.subjectAltNames);
  }

  /** The copy the verdict cache keeps: no bytes, nothing decoded. */
  unbound(): CompactCertificate {
    return new CompactCertificate(this, this.issuer, this.forwardedIndex, null);
  }

  /** A copy for one request, over `der`: the bytes that request forwarded at `forwardedIndex`. */
  boundTo(der: Buffer): CompactCertificate {
    return new CompactCertificate(this, this.issuer, this.forwardedIndex, der);
  }

  /**
   * The DER. Only the cache's own unbound copies have none, and the cache hands out bound ones
   * (`VerdictCache.get` with the request's certificates).
   */
  get der(): Buffer {
    if (this.bytes === undefined) throw new Error('CompactCertificate: an unbound cached copy has no DER; read it through VerdictCache.get(key, forwarded)');
    return this.bytes;
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
 * The validated path as the verdict cache keeps it: certificates decoded for the request
 * (`decodedHere`: the leaf, then the forwarded chain in the order sent) slimmed and unbound from
 * their bytes; configured anchors and intermediates are shared, kept as is.
 * A slimmed certificate's issuer Name is the next certificate's subject object when their DER is
 * identical (the usual case), so 10,000 leaves of one CA keep one issuer Name, not 10,000.
 */
export function compactPath(path: readonly ParsedCertificate[], decodedHere: readonly ParsedCertificate[]): ParsedCertificate[] {
  return path.map((certificate, i) => {
    if (certificate instanceof CompactCertificate) return certificate.unbound();
    const forwardedIndex = decodedHere.indexOf(certificate);
    if (forwardedIndex < 0) return certificate;
    const next = path[i + 1];
    const shared = next && next.subject.der.equals(certificate.issuer.der) ? next.subject : certificate.issuer;
    return new CompactCertificate(certificate, shared, forwardedIndex, null);
  });
}
