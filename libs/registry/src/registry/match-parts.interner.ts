import type { ClientAccount, MatchedBinding } from '@client-cert-auth/core';

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

  /** The shared object equal to `account` (it becomes the shared one if none is). */
  account(account: ClientAccount): ClientAccount {
    const known = this.accounts.get(account.id);
    if (known !== undefined && sameAccount(known, account)) return known;
    remember(this.accounts, account.id, account);
    return account;
  }

  /** The shared object equal to `binding` (it becomes the shared one if none is). */
  binding(binding: MatchedBinding): MatchedBinding {
    const known = this.bindings.get(binding.id);
    if (known !== undefined && known.kind === binding.kind && known.value === binding.value) return known;
    remember(this.bindings, binding.id, binding);
    return binding;
  }
}

function sameAccount(a: ClientAccount, b: ClientAccount): boolean {
  return a.name === b.name && a.status === b.status && a.roles.length === b.roles.length && a.roles.every((role, i) => role === b.roles[i]);
}

function remember<T>(table: Map<string, T>, id: string, value: T): void {
  if (table.size >= MAX_PARTS && !table.has(id)) table.clear();
  table.set(id, value);
}
