import type { ParsedCertificate } from './parsed-certificate';
import type { PathValidationFailureCode } from './path-validation.types';
import { EXT, KNOWN_EXTENSIONS } from './extension.parser';
import { ANY_EKU, ekuName } from './extended-key-usage.names';
import { type KeyPolicy, keyPolicyFault } from './key-policy.check';
import type { PolicySettings } from './policy.check';
import { signatureHash } from './signature.verifier';

export interface PathFailure {
  readonly code: PathValidationFailureCode;
  readonly reason: string;
}

export type CertificateRole = 'leaf' | 'intermediate' | 'trust anchor' | 'CA';

/** The resolved policy one validation runs under. */
export interface ProfilePolicy extends KeyPolicy {
  readonly atMs: number;
  readonly skewMs: number;
  readonly allowSha1: boolean;
  /** EKU OIDs the leaf must allow. */
  readonly requiredEku: readonly string[];
  /** keyUsage bits the leaf must assert when it has the extension. */
  readonly requiredKeyUsage: readonly string[];
  /** Whether anyExtendedKeyUsage in the leaf satisfies requiredEku. */
  readonly allowAnyEkuInLeaf: boolean;
  /** Certificate policy processing inputs (RFC 5280 §6.1.1). */
  readonly certificatePolicies: PolicySettings;
  /** Distinguishes memoized static checks made under per-call requiredEku; undefined for the default. */
  readonly memoKey?: string;
}

const MUST_BE_NON_CRITICAL = new Map<string, string>([
  [EXT.authorityKeyIdentifier, 'authorityKeyIdentifier'],
  [EXT.subjectKeyIdentifier, 'subjectKeyIdentifier'],
  [EXT.authorityInfoAccess, 'authorityInfoAccess'],
]);

export function describe(cert: ParsedCertificate, role: CertificateRole): string {
  return `${role} "${cert.subject.rfc4514 || '(empty subject)'}"`;
}

/** The description, built only if a failure message interpolates it (this runs per request). */
function named(cert: ParsedCertificate, role: CertificateRole): { toString(): string } {
  return { toString: () => describe(cert, role) };
}

export const failure = (code: PathValidationFailureCode, reason: string): PathFailure => ({ code, reason });

function extension(cert: ParsedCertificate, oid: string) {
  return cert.extensions.find((e) => e.oid === oid);
}

/** Validity at the validation time, widened by the clock skew on both ends (bounds inclusive). */
export function checkValidity(cert: ParsedCertificate, role: CertificateRole, policy: ProfilePolicy): PathFailure | undefined {
  if (cert.notBefore.getTime() > policy.atMs + policy.skewMs) {
    return failure('CERT_NOT_YET_VALID', `${describe(cert, role)} is not valid before ${cert.notBefore.toISOString()}`);
  }
  if (cert.notAfter.getTime() < policy.atMs - policy.skewMs) {
    return failure('CERT_EXPIRED', `${describe(cert, role)} expired at ${cert.notAfter.toISOString()}`);
  }
  return undefined;
}

/** Key size / curve policy and the hash of the certificate's own signature. */
export function checkAlgorithms(cert: ParsedCertificate, role: CertificateRole, policy: ProfilePolicy): PathFailure | undefined {
  const who = named(cert, role);
  const keyFault = keyPolicyFault(cert.publicKey, policy);
  if (keyFault) return failure('CERT_POLICY', `${who} ${keyFault}`);
  if (role === 'trust anchor') return undefined; // an anchor's self-signature is never relied on
  const hash = signatureHash(cert);
  if (!hash) return failure('CERT_POLICY', `${who} is signed with an unsupported algorithm ${cert.signatureAlgorithm.name}`);
  if (hash === 'md5' || (hash === 'sha1' && !policy.allowSha1)) {
    return failure('CERT_POLICY', `${who} is signed with ${cert.signatureAlgorithm.name}; ${hash.toUpperCase()} signatures are not accepted`);
  }
  return undefined;
}

/** Structure rules every certificate in a path must follow (RFC 5280 §4.1, §4.2). */
export function checkStructure(cert: ParsedCertificate, role: CertificateRole): PathFailure | undefined {
  const who = named(cert, role);
  if (cert.version !== 3) return failure('CERT_POLICY', `${who} is a version ${cert.version} certificate; version 3 is required`);
  let aki = false;
  for (const ext of cert.extensions) {
    if (ext.critical && !KNOWN_EXTENSIONS.has(ext.oid)) return failure('CERT_POLICY', `${who} has an unknown critical extension ${ext.oid}`);
    if (ext.oid === EXT.authorityKeyIdentifier) aki = true;
    // RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.2.1: MUST be non-critical; §4.2.1.11: MUST be critical.
    if (ext.critical && MUST_BE_NON_CRITICAL.has(ext.oid)) return failure('CERT_POLICY', `${who} marks ${MUST_BE_NON_CRITICAL.get(ext.oid)} critical`);
    if (!ext.critical && ext.oid === EXT.policyConstraints) return failure('CERT_POLICY', `${who} has a non-critical policyConstraints extension`);
  }
  if (aki && (!cert.authorityKeyIdentifier || cert.authorityKeyIdentifierHasIssuerSerial)) {
    return failure('CERT_POLICY', `${who} has an authorityKeyIdentifier without a lone keyIdentifier`);
  }
  // Anchors are exempt: a cross-certified copy of a root configured as an anchor is trusted as is.
  if (!aki && !cert.selfIssued && role !== 'trust anchor') return failure('CERT_POLICY', `${who} lacks the authorityKeyIdentifier extension`);
  if (cert.selfIssued && role === 'trust anchor' && aki && cert.subjectKeyIdentifier && cert.authorityKeyIdentifier !== cert.subjectKeyIdentifier) {
    return failure('CERT_POLICY', `${who} is self-signed but its authorityKeyIdentifier differs from its subjectKeyIdentifier`);
  }
  if (role !== 'trust anchor') {
    const serial = cert.serialNumber; // hex of the two's-complement content octets
    if (serial.length > 40) return failure('CERT_POLICY', `${who} has a serial number longer than 20 octets`);
    if (parseInt(serial[0], 16) >= 8) return failure('CERT_POLICY', `${who} has a negative serial number`);
    if (/^0*$/.test(serial)) return failure('CERT_POLICY', `${who} has a zero serial number`);
    if (cert.issuer.rdns.length === 0) return failure('CERT_POLICY', `${who} has an empty issuer name`);
  }
  return undefined;
}

/** A certificate that issues others: basicConstraints cA (critical), keyCertSign, SKI, a subject. */
export function checkIssuerRole(cert: ParsedCertificate, role: CertificateRole): PathFailure | undefined {
  const who = named(cert, role);
  const bc = cert.basicConstraints;
  if (!bc || !bc.ca) return failure('CERT_UNTRUSTED', `${who} issues certificates but is not a CA (basicConstraints cA is not set)`);
  if (!bc.critical) return failure('CERT_POLICY', `${who} has a non-critical basicConstraints extension`);
  if (cert.keyUsage && !cert.keyUsage.has('keyCertSign')) return failure('CERT_WRONG_USAGE', `${who} issues certificates but its keyUsage lacks keyCertSign`);
  if (!cert.subjectKeyIdentifier) return failure('CERT_POLICY', `${who} lacks the subjectKeyIdentifier extension`);
  if (cert.subject.rdns.length === 0) return failure('CERT_POLICY', `${who} has an empty subject`);
  return undefined;
}

/** End-entity rules: consistent CA markers, key usage, EKU, subjectAltName form. */
export function checkLeafRole(cert: ParsedCertificate, policy: ProfilePolicy): PathFailure | undefined {
  const who = named(cert, 'leaf');
  const ku = cert.keyUsage;
  const ca = cert.basicConstraints?.ca === true;
  if (ku?.has('keyCertSign') && !ca) return failure('CERT_POLICY', `${who} asserts keyCertSign without basicConstraints cA`);
  if (ca && ku && !ku.has('keyCertSign')) return failure('CERT_POLICY', `${who} sets basicConstraints cA but its keyUsage lacks keyCertSign`);
  if (cert.nameConstraints) return failure('CERT_POLICY', `${who} carries nameConstraints, which only CA certificates may`);
  // The lists of what is missing are built only for a refusal's message: a leaf that passes
  // (every cold request) allocates none.
  if (ku && !policy.requiredKeyUsage.every((bit) => ku.has(bit))) {
    const missing = policy.requiredKeyUsage.filter((bit) => !ku.has(bit));
    return failure('CERT_WRONG_USAGE', `${who} keyUsage lacks ${missing.join(', ')}`);
  }
  const eku = cert.extendedKeyUsage;
  // RFC 5280 §4.2.1.12: no extension means any purpose. anyExtendedKeyUsage in a leaf is not
  // consent to client authentication unless configured so (OpenSSL and the web PKI agree).
  if (eku && policy.requiredEku.length && !(policy.allowAnyEkuInLeaf && eku.includes(ANY_EKU)) && !policy.requiredEku.every((oid) => eku.includes(oid))) {
    const missing = policy.requiredEku.filter((oid) => !eku.includes(oid));
    return failure('CERT_WRONG_USAGE', `${who} extendedKeyUsage does not allow ${missing.map(ekuName).join(', ')}`);
  }
  const san = extension(cert, EXT.subjectAltName);
  if (cert.subject.rdns.length === 0) {
    if (!san) return failure('CERT_POLICY', `${who} has an empty subject and no subjectAltName`);
    if (!san.critical) return failure('CERT_POLICY', `${who} has an empty subject but a non-critical subjectAltName`);
  } else if (san?.critical) {
    return failure('CERT_POLICY', `${who} marks subjectAltName critical although its subject is not empty`);
  }
  return undefined;
}

/** An intermediate or anchor with an EKU extension constrains the purposes of the path below it. */
export function checkIssuerEku(cert: ParsedCertificate, role: CertificateRole, requiredEku: readonly string[]): PathFailure | undefined {
  const eku = cert.extendedKeyUsage;
  if (!eku || eku.includes(ANY_EKU)) return undefined;
  const missing = requiredEku.filter((oid) => !eku.includes(oid));
  if (missing.length === 0) return undefined;
  return failure('CERT_WRONG_USAGE', `${describe(cert, role)} extendedKeyUsage does not allow ${missing.map(ekuName).join(', ')} below it`);
}
