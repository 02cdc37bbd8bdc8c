import type { ParsedCertificate } from '@client-cert-auth/core';
import type { BindingKind } from '@client-cert-auth/core';
import { issuerSerialKey, normalizeDnsName, normalizeEmail } from '../normalize/binding-value.normalizer';
import { normalizeDn } from '../normalize/dn.normalizer';
import { RegistryAdminError } from './registry-admin.error';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/**
 * Parses a certificate given as PEM (first CERTIFICATE block) or DER, with the pipeline's own
 * parser so that binding values are computed exactly as the principal's are.
 */
export async function readCertificate(input: Buffer): Promise<ParsedCertificate> {
  return (await readCertificates(input))[0];
}

/** Every certificate of a PEM file (a leaf followed by its chain, say), or the one DER certificate. */
export async function readCertificates(input: Buffer): Promise<ParsedCertificate[]> {
  const text = input.toString('latin1');
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  // Loaded lazily: the parser lives in the auth library and the CLI needs it only for --cert.
  const { parseCertificate } = await import('@client-cert-auth/core');
  try {
    return (blocks.length > 0 ? blocks : [input]).map((der) => parseCertificate(der));
  } catch (error) {
    throw new RegistryAdminError('INVALID', `not a readable X.509 certificate: ${(error as Error).message}`);
  }
}

/**
 * The key scope a leaf-plus-chain file implies: the SPKI of the certificate in the file that
 * issued the leaf (subject = the leaf's issuer), or `undefined` when the file holds no issuer.
 */
export function issuerKeyOf(certificates: readonly ParsedCertificate[]): string | undefined {
  const [leaf, ...chain] = certificates;
  const issuer = chain.find((ca) => ca.subject.normalized === leaf.issuer.normalized);
  return issuer?.publicKey.sha256.toLowerCase();
}

/**
 * The binding value of `kind` for a certificate. SAN kinds need the certificate to carry exactly
 * one name of that type; with several, the operator must choose one with `--value`.
 */
export function bindingValueFromCertificate(kind: BindingKind, cert: ParsedCertificate): string {
  switch (kind) {
    case 'fingerprint':
      return cert.fingerprintSha256.toLowerCase();
    case 'spki':
      return cert.publicKey.sha256.toLowerCase();
    case 'issuer-serial':
      return issuerSerialKey(cert.issuer.rfc4514, cert.serialNumber);
    case 'subject':
      return normalizeDn(cert.subject.rfc4514);
    case 'spiffe':
      return single(
        kind,
        cert.subjectAltNames.uri.filter((u) => u.toLowerCase().startsWith('spiffe://')),
      );
    case 'san-uri':
      return single(kind, cert.subjectAltNames.uri);
    case 'san-dns':
      return normalizeDnsName(single(kind, cert.subjectAltNames.dns));
    case 'san-email':
      return normalizeEmail(single(kind, cert.subjectAltNames.email));
    default:
      throw new RegistryAdminError('INVALID', `unknown binding kind "${String(kind)}"`);
  }
}

function single(kind: BindingKind, names: readonly string[]): string {
  if (names.length === 1) return names[0];
  if (names.length === 0) throw new RegistryAdminError('INVALID', `the certificate has no name for a ${kind} binding`);
  throw new RegistryAdminError(
    'INVALID',
    `the certificate has ${names.length} ${kind} names (${names.join(', ')}): bind one of them with --value instead of --cert`,
  );
}
