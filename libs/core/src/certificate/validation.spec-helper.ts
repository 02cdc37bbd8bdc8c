import { createPublicKey, randomBytes } from 'node:crypto';
import { type CertificateSpec, type IssuedCertificate, type KeyPair, type KeySpec, generateKeyPair, issueCertificate } from '@client-cert-auth/dev-pki';
import {
  bitString as derBitString,
  derNull,
  implicitPrimitive,
  objectIdentifier as derOid,
  sequence as derSequence,
  smallInteger as derSmallInteger,
  unsignedInteger as derUnsignedInteger,
} from '../../../dev-pki/src/der';
import { parseCertificate } from './certificate.parser';
import type { ParsedCertificate } from './parsed-certificate';
import type { PathValidationResult } from './path-validation.types';
import type { CertificatePathValidator, PathValidationOptions } from './path.validator';
import { SignaturePreVerifier } from './signature.pre-verifier';

/** Test-only helpers: named chains generated at test time through @client-cert-auth/dev-pki. */
export const parse = (issued: IssuedCertificate): ParsedCertificate => parseCertificate(issued.der);

export function root(name = 'Root CA', key: KeySpec = 'p-256', extra: Partial<CertificateSpec> = {}): IssuedCertificate {
  return issueCertificate({ subject: `CN=${name},O=Test`, key, ca: true, ...extra });
}

export function intermediate(issuer: IssuedCertificate, name = 'Issuing CA', key: KeySpec = 'p-256', extra: Partial<CertificateSpec> = {}): IssuedCertificate {
  return issueCertificate({ subject: `CN=${name},O=Test`, issuer, key, ca: true, ...extra });
}

export function leaf(issuer: IssuedCertificate, extra: Partial<CertificateSpec> = {}, key: KeySpec = 'p-256'): IssuedCertificate {
  return issueCertificate({ subject: 'CN=client-1,O=Test', issuer, key, san: { dns: ['client-1.example.com'] }, ...extra });
}

/** root -> intermediate -> leaf with one key algorithm throughout. */
export function chainOf(key: KeySpec): { root: IssuedCertificate; intermediate: IssuedCertificate; leaf: IssuedCertificate } {
  const r = root(`Root ${key}`, key);
  const i = intermediate(r, `Issuing ${key}`, key);
  return { root: r, intermediate: i, leaf: leaf(i, {}, key) };
}

/**
 * An RSA key pair whose public half has a real 3072-bit modulus but a public exponent of
 * about 3,070 bits (OpenSSL accepts exponents that large for moduli up to 3072 bits, and one
 * verification with it costs milliseconds instead of microseconds). The private half is an
 * ordinary key: a certificate "issued" by this pair carries a signature its public key cannot
 * verify, which is what a hostile chain looks like. Each call makes a new exponent.
 */
export function hugeExponentKeyPair(exponentBytes = 384): KeyPair {
  const base = generateKeyPair('rsa-3072', { slot: 90 });
  const modulus = Buffer.from(base.publicKey.export({ format: 'jwk' }).n as string, 'base64url');
  const exponent = randomBytes(exponentBytes);
  exponent[0] = 0x3f; // below the modulus' top byte, so e < n
  exponent[exponent.length - 1] |= 1;
  const rsaPublicKey = derSequence(derUnsignedInteger(modulus), derUnsignedInteger(exponent));
  const spki = derSequence(derSequence(derOid('1.2.840.113549.1.1.1'), derNull()), derBitString(rsaPublicKey));
  return { privateKey: base.privateKey, publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }) };
}

/** The policy extensions of one test certificate (RFC 5280 §4.2.1.4, .5, .11, .14). */
export interface PolicySpec {
  policies?: string[];
  mappings?: Array<[issuerDomainPolicy: string, subjectDomainPolicy: string]>;
  requireExplicitPolicy?: number;
  inhibitPolicyMapping?: number;
  inhibitAnyPolicy?: number;
}

/** `extraExtensions` for a CertificateSpec carrying these policy extensions (critical where RFC 5280 says MUST or SHOULD). */
export function policyExtensions(spec: PolicySpec): NonNullable<CertificateSpec['extraExtensions']> {
  const out: NonNullable<CertificateSpec['extraExtensions']> = [];
  if (spec.policies) out.push({ oid: '2.5.29.32', critical: false, value: derSequence(...spec.policies.map((oid) => derSequence(derOid(oid)))) });
  if (spec.mappings) out.push({ oid: '2.5.29.33', critical: true, value: derSequence(...spec.mappings.map(([a, b]) => derSequence(derOid(a), derOid(b)))) });
  if (spec.requireExplicitPolicy !== undefined || spec.inhibitPolicyMapping !== undefined) {
    // [n] IMPLICIT INTEGER: the INTEGER's content octets under a context tag.
    const skip = (tag: number, value: number) => implicitPrimitive(tag, derSmallInteger(value).subarray(2));
    const fields = [
      ...(spec.requireExplicitPolicy !== undefined ? [skip(0, spec.requireExplicitPolicy)] : []),
      ...(spec.inhibitPolicyMapping !== undefined ? [skip(1, spec.inhibitPolicyMapping)] : []),
    ];
    out.push({ oid: '2.5.29.36', critical: true, value: derSequence(...fields) });
  }
  if (spec.inhibitAnyPolicy !== undefined) out.push({ oid: '2.5.29.54', critical: true, value: derSmallInteger(spec.inhibitAnyPolicy) });
  return out;
}

/** How a spec runs validations: synchronously, or with the thread-pool pre-verification first (as the authenticator does). */
export type ValidationMode = 'sync' | 'thread pool';
export const VALIDATION_MODES: readonly ValidationMode[] = ['sync', 'thread pool'];

/**
 * `validator.validate` in `mode`; in 'thread pool' mode the costly signatures are verified on
 * the thread pool first and their answers handed to `validate`, as `ClientCertAuthenticator` does.
 */
export async function validateIn(
  mode: ValidationMode,
  validator: CertificatePathValidator,
  leaf: ParsedCertificate,
  chain: readonly ParsedCertificate[] = [],
  options: PathValidationOptions = {},
  preVerifier = new SignaturePreVerifier({ maxInFlight: 64 }),
): Promise<PathValidationResult> {
  if (mode === 'sync') return validator.validate(leaf, chain, options);
  const preVerified = await preVerifier.preVerify(validator.signaturesWorthPreVerifying(leaf, chain));
  return validator.validate(leaf, chain, options, preVerified);
}
