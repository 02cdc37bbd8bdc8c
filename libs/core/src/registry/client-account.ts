/** An API client account as the registry stores it. */
export interface ClientAccount {
  readonly id: string;
  readonly name: string;
  readonly status: 'active' | 'disabled';
  readonly roles: readonly string[];
}

/**
 * Kinds of identity bindings, strongest first. The registry evaluates them in this order;
 * the principal records which one matched.
 */
export const BINDING_KINDS = ['fingerprint', 'spki', 'issuer-serial', 'spiffe', 'san-uri', 'san-dns', 'san-email', 'subject'] as const;

export type BindingKind = (typeof BINDING_KINDS)[number];

/** Which binding connected a certificate to its account. */
export interface MatchedBinding {
  readonly id: string;
  readonly kind: BindingKind;
  readonly value: string;
}

export interface RegistryMatch {
  readonly account: ClientAccount;
  readonly binding: MatchedBinding;
}
