import type { KeyObject } from 'node:crypto';
import type { GeneralName } from './general-name.parser';

/** One attribute of a relative distinguished name, e.g. `CN=alice`. */
export interface DnAttribute {
  /** Dotted OID, e.g. `2.5.4.3`. */
  readonly oid: string;
  /** RFC 4514 short name where one exists (`CN`, `O`, `OU`, `C`, `L`, `ST`, `DC`, `UID`, `emailAddress`...), else the OID. */
  readonly name: string;
  /** The decoded string value (UTF-8). */
  readonly value: string;
}

/** An X.501 Name: subject or issuer. */
export interface DistinguishedName {
  /** RFC 4514 string, most specific RDN first (`CN=alice,O=Example,C=DE`), with RFC 4514 escaping. */
  readonly rfc4514: string;
  /**
   * A comparison key: equal names (RFC 5280 §7.1: case-insensitive, whitespace-collapsed
   * string values) give equal keys. Used for name chaining and registry subject bindings.
   */
  readonly normalized: string;
  /** RDNs in certificate order (least specific first, as encoded in DER). */
  readonly rdns: ReadonlyArray<ReadonlyArray<DnAttribute>>;
  /** The exact DER of the Name. */
  readonly der: Buffer;
}

/** Subject alternative names, by type. */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly uri: readonly string[];
  readonly email: readonly string[];
  /** Textual IPv4 / IPv6 addresses (IPv6 in compressed form). */
  readonly ip: readonly string[];
  /** Microsoft UPN otherName (1.3.6.1.4.1.311.20.2.3). */
  readonly upn: readonly string[];
  readonly directoryName: readonly DistinguishedName[];
  /** Names of other types present (`otherName:<oid>` for non-UPN otherNames, `x400Address`, `ediPartyName`, `registeredID`). */
  readonly otherTypes?: readonly string[];
}

/** Decoded nameConstraints (RFC 5280 §4.2.1.10); subtree bases as GeneralNames. */
export interface NameConstraints {
  readonly critical: boolean;
  readonly permitted?: readonly GeneralName[];
  readonly excluded?: readonly GeneralName[];
}

/**
 * The policy extensions of one certificate (RFC 5280 §4.2.1.4, §4.2.1.5, §4.2.1.11, §4.2.1.14),
 * as path validation's policy processing reads them. Absent fields: extension absent.
 */
export interface CertificatePolicyExtensions {
  /** certificatePolicies: policy OIDs (anyPolicy is `2.5.29.32.0`). */
  readonly policies?: readonly string[];
  /** policyMappings, in certificate order. */
  readonly mappings?: ReadonlyArray<{ readonly issuerDomainPolicy: string; readonly subjectDomainPolicy: string }>;
  /** policyConstraints requireExplicitPolicy (SkipCerts). */
  readonly requireExplicitPolicy?: number;
  /** policyConstraints inhibitPolicyMapping (SkipCerts). */
  readonly inhibitPolicyMapping?: number;
  /** inhibitAnyPolicy (SkipCerts). */
  readonly inhibitAnyPolicy?: number;
}

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue contents (the DER inside the OCTET STRING). */
  readonly value: Buffer;
}

export interface PublicKeyInfo {
  /** The SubjectPublicKeyInfo DER. */
  readonly der: Buffer;
  /** Lowercase hex SHA-256 of the SPKI DER (the pin that survives renewal with the same key). */
  readonly sha256: string;
  readonly algorithm: 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'unknown';
  /** RSA modulus bits, EC curve bits. */
  readonly bits?: number;
  /** Named curve for EC keys (`P-256`, `P-384`, `P-521`). */
  readonly curve?: string;
  /** RSA public exponent bits (17 for 65537). */
  readonly exponentBits?: number;
  /**
   * Why this key may never be used, whatever the options (an RSA exponent over 32 bits, even or
   * below 3; an RSA modulus over 16,384 bits; an EC curve other than P-256/P-384/P-521; an
   * unknown algorithm), as the end of a sentence that starts with the certificate's name.
   * Such a key is refused as soon as it is parsed: `key` is absent, so it never verifies anything.
   */
  readonly fault?: string;
  /** node:crypto key, absent when node cannot import the key. */
  readonly key?: KeyObject;
}

/**
 * An X.509 certificate decoded once, with everything path validation, revocation and the
 * principal need. Produced by `parseCertificate(der)`; immutable.
 */
export interface ParsedCertificate {
  readonly der: Buffer;
  /** Lowercase hex SHA-256 of the DER. */
  readonly fingerprintSha256: string;
  /** 1, 2 or 3. */
  readonly version: number;
  /** Lowercase hex of the serial number's DER content bytes (two's complement, as encoded). */
  readonly serialNumber: string;
  readonly signatureAlgorithm: {
    readonly oid: string;
    readonly name: string;
    /** DER of the AlgorithmIdentifier parameters (RSA-PSS parameters, NULL), absent when omitted. */
    readonly parameters?: Buffer;
  };
  readonly tbsDer: Buffer;
  readonly signature: Buffer;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: PublicKeyInfo;
  readonly extensions: readonly CertificateExtension[];
  /** Absent when the extension is absent. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLen?: number; readonly critical: boolean };
  /** Names of the asserted bits (`digitalSignature`, `keyCertSign`, `cRLSign`, ...); absent when the extension is absent. */
  readonly keyUsage?: ReadonlySet<string>;
  /** EKU OIDs; absent when the extension is absent. */
  readonly extendedKeyUsage?: readonly string[];
  readonly subjectAltNames: SubjectAltNames;
  /** Lowercase hex. */
  readonly subjectKeyIdentifier?: string;
  /** Lowercase hex of keyIdentifier. */
  readonly authorityKeyIdentifier?: string;
  /** True when the authorityKeyIdentifier extension also carries authorityCertIssuer or authorityCertSerialNumber. */
  readonly authorityKeyIdentifierHasIssuerSerial?: boolean;
  /** Present when the nameConstraints extension is present. */
  readonly nameConstraints?: NameConstraints;
  /** Present when any of the four policy extensions is present. */
  readonly policyExtensions?: CertificatePolicyExtensions;
  /** CRL distribution point URIs. */
  readonly crlDistributionPoints: readonly string[];
  /** AIA OCSP responder URIs. */
  readonly ocspUrls: readonly string[];
  /** AIA caIssuers URIs. */
  readonly caIssuerUrls: readonly string[];
  /** True when subject and issuer names are equal. */
  readonly selfIssued: boolean;
}
