import { ANY_POLICY } from './policy-extensions.parser';

/**
 * One node of the policy graph: the valid_policy_tree nodes of one depth that share a
 * valid_policy, merged. Their expected_policy_set is the same (it depends only on the policy
 * and the mappings of that depth), so only the set of parents' valid_policy values differs.
 */
interface PolicyNode {
  readonly policy: string;
  /** valid_policy of each parent at the depth above. */
  readonly parents: Set<string>;
  /** expected_policy_set. */
  expected: ReadonlySet<string>;
}

type Level = Map<string, PolicyNode>;

/** Thrown (and turned into a refusal by the caller) when a path's policies would cost too much. */
export class PolicyBudgetExceeded extends Error {}

/**
 * RFC 5280 §6.1's valid_policy_tree, kept as a graph with one node per (depth, valid_policy),
 * as BoringSSL and Go do: the tree itself can grow exponentially with policy mappings
 * (CVE-2023-0464 in OpenSSL), the graph at most by the number of parent links, which a budget
 * caps. Every operation answers what the RFC tree would: whether it is NULL after each
 * certificate, and the final intersection with the user-initial-policy-set (§6.1.5 (g)).
 * Depth 0 is the root anyPolicy node; a NULL tree is an empty deepest level.
 */
export class PolicyGraph {
  private readonly levels: Level[] = [new Map([[ANY_POLICY, { policy: ANY_POLICY, parents: new Set<string>(), expected: new Set([ANY_POLICY]) }]])];

  /** @param links most parent links the graph may hold, over the whole path */
  constructor(private links: number) {}

  get isNull(): boolean {
    return this.levels[this.levels.length - 1].size === 0;
  }

  /** §6.1.3 (e): a certificate without certificatePolicies makes the tree NULL. */
  clear(): void {
    this.levels.push(new Map());
  }

  /**
   * §6.1.3 (d): the next depth from one certificate's policies.
   * @param anyPolicyAllowed inhibit_anyPolicy > 0, or an intermediate that is self-issued
   */
  addCertificate(policies: readonly string[], anyPolicyAllowed: boolean): void {
    const previous = this.levels[this.levels.length - 1];
    const next: Level = new Map();
    this.levels.push(next);
    if (previous.size === 0) return;
    const byExpected = new Map<string, string[]>();
    for (const node of previous.values()) {
      for (const value of node.expected) {
        const list = byExpected.get(value);
        if (list) list.push(node.policy);
        else byExpected.set(value, [node.policy]);
      }
    }
    for (const policy of policies) {
      if (policy === ANY_POLICY) continue;
      // (d)(1)(i) a child under every node that expects it; (ii) else under anyPolicy, if any.
      const parents = byExpected.get(policy) ?? (previous.has(ANY_POLICY) ? [ANY_POLICY] : undefined);
      if (parents) this.link(next, policy, parents, new Set([policy]));
    }
    if (anyPolicyAllowed && policies.includes(ANY_POLICY)) {
      // (d)(2): every expected policy of every node that has no child for it yet gets one.
      for (const node of previous.values()) {
        for (const value of node.expected) this.link(next, value, [node.policy], new Set([value]));
      }
    }
    this.prune(this.levels.length - 2);
  }

  /**
   * §6.1.4 (b): the mappings of the certificate at the deepest level (anyPolicy already refused).
   * @param allowed policy_mapping > 0; otherwise mapped policies are deleted
   */
  applyMappings(mappings: ReadonlyArray<{ readonly issuerDomainPolicy: string; readonly subjectDomainPolicy: string }>, allowed: boolean): void {
    const level = this.levels[this.levels.length - 1];
    if (level.size === 0) return;
    const mapped = new Map<string, Set<string>>();
    for (const { issuerDomainPolicy, subjectDomainPolicy } of mappings) {
      const set = mapped.get(issuerDomainPolicy);
      if (set) set.add(subjectDomainPolicy);
      else mapped.set(issuerDomainPolicy, new Set([subjectDomainPolicy]));
    }
    for (const [issuerDomain, subjectDomains] of mapped) {
      this.spend(subjectDomains.size);
      const node = level.get(issuerDomain);
      if (!allowed) level.delete(issuerDomain);
      else if (node) node.expected = subjectDomains;
      // (b)(1): no node for it, but anyPolicy is there: a node under the anyPolicy above it.
      else if (level.has(ANY_POLICY)) this.link(level, issuerDomain, [ANY_POLICY], subjectDomains);
    }
    if (!allowed) this.prune(this.levels.length - 2);
  }

  /**
   * §6.1.5 (g): whether the intersection of the tree with `acceptable` (the
   * user-initial-policy-set; undefined for any-policy) is not NULL.
   */
  intersects(acceptable: ReadonlySet<string> | undefined): boolean {
    if (this.isNull) return false;
    if (!acceptable) return true;
    const deepest = this.levels[this.levels.length - 1];
    if (deepest.has(ANY_POLICY) && acceptable.size > 0) return true;
    // A node is kept when the first policy other than anyPolicy on its way up (its
    // valid_policy_node_set ancestor) is acceptable, through any of its merged parents.
    let kept = new Set<string>();
    for (let depth = 1; depth < this.levels.length; depth++) {
      const here = new Set<string>();
      for (const node of this.levels[depth].values()) {
        if (node.policy === ANY_POLICY) continue;
        for (const parent of node.parents) {
          if (parent === ANY_POLICY ? acceptable.has(node.policy) : kept.has(parent)) {
            here.add(node.policy);
            break;
          }
        }
      }
      kept = here;
    }
    return kept.size > 0;
  }

  private link(level: Level, policy: string, parents: readonly string[], expected: ReadonlySet<string>): void {
    this.spend(parents.length);
    const node = level.get(policy);
    if (!node) level.set(policy, { policy, parents: new Set(parents), expected });
    else for (const parent of parents) node.parents.add(parent);
  }

  private spend(links: number): void {
    if ((this.links -= links) < 0) throw new PolicyBudgetExceeded('certificate policy processing exceeded its budget');
  }

  /** Deletes childless nodes from `depth` up to the root (§6.1.3 (d)(3), §6.1.4 (b)(2)). */
  private prune(depth: number): void {
    for (let d = depth; d >= 0; d--) {
      const referenced = new Set<string>();
      for (const child of this.levels[d + 1].values()) for (const parent of child.parents) referenced.add(parent);
      const level = this.levels[d];
      let removed = false;
      for (const policy of [...level.keys()]) {
        if (!referenced.has(policy)) {
          level.delete(policy);
          removed = true;
        }
      }
      if (!removed) return;
    }
  }
}
