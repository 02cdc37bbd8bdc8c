import type { KeyObject } from 'node:crypto';
import type { GeneralSubtrees, SubjectAltNames } from './general-name.encoder';
import type { ExtensionName } from './oids';

export type { GeneralSubtrees, SubjectAltNames };

/** Key algorithms the dev PKI can generate. */
export type KeySpec = 'rsa-1024' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'rsa-pss-2048' | 'p-256' | 'p-384' | 'p-521' | 'ed25519';

/** A key pair as node:crypto KeyObjects. */
export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Hash for the issuer's signature; ignored for Ed25519, fixed to SHA-256 for RSA-PSS. */
export type SignatureHash = 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5';

/** What to put into a certificate. Everything but `subject` has a test-friendly default. */
export interface CertificateSpec {
  /** RFC 4514-like DN, most specific first. @example 'CN=alice,O=Example,C=DE' */
  subject: string;
  /** Signing certificate; absent => self-signed. */
  issuer?: IssuedCertificate;
  /**
   * Subject key: a KeySpec (see `freshKey` for when it is cached) or an explicit pair (to share an SPKI pin).
   * @default 'p-256'
   */
  key?: KeySpec | KeyPair;
  /**
   * For a KeySpec `key`: true => always a brand-new key; false => the in-process cache (one key per kind
   * and chain depth, so a root, its intermediate and its leaf never share a key, but two leaves at the
   * same depth do). @default false for RSA kinds (generation is slow), true for EC and Ed25519 (cheap)
   */
  freshKey?: boolean;
  /** Hex serial. @default 16 random bytes, made positive */
  serialNumber?: string;
  /** @default now - 1 hour */
  notBefore?: Date;
  /** @default now + 365 days */
  notAfter?: Date;
  /** basicConstraints; `true` => CA:TRUE, critical. Leaves get CA:FALSE (critical). */
  ca?: boolean | { pathLen?: number; critical?: boolean };
  /** KeyUsage names. @default CA => keyCertSign,cRLSign; leaf => digitalSignature */
  keyUsage?: string[];
  /** EKU names ('clientAuth','serverAuth','codeSigning','OCSPSigning','any') or OIDs. @default leaf => ['clientAuth']; CA => none */
  extendedKeyUsage?: string[];
  /** subjectAltName entries; the extension is critical when the subject is empty (RFC 5280). */
  san?: SubjectAltNames;
  /** nameConstraints. @default critical: true */
  nameConstraints?: { permitted?: GeneralSubtrees; excluded?: GeneralSubtrees; critical?: boolean };
  /** CRL distribution point URIs (one DistributionPoint each). */
  crlDistributionPoints?: string[];
  /** OCSP responder URIs (authorityInfoAccess). */
  ocspUrls?: string[];
  /** caIssuers URIs (authorityInfoAccess). */
  caIssuersUrls?: string[];
  /** Appended verbatim; `value` is the DER inside extnValue's OCTET STRING. */
  extraExtensions?: Array<{ oid: string; critical: boolean; value: Buffer }>;
  /** Drop default extensions by name. */
  omitExtensions?: ExtensionName[];
  /** @default by key: sha256 (RSA, P-256), sha384 (P-384), sha512 (P-521) */
  signatureHash?: SignatureHash;
  /** @default 3 (1 => no extensions at all) */
  version?: 1 | 3;
}

/** An issued certificate together with its key. */
export interface IssuedCertificate {
  der: Buffer;
  pem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 PEM of `privateKey`. */
  keyPem: string;
  subject: string;
  /** Hex, as encoded (lower case, positive). */
  serialNumber: string;
  /** 0 for self-signed, issuer depth + 1 otherwise; picks the cached key slot. */
  depth?: number;
}
