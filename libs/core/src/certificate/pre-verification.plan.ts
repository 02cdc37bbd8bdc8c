import { type KeyPolicy, keyPolicyFault, verificationCost } from './key-policy.check';
import type { ParsedCertificate } from './parsed-certificate';
import type { SignatureEdge } from './signature.pre-verifier';
import type { TrustPoolIndex } from './trust-pool.index';

/**
 * Only keys whose verification costs at least this (key-policy.check.ts units, µs) go to the
 * thread pool: P-256 (100), P-384, P-521, EdDSA and RSA from ~3,200 bits. An RSA-2048 verify
 * (~22 µs measured) costs about what the hop to the pool and back costs the main thread (~15 µs).
 */
export const PRE_VERIFY_MIN_COST = 100;

/**
 * Most edges pre-verified per validation: the leaf's issuer and the forwarded intermediates'
 * of a usual chain, with room for one alternative. A hostile pool (many CAs with one name)
 * gets no more; the path builder's own budget bounds the rest, synchronously.
 */
export const MAX_PRE_VERIFIED_EDGES = 4;

/**
 * The signatures the path builder will almost surely check, in the order it checks them: the
 * leaf's against each candidate issuer (`TrustPoolIndex.issuersOf`: same name, AKI/SKI
 * consistent), then each forwarded certificate's likewise. Edges between two configured
 * certificates are left out (the validator memoizes those for the process), as are keys
 * outside the key policy (the path builder never uses them) and cheap keys.
 */
export function planPreVerification(
  leaf: ParsedCertificate,
  local: ReadonlyMap<string, ParsedCertificate[]>,
  pool: TrustPoolIndex,
  policy: KeyPolicy,
): SignatureEdge[] {
  const edges: SignatureEdge[] = [];
  const add = (child: ParsedCertificate): boolean => {
    for (const issuer of pool.issuersOf(child, local)) {
      if (issuer === child || issuer === leaf) continue;
      if (keyPolicyFault(issuer.publicKey, policy) !== undefined || verificationCost(issuer.publicKey) < PRE_VERIFY_MIN_COST) continue;
      edges.push([child, issuer]);
      if (edges.length === MAX_PRE_VERIFIED_EDGES) return false;
    }
    return true;
  };
  if (!add(leaf)) return edges;
  for (const forwarded of local.values()) for (const child of forwarded) if (!add(child)) return edges;
  return edges;
}
