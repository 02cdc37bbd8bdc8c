import type { ClientAccount, MatchedBinding } from '@client-cert-auth/core';
import { toClientAccount, toMatchedBinding } from './binding.matcher';
import type { CandidateRow } from './candidate.reader';

/** Distinct accounts and bindings remembered; past it the table starts over (no growth, only less sharing). */
const MAX_PARTS = 4096;

/**
 * Shares one frozen account and one binding object between the matches of every certificate
 * bound through them. Each certificate's match is loaded by its own query, so without this
 * 10,000 SVIDs of one workload (rotated hourly, one per pod) would keep 10,000 equal copies of
 * the same account and binding in the caches (the registry's and the core's warm path). A part
 * is shared only when every field is equal, so a changed row (renamed, disabled, new roles) gets
 * its new object; the match object itself stays one per certificate (last-seen and horizons are
 * keyed by it).
 */
export class MatchPartsInterner {
  private readonly accounts = new Map<string, ClientAccount>();
  private readonly bindings = new Map<string, MatchedBinding>();

  /** After an invalidation every row may have changed: start over. */
  clear(): void {
    this.accounts.clear();
    this.bindings.clear();
  }

  /**
   * The shared account equal to a candidate row's; built (and shared from then on) only when
   * there is none: a never-seen certificate of a known client allocates no account.
   */
  accountOf(row: CandidateRow['account']): ClientAccount {
    const known = this.accounts.get(row.id);
    if (known !== undefined && sameAccount(known, row)) return known;
    const account = toClientAccount(row);
    remember(this.accounts, account.id, account);
    return account;
  }

  /** The shared binding equal to a candidate row's; built only when there is none. */
  bindingOf(row: CandidateRow): MatchedBinding {
    const known = this.bindings.get(row.id);
    if (known !== undefined && known.kind === row.kind && known.value === row.value) return known;
    const binding = toMatchedBinding(row);
    remember(this.bindings, binding.id, binding);
    return binding;
  }
}

function sameAccount(known: ClientAccount, row: CandidateRow['account']): boolean {
  if (known.name !== row.name || known.status !== row.status) return false;
  const roles = row.roles ?? [];
  if (known.roles.length !== roles.length) return false;
  for (let i = 0; i < roles.length; i++) if (known.roles[i] !== roles[i]) return false;
  return true;
}

function remember<T>(table: Map<string, T>, id: string, value: T): void {
  if (table.size >= MAX_PARTS && !table.has(id)) table.clear();
  table.set(id, value);
}
