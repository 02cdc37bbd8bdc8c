import type { BindingKind } from '@client-cert-auth/core';
import type { AccountStatus } from '../entities/account.entity';

/** An account as the admin service reports it. */
export interface AccountView {
  readonly id: string;
  readonly name: string;
  readonly status: AccountStatus;
  readonly roles: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastSeenAt: string | null;
  readonly bindings?: readonly BindingView[];
}

/** A binding as the admin service reports it. */
export interface BindingView {
  readonly id: string;
  readonly account: string;
  readonly kind: BindingKind;
  readonly value: string;
  /** '' = any issuer; `spki:<hex>`, `sha256:<hex>` or an issuer DN otherwise. */
  readonly issuerScope: string;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly createdAt: string;
  /**
   * The certificate last seen under this binding (as of the last last-seen flush), or `null`
   * when none has been since this release: what `accounts list --expiring` reads.
   */
  readonly lastCertificate: LastCertificateView | null;
}

/** The certificate a binding last matched. */
export interface LastCertificateView {
  /** SHA-256 of the DER, lowercase hex (what a `fingerprint` binding or `deny --fingerprint` takes). */
  readonly fingerprintSha256: string;
  /** ISO-8601. */
  readonly notAfter: string;
}

/** A deny-list entry as reported. */
export interface DeniedView {
  readonly id: string;
  readonly kind: 'fingerprint' | 'issuer-serial';
  readonly value: string;
  readonly reason: string;
  readonly createdAt: string;
}

/** Input of `bind`: exactly one of `value` (raw, normalized for the kind) or `certificate` (PEM or DER). */
export interface BindInput {
  readonly account: string;
  readonly kind: BindingKind;
  readonly value?: string;
  readonly certificate?: Buffer;
  /**
   * The issuer scope as text: `spki:<hex>` (a CA key), `sha256:<hex>` (a CA certificate in the
   * path) or an issuer DN (names only: flagged at start-up). At most one of `issuer`,
   * `issuerSpki` and `issuerCertificate`.
   */
  readonly issuer?: string;
  /** SHA-256 (hex) of the SubjectPublicKeyInfo of the issuing CA or the trust anchor. */
  readonly issuerSpki?: string;
  /** The issuing CA's or trust anchor's certificate (PEM or DER): the scope is its key. */
  readonly issuerCertificate?: Buffer;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** Names a binding to remove: by id, or by kind + value (+ scope). */
export type UnbindInput =
  | { readonly id: string }
  | { readonly kind: BindingKind; readonly value?: string; readonly certificate?: Buffer; readonly issuer?: string; readonly account?: string };

/** Names a certificate for the deny-list. */
export type DenyTarget = { readonly fingerprint: string } | { readonly issuer: string; readonly serial: string } | { readonly certificate: Buffer };
