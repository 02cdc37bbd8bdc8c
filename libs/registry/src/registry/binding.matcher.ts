import { BINDING_KINDS, type ClientAccount, type MatchedBinding, type RegistryMatch } from '@client-cert-auth/core';
import type { BindingEntity } from '../entities/binding.entity';
import type { CandidateRow } from './candidate.reader';
import type { PrincipalScope } from '../normalize/principal.keys';

/**
 * How ambiguity is judged.
 * - `any-level` (default): two different accounts matching the certificate by ANY valid
 *   bindings is `IDENTITY_AMBIGUOUS`. The issue says "two accounts matching one certificate is
 *   an error"; a stronger pin silently overriding someone else's weaker binding would hide a
 *   mis-enrolment, so we fail closed. The order of kinds then decides only which of the single
 *   account's bindings is reported.
 * - `strongest-level`: only the strongest matching kind counts (a fingerprint pin overrides a
 *   subject-DN binding of another account); ambiguity only among bindings of that kind.
 */
export type AmbiguityPolicy = 'any-level' | 'strongest-level';

/** The outcome of matching candidate rows against one principal at one instant. */
export type MatchOutcome =
  | { readonly type: 'match'; readonly match: RegistryMatch }
  | { readonly type: 'none' }
  | { readonly type: 'ambiguous'; readonly accounts: readonly string[]; readonly kind: string };

const RANK = new Map<string, number>(BINDING_KINDS.map((kind, index) => [kind, index]));

/** True when the binding's issuer scope (if any) is satisfied by the principal. */
export function scopeMatches(scope: string, principal: PrincipalScope): boolean {
  if (scope === '') return true;
  if (scope.startsWith('spki:')) return principal.caKeys.has(scope.slice(5));
  if (scope.startsWith('sha256:')) return principal.caFingerprints.has(scope.slice(7));
  return scope === principal.issuer;
}

/** True when `at` lies in the binding's rotation window `[notBefore, notAfter)`. */
export function windowContains(binding: Pick<BindingEntity, 'notBefore' | 'notAfter'>, at: Date): boolean {
  const t = at.getTime();
  if (binding.notBefore && t < binding.notBefore.getTime()) return false;
  if (binding.notAfter && t >= binding.notAfter.getTime()) return false;
  return true;
}

/** Which candidate row decides, before any account or binding object is built for it. */
export type RowOutcome =
  | { readonly type: 'row'; readonly row: CandidateRow }
  | { readonly type: 'none' }
  | { readonly type: 'ambiguous'; readonly accounts: readonly string[]; readonly kind: string };

/**
 * Picks the account among candidate rows (all kinds, fetched by one query): drops rows whose
 * scope or window does not apply, then takes the strongest kind in BINDING_KINDS order.
 */
export function pickRow(rows: readonly CandidateRow[], scope: PrincipalScope, at: Date, policy: AmbiguityPolicy): RowOutcome {
  const applies = (row: CandidateRow) => RANK.has(row.kind) && scopeMatches(row.issuerScope, scope) && windowContains(row, at);
  // One candidate (a never-seen certificate bound by one shared key): nothing to rank or compare.
  if (rows.length === 1) return applies(rows[0]) ? { type: 'row', row: rows[0] } : NONE;
  const valid = rows.filter(applies).sort((a, b) => RANK.get(a.kind)! - RANK.get(b.kind)! || compare(a.id, b.id));
  if (valid.length === 0) return NONE;
  const strongest = valid[0];
  const contenders = policy === 'any-level' ? valid : valid.filter((row) => row.kind === strongest.kind);
  const accounts = [...new Set(contenders.map((row) => row.account.name))].sort();
  if (accounts.length > 1) return { type: 'ambiguous', accounts, kind: strongest.kind };
  return { type: 'row', row: strongest };
}

const NONE = { type: 'none' } as const;

/**
 * The next instant at which a row's window opens or closes: a cached answer must not outlive it.
 * `undefined` when no row has a future boundary.
 */
export function nextWindowBoundary(rows: readonly CandidateRow[], at: Date): number | undefined {
  let next: number | undefined;
  const now = at.getTime();
  const consider = (edge: Date | null) => {
    const t = edge?.getTime();
    if (t !== undefined && t > now && (next === undefined || t < next)) next = t;
  };
  for (const row of rows) {
    if (row.notBefore) consider(row.notBefore);
    if (row.notAfter) consider(row.notAfter);
  }
  return next;
}

/** The frozen account of a row (its roles copied: the row's array stays the reader's). */
export function toClientAccount(a: CandidateRow['account']): ClientAccount {
  return Object.freeze({ id: a.id, name: a.name, status: a.status, roles: Object.freeze([...(a.roles ?? [])]) });
}

/** The binding of a row, as a match reports it. */
export function toMatchedBinding(row: CandidateRow): MatchedBinding {
  return { id: row.id, kind: row.kind, value: row.value };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
