import type { ParsedCertificate } from './parsed-certificate';
import { type PathFailure, describe, failure } from './certificate-profile.check';
import { ANY_POLICY } from './policy-extensions.parser';
import { PolicyBudgetExceeded, PolicyGraph } from './policy-tree';

/** The policy inputs of RFC 5280 §6.1.1 (c)-(f). */
export interface PolicySettings {
  /** user-initial-policy-set; undefined is any-policy. */
  readonly acceptable?: ReadonlySet<string>;
  /** initial-explicit-policy. */
  readonly requireExplicit: boolean;
  /** initial-policy-mapping-inhibit. */
  readonly inhibitMapping: boolean;
  /** initial-any-policy-inhibit. */
  readonly inhibitAnyPolicy: boolean;
}

/** RFC 5280's defaults: any policy, nothing required or inhibited (what OpenSSL and browsers use). */
export const DEFAULT_POLICY_SETTINGS: PolicySettings = Object.freeze({ requireExplicit: false, inhibitMapping: false, inhibitAnyPolicy: false });

/** Parent links the policy graph may hold for one path: far above any real PKI, far below a slow check. */
const MAX_POLICY_LINKS = 4_096;

/**
 * Whether the policy result can only be "valid": nothing requires an explicit policy and
 * nothing maps policies, so the tree's content cannot change the verdict (§6.1.5: explicit_policy
 * stays above 0). Most paths carry no policy extensions at all and stop here.
 */
function cannotFail(path: readonly ParsedCertificate[], settings: PolicySettings): boolean {
  if (settings.requireExplicit) return false;
  for (let i = 0; i < path.length - 1; i++) {
    const ext = path[i].policyExtensions;
    if (ext && (ext.requireExplicitPolicy !== undefined || (i > 0 && ext.mappings))) return false;
  }
  return true;
}

/**
 * Certificate policy processing, RFC 5280 §6.1.3 (d)-(f), §6.1.4 (a), (b), (h)-(j) and §6.1.5
 * (a), (b), (g), over a complete path (leaf first, trust anchor last; the anchor's own
 * extensions are not processed, as the RFC has it). Refuses (CERT_POLICY) a path on which no
 * policy is valid where one is required (requireExplicitPolicy, or `settings`), and a
 * certificate that maps anyPolicy.
 */
export function checkPolicies(path: readonly ParsedCertificate[], settings: PolicySettings = DEFAULT_POLICY_SETTINGS): PathFailure | undefined {
  if (cannotFail(path, settings)) return undefined;
  const n = path.length - 1; // RFC numbering: certificate 1 is issued by the anchor, n is the leaf
  let explicitPolicy = settings.requireExplicit ? 0 : n + 1;
  let inhibitAnyPolicy = settings.inhibitAnyPolicy ? 0 : n + 1;
  let policyMapping = settings.inhibitMapping ? 0 : n + 1;
  const graph = new PolicyGraph(MAX_POLICY_LINKS);
  const role = (i: number) => (i === n ? 'leaf' : 'intermediate');
  try {
    for (let i = 1; i <= n; i++) {
      const cert = path[n - i];
      const ext = cert.policyExtensions;
      const intermediate = i < n;
      if (!ext?.policies) graph.clear();
      else if (!graph.isNull) graph.addCertificate(ext.policies, inhibitAnyPolicy > 0 || (intermediate && cert.selfIssued));
      if (explicitPolicy <= 0 && graph.isNull) {
        return failure(
          'CERT_POLICY',
          `${describe(cert, role(i))} leaves no valid certificate policy on the path, but an explicit policy is required (policyConstraints requireExplicitPolicy)`,
        );
      }
      if (!intermediate) break;
      if (ext?.mappings) {
        if (ext.mappings.some((m) => m.issuerDomainPolicy === ANY_POLICY || m.subjectDomainPolicy === ANY_POLICY)) {
          return failure('CERT_POLICY', `${describe(cert, 'intermediate')} maps anyPolicy in policyMappings (RFC 5280 §6.1.4 (a))`);
        }
        graph.applyMappings(ext.mappings, policyMapping > 0);
      }
      if (!cert.selfIssued) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (policyMapping > 0) policyMapping--;
        if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
      }
      if (ext?.requireExplicitPolicy !== undefined) explicitPolicy = Math.min(explicitPolicy, ext.requireExplicitPolicy);
      if (ext?.inhibitPolicyMapping !== undefined) policyMapping = Math.min(policyMapping, ext.inhibitPolicyMapping);
      if (ext?.inhibitAnyPolicy !== undefined) inhibitAnyPolicy = Math.min(inhibitAnyPolicy, ext.inhibitAnyPolicy);
    }
    if (explicitPolicy > 0) explicitPolicy--;
    if (path[0].policyExtensions?.requireExplicitPolicy === 0) explicitPolicy = 0;
    if (explicitPolicy > 0 || graph.intersects(settings.acceptable)) return undefined;
    return failure(
      'CERT_POLICY',
      `no certificate policy${settings.acceptable ? ' among those required' : ''} is valid for the path of ${describe(path[0], 'leaf')}, but an explicit policy is required`,
    );
  } catch (error) {
    if (error instanceof PolicyBudgetExceeded) return failure('CERT_POLICY', `${describe(path[0], 'leaf')}: ${error.message}`);
    throw error;
  }
}
