import type { BindingKind } from '@client-cert-auth/core';
import type { AccountStatus } from '../entities/account.entity';
import type { BindingKey } from '../normalize/principal.keys';

/** A binding a principal could match, with the account fields matching needs. */
export interface CandidateRow {
  readonly id: string;
  /** As stored: a kind this release does not know is ignored by matching. */
  readonly kind: BindingKind;
  readonly value: string;
  readonly issuerScope: string;
  readonly notBefore: Date | null;
  readonly notAfter: Date | null;
  readonly account: {
    readonly id: string;
    readonly name: string;
    readonly status: AccountStatus;
    readonly roles: readonly string[] | null;
  };
}

/** The deny-list answer and the binding candidates of one certificate, read together. */
export interface CandidateLookup {
  readonly denied: boolean;
  readonly rows: CandidateRow[];
}

/**
 * The registry's request-path reads. Implementations: raw prepared statements on better-sqlite3
 * and pg (request-path/), and the TypeORM query builder for any other driver (candidate.query.ts).
 */
export interface CandidateReader {
  /** Every binding whose `(kind, value)` is among `keys`, with its account. */
  bindings(keys: readonly BindingKey[]): Promise<CandidateRow[]>;
  /** True when any of `keys` is on the deny-list. */
  denied(keys: readonly BindingKey[]): Promise<boolean>;
  /**
   * Both reads at once (one round trip on PostgreSQL), or `undefined` when this reader cannot do
   * better than the two calls above (then the registry keeps them separate).
   */
  readonly lookup?: (bindingKeys: readonly BindingKey[], denyKeys: readonly BindingKey[]) => Promise<CandidateLookup>;
}
