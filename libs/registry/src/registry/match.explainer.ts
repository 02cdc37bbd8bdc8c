import type { DataSource } from 'typeorm';
import type { BindingKind, ClientCertPrincipal } from '@client-cert-auth/core';
import { BindingEntity } from '../entities/binding.entity';
import { type BindingKey, principalBindingKeys, principalScope } from '../normalize/principal.keys';
import { scopeMatches, windowContains } from './binding.matcher';
import { CandidateQuery } from './candidate.query';

/** Why a binding that looks like the certificate's did not match it. */
export type CandidateMismatch = 'issuer-scope-differs' | 'outside-rotation-window' | 'value-differs';

/** A binding near the certificate, with the reason it did not match. */
export interface BindingCandidate {
  readonly account: string;
  readonly accountStatus: 'active' | 'disabled';
  readonly bindingId: string;
  readonly kind: BindingKind;
  readonly value: string;
  /** The certificate's own (normalized) value of this kind, to compare with `value`. */
  readonly certificateValue: string;
  readonly issuerScope?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly why: CandidateMismatch;
}

/** What `explainRegistryMatch` found beside the registry's own answer. */
export interface RegistryMatchExplanation {
  /** Every `(kind, value)` the certificate could be bound by, as the registry looks them up. */
  readonly keys: readonly BindingKey[];
  /** Nearest bindings that did not match, closest first. */
  readonly candidates: readonly BindingCandidate[];
}

/** Hex pins of other certificates are never "near" one another: only exact keys say anything there. */
const FUZZY_KINDS = new Set<BindingKind>(['issuer-serial', 'spiffe', 'san-uri', 'san-dns', 'san-email', 'subject']);
const ROWS_PER_KIND = 2000;
const MIN_SIMILARITY = 0.5;

/**
 * For an operator asking "why was this certificate not matched?" (`client-cert-auth inspect
 * --database`): the bindings with the certificate's exact `(kind, value)` that its issuer scope or
 * rotation window excluded, then bindings of the same kinds whose value is close to the
 * certificate's (edit distance), e.g. a sibling service's SAN URI or the previous certificate's
 * issuer+serial. Reads the same normalized keys as the registry; not for the request path.
 *
 * @example const { candidates } = await explainRegistryMatch(handle.dataSource, principal, new Date());
 */
export async function explainRegistryMatch(dataSource: DataSource, principal: ClientCertPrincipal, at: Date, limit = 5): Promise<RegistryMatchExplanation> {
  const keys = principalBindingKeys(principal);
  const scope = principalScope(principal);
  const exact: BindingCandidate[] = [];
  for (const row of await new CandidateQuery(dataSource).bindings(keys)) {
    const why = !scopeMatches(row.issuerScope, scope) ? 'issuer-scope-differs' : !windowContains(row, at) ? 'outside-rotation-window' : undefined;
    if (why) exact.push(candidate(row, row.value, why));
  }

  const near: Array<{ score: number; candidate: BindingCandidate }> = [];
  const byKind = new Map<BindingKind, string[]>();
  for (const key of keys) if (FUZZY_KINDS.has(key.kind)) byKind.set(key.kind, [...(byKind.get(key.kind) ?? []), key.value]);
  for (const [kind, values] of byKind) {
    const rows = await dataSource.getRepository(BindingEntity).find({ where: { kind }, relations: { account: true }, take: ROWS_PER_KIND });
    for (const row of rows) {
      if (values.includes(row.value)) continue; // exact keys are above
      const [score, closest] = values.map((v) => [similarity(row.value, v), v] as const).sort((a, b) => b[0] - a[0])[0];
      if (score >= MIN_SIMILARITY) near.push({ score, candidate: candidate(row, closest, 'value-differs') });
    }
  }
  near.sort((a, b) => b.score - a.score);
  return { keys, candidates: [...exact, ...near.map((n) => n.candidate)].slice(0, limit) };
}

function candidate(row: BindingEntity, certificateValue: string, why: CandidateMismatch): BindingCandidate {
  return {
    account: row.account.name,
    accountStatus: row.account.status,
    bindingId: row.id,
    kind: row.kind,
    value: row.value,
    certificateValue,
    ...(row.issuerScope ? { issuerScope: row.issuerScope } : {}),
    ...(row.notBefore ? { notBefore: row.notBefore.toISOString() } : {}),
    ...(row.notAfter ? { notAfter: row.notAfter.toISOString() } : {}),
    why,
  };
}

/** 1 - Levenshtein distance / longer length: 1 for equal strings, 0 for nothing in common. */
function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return 1 - previous[b.length] / longer;
}
