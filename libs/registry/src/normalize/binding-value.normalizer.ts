import type { BindingKind } from '@client-cert-auth/core';
import { normalizeDn } from './dn.normalizer';

/** Thrown when an operator-supplied binding value cannot be normalized for its kind. */
export class BindingValueError extends Error {
  override readonly name = 'BindingValueError';
}

/**
 * Lowercase hex without separators or leading zero bytes, so `00:A1:b2` and `a1b2` compare
 * equal. Serials are positive (RFC 5280 §4.1.2.2), so dropping the DER sign byte is safe.
 */
export function normalizeSerial(hex: string): string {
  const clean = hex.trim().toLowerCase().replace(/^0x/, '').replace(/[\s:]/g, '');
  if (!/^[0-9a-f]+$/.test(clean)) throw new BindingValueError(`serial "${hex}" is not hex`);
  return clean.replace(/^0+(?=.)/, '');
}

/** Lowercase hex SHA-256 (64 digits), accepting `AB:CD:…` as openssl prints it. */
export function normalizeSha256(hex: string): string {
  const clean = hex
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '')
    .replace(/[\s:]/g, '');
  if (!/^[0-9a-f]{64}$/.test(clean)) throw new BindingValueError(`"${hex}" is not a SHA-256 hex digest`);
  return clean;
}

/** `normalizedIssuerDn|serialhex`: the key of an issuer+serial binding or deny-list entry. */
export function issuerSerialKey(issuer: string, serial: string): string {
  return `${normalizeDn(issuer)}|${normalizeSerial(serial)}`;
}

/** DNS names compare case-insensitively and without the root dot. */
export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The domain part of a mailbox is case-insensitive; the local part is not (RFC 5321 §2.4), so
 * only the domain is folded — two mailboxes differing in local-part case stay distinct.
 */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  return at < 0 ? trimmed : trimmed.slice(0, at) + trimmed.slice(at).toLowerCase();
}

/**
 * Normalizes a raw binding value typed by an operator (CLI, admin API) into the stored form.
 * `issuer-serial` takes `ISSUER_DN|SERIAL_HEX`. URIs and SPIFFE IDs compare exactly, since their
 * paths are case-sensitive.
 * @example normalizeBindingValue('fingerprint', 'AB:CD:…') // 'abcd…'
 */
export function normalizeBindingValue(kind: BindingKind, raw: string): string {
  switch (kind) {
    case 'fingerprint':
    case 'spki':
      return normalizeSha256(raw);
    case 'issuer-serial': {
      const bar = raw.lastIndexOf('|');
      if (bar < 0) throw new BindingValueError('issuer-serial value must be "ISSUER_DN|SERIAL_HEX"');
      return issuerSerialKey(raw.slice(0, bar), raw.slice(bar + 1));
    }
    case 'spiffe':
    case 'san-uri':
      if (raw.trim() === '') throw new BindingValueError(`empty ${kind} value`);
      return raw.trim();
    case 'san-dns':
      return normalizeDnsName(raw);
    case 'san-email':
      return normalizeEmail(raw);
    case 'subject':
      return normalizeDn(raw);
    default:
      throw new BindingValueError(`unknown binding kind "${String(kind)}"`);
  }
}

/** Binding kinds that name a certificate's key or bytes: no CA can issue a match without the client's key. */
export const KEY_BOUND_KINDS: readonly BindingKind[] = ['fingerprint', 'spki'];

/**
 * An issuer scope is one of:
 * - `spki:<hex>`: the SHA-256 of the SubjectPublicKeyInfo of the CA that issued the leaf, or of
 *   the trust anchor that ended its path. The key, not a name: the recommended form.
 * - `sha256:<hex>`: the fingerprint of a CA certificate in the validated path.
 * - an issuer DN (stored normalized): names only, which any trusted CA can copy; start-up
 *   checks flag it (rule `binding-scoped-by-name`).
 * - empty: any issuer (flagged the same way for name-based kinds).
 */
export function normalizeIssuerScope(scope: string | undefined | null): string {
  if (scope === undefined || scope === null || scope.trim() === '') return '';
  const trimmed = scope.trim();
  if (/^spki:/i.test(trimmed)) return spkiScope(trimmed.slice(5));
  if (/^sha256:/i.test(trimmed)) return `sha256:${normalizeSha256(trimmed)}`;
  return normalizeDn(trimmed);
}

/** The scope naming a CA by its key: `spki:<lowercase hex SHA-256 of its SubjectPublicKeyInfo>`. */
export function spkiScope(hex: string): string {
  return `spki:${normalizeSha256(hex)}`;
}

/** True when a scope ties a binding to a CA key or certificate (not a name, not "any"). */
export function isKeyScope(scope: string): boolean {
  return scope.startsWith('spki:') || scope.startsWith('sha256:');
}
