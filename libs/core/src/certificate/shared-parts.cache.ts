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
 *
 * A Name is stored from its second sighting on: one kept on its first would make every
 * certificate of a never-seen client (a fleet of devices, a flood of distinct subjects) keep its
 * decoded Name past the next garbage collections, which cost more than decoding it (stored at
 * once, parsing distinct subjects measured slower than not sharing at all:
 * bench/micro/shared-names.bench.ts). A first sighting costs a hash of the key and a small
 * integer in `SEEN_ONCE`.
 */
const NAMES = new Map<string, DistinguishedName>();
const MAX_NAMES = 1024;
/** Hashes of the Names decoded once and not stored (a collision only stores a Name early). */
const SEEN_ONCE = new Set<number>();
const MAX_SEEN_ONCE = 4096;

/** The issuer or subject Name at `node` of `der`, decoded once per distinct encoding seen twice. */
export function sharedName(node: Asn1, der: Buffer, what: 'issuer' | 'subject'): DistinguishedName {
  const key = der.toString('latin1', node.start, node.end);
  const known = NAMES.get(key);
  if (known) return known;
  const hash = fnv1a(key);
  if (!SEEN_ONCE.has(hash)) {
    if (SEEN_ONCE.size >= MAX_SEEN_ONCE) SEEN_ONCE.clear();
    SEEN_ONCE.add(hash);
    return parseDistinguishedName(node, der.subarray(node.start, node.end), what);
  }
  SEEN_ONCE.delete(hash);
  // A copy of the bytes, so that a shared Name does not pin the certificate's DER.
  const name = parseDistinguishedName(node, Buffer.from(der.subarray(node.start, node.end)), what);
  if (NAMES.size >= MAX_NAMES) NAMES.clear();
  NAMES.set(key, name);
  STORED.add(name);
  return name;
}

/** The Names `sharedName` stored: every certificate that carries one of them holds that very object. */
const STORED = new WeakSet<DistinguishedName>();

/** Whether `name` is shared between certificates (worth memoizing what is derived from it). */
export function isSharedName(name: DistinguishedName): boolean {
  return STORED.has(name);
}

/** 32-bit FNV-1a of a latin1 string (one byte per character). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
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
