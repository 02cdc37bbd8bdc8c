import type { ParsedCertificate } from './parsed-certificate';
import {
  type CertificateRole,
  type PathFailure,
  type ProfilePolicy,
  checkAlgorithms,
  checkIssuerEku,
  checkIssuerRole,
  checkLeafRole,
  checkStructure,
  checkValidity,
  describe,
  failure,
} from './certificate-profile.check';
import { type WorkBudget, checkNameConstraints } from './name-constraints.check';
import { checkPolicies } from './policy.check';

function roleOf(index: number, length: number): CertificateRole {
  return index === 0 ? 'leaf' : index === length - 1 ? 'trust anchor' : 'intermediate';
}

/** pathLenConstraint: non-self-issued intermediates below each CA (the leaf does not count). */
function checkPathLength(path: readonly ParsedCertificate[]): PathFailure | undefined {
  for (let k = path.length - 1; k >= 1; k--) {
    const limit = path[k].basicConstraints?.pathLen;
    if (limit === undefined) continue;
    let below = 0;
    for (let j = 1; j < k; j++) if (!path[j].selfIssued) below++;
    if (below > limit) {
      return failure(
        'CERT_POLICY',
        `${describe(path[k], roleOf(k, path.length))} allows ${limit} intermediate(s) below it (pathLenConstraint) but the path has ${below}`,
      );
    }
  }
  return undefined;
}

/**
 * Runs every RFC 5280 §6.1 check on one complete candidate path (leaf first, trust anchor
 * last; signatures already verified). Checks go from the most specific verdict to the most
 * general, so an expired leaf reports CERT_EXPIRED rather than some later policy detail.
 */
/**
 * Memo of the time-independent checks of configured certificates (anchors, intermediates),
 * per role: they are the same on every request. `null` records a pass.
 */
export type StaticCheckMemo = Map<string, PathFailure | null>;

/** The memo and the certificates it may hold (forwarded certificates are never memoized). */
export interface StaticChecks {
  readonly memo: WeakMap<ParsedCertificate, StaticCheckMemo>;
  readonly configured: ReadonlySet<ParsedCertificate>;
}

function runStatic(cert: ParsedCertificate, index: number, role: CertificateRole, policy: ProfilePolicy): PathFailure | undefined {
  return (
    checkStructure(cert, role) ??
    checkAlgorithms(cert, role, policy) ??
    (index > 0 ? (checkIssuerRole(cert, role) ?? checkIssuerEku(cert, role, policy.requiredEku)) : undefined)
  );
}

function staticChecks(cert: ParsedCertificate, index: number, role: CertificateRole, policy: ProfilePolicy, statics?: StaticChecks): PathFailure | undefined {
  if (!statics || index === 0 || !statics.configured.has(cert)) return runStatic(cert, index, role, policy);
  const memo = statics.memo;
  const perCert = memo.get(cert);
  const key = policy.memoKey === undefined ? role : `${role}|${policy.memoKey}`;
  const known = perCert?.get(key);
  if (known !== undefined) return known ?? undefined;
  const result = runStatic(cert, index, role, policy);
  if (perCert) perCert.set(key, result ?? null);
  else memo.set(cert, new Map([[key, result ?? null]]));
  return result;
}

export function checkPath(path: readonly ParsedCertificate[], policy: ProfilePolicy, budget: WorkBudget, statics?: StaticChecks): PathFailure | undefined {
  const n = path.length;
  for (let i = 0; i < n; i++) {
    const bad = checkValidity(path[i], roleOf(i, n), policy);
    if (bad) return bad;
  }
  const leafBad = checkLeafRole(path[0], policy);
  if (leafBad) return leafBad;
  for (let i = 0; i < n; i++) {
    const bad = staticChecks(path[i], i, roleOf(i, n), policy, statics);
    if (bad) return bad;
  }
  return checkPathLength(path) ?? checkNameConstraints(path, budget) ?? checkPolicies(path, policy.certificatePolicies);
}
