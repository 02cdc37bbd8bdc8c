import type { ClientCertPrincipal } from '@client-cert-auth/core';
import type { BindingKind } from '@client-cert-auth/core';
import { normalizeDn } from './dn.normalizer';
import { issuerSerialKey, normalizeDnsName, normalizeEmail, normalizeSerial } from './binding-value.normalizer';

/** One `(kind, value)` pair a principal could be bound by. */
export interface BindingKey {
  readonly kind: BindingKind;
  readonly value: string;
}

/** What issuer scopes a principal satisfies: its issuer DN, the CA certificates of its path, the keys of its issuer and anchor. */
export interface PrincipalScope {
  readonly issuer: string;
  readonly caFingerprints: ReadonlySet<string>;
  /** SPKI SHA-256 of the issuing CA and of the trust anchor. */
  readonly caKeys: ReadonlySet<string>;
}

/**
 * Every binding key a principal could match, in normalized form, so one `IN (...)` query finds
 * all candidate bindings at once. Duplicates are removed; order is irrelevant to the query.
 */
export function principalBindingKeys(principal: ClientCertPrincipal): BindingKey[] {
  const keys: BindingKey[] = [
    { kind: 'fingerprint', value: principal.fingerprintSha256.toLowerCase() },
    { kind: 'spki', value: principal.spkiSha256.toLowerCase() },
  ];
  // A DN our normalizer cannot read only loses the DN-based keys: the pins still match, and
  // nothing can match by a key we could not compute (fails closed, never open).
  tryPush(keys, 'issuer-serial', () => issuerSerialKey(principal.issuer, principal.serialNumber));
  tryPush(keys, 'subject', () => normalizeDn(principal.subject));
  if (principal.spiffeId) keys.push({ kind: 'spiffe', value: principal.spiffeId });
  for (const uri of principal.san.uri) keys.push({ kind: 'san-uri', value: uri });
  for (const dns of principal.san.dns) keys.push({ kind: 'san-dns', value: normalizeDnsName(dns) });
  for (const email of principal.san.email) keys.push({ kind: 'san-email', value: normalizeEmail(email) });
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.kind}\u0000${k.value}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

function tryPush(keys: BindingKey[], kind: BindingKind, value: () => string): void {
  try {
    keys.push({ kind, value: value() });
  } catch {
    /* see principalBindingKeys */
  }
}

/** The scope facts of a principal; CA fingerprints exclude the leaf itself. */
export function principalScope(principal: ClientCertPrincipal): PrincipalScope {
  return {
    issuer: safeNormalizeDn(principal.issuer),
    caFingerprints: new Set(principal.chainFingerprints.slice(1).map((f) => f.toLowerCase())),
    caKeys: new Set([principal.issuerSpkiSha256, principal.anchorSpkiSha256].filter((k) => typeof k === 'string').map((k) => k.toLowerCase())),
  };
}

/** The deny-list keys of a certificate: its fingerprint and its issuer+serial. */
export function denyKeys(cert: { fingerprintSha256: string; issuer: string; serialNumber: string }): BindingKey[] {
  return [
    { kind: 'fingerprint', value: cert.fingerprintSha256.toLowerCase() },
    { kind: 'issuer-serial', value: `${normalizeDn(cert.issuer)}|${normalizeSerial(cert.serialNumber)}` },
  ];
}

function safeNormalizeDn(dn: string): string {
  try {
    return normalizeDn(dn);
  } catch {
    return '\u0000unparsable'; // matches no stored scope
  }
}
