import { createPublicKey, randomBytes } from 'node:crypto';
import { type CertificateSpec, type IssuedCertificate, type KeyPair, type KeySpec, generateKeyPair, issueCertificate } from '@client-cert-auth/dev-pki';
import {
  bitString as derBitString,
  derNull,
  objectIdentifier as derOid,
  sequence as derSequence,
  unsignedInteger as derUnsignedInteger,
} from '../../../dev-pki/src/der';
import { parseCertificate } from './certificate.parser';
import type { ParsedCertificate } from './parsed-certificate';

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
