import type { Asn1 } from './asn1.reader';
import { parseDistinguishedName } from './distinguished-name.parser';
import type { DistinguishedName, ParsedCertificate } from './parsed-certificate';
import { signatureAlgorithmName } from './signature-algorithm.names';

/**
 * Names by their DER: the leaves of one CA all carry the same issuer Name, and the certificates
 * of one client (renewals, rotated SVIDs, short-lived certificates) the same subject Name, so
 * each is decoded once and the (immutable) result shared, which also keeps one copy in memory
 * and lets what is derived from a Name be memoized on it (principal.factory.ts). One table for
 * both roles: a Name's decoding does not depend on its role (`what` only names errors, and a
 * Name that failed to decode is never stored). Bounded: cleared when full, so hostile input
 * cannot grow it.
 */
const NAMES = new Map<string, DistinguishedName>();
const MAX_NAMES = 1024;

/** The issuer or subject Name at `node` of `der`, decoded once per distinct encoding. */
export function sharedName(node: Asn1, der: Buffer, what: 'issuer' | 'subject'): DistinguishedName {
  const key = der.toString('latin1', node.start, node.end);
  const known = NAMES.get(key);
  if (known) return known;
  // A copy of the bytes, so that a shared Name does not pin the first certificate's DER.
  const name = parseDistinguishedName(node, Buffer.from(der.subarray(node.start, node.end)), what);
  if (NAMES.size >= MAX_NAMES) NAMES.clear();
  NAMES.set(key, name);
  return name;
}

/** Parameter-less signature algorithms (ECDSA, Ed25519) are the same immutable object for every certificate. */
const ALGORITHMS = new Map<string, ParsedCertificate['signatureAlgorithm']>();

export function sharedAlgorithm(oid: string): ParsedCertificate['signatureAlgorithm'] {
  let algorithm = ALGORITHMS.get(oid);
  if (!algorithm) {
    algorithm = Object.freeze({ oid, name: signatureAlgorithmName(oid), parameters: undefined });
    if (ALGORITHMS.size < 256) ALGORITHMS.set(oid, algorithm);
  }
  return algorithm;
}
