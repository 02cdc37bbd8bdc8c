import type { Asn1 } from './asn1.reader';
import { parseDistinguishedName } from './distinguished-name.parser';
import type { DistinguishedName, ParsedCertificate } from './parsed-certificate';
import { signatureAlgorithmName } from './signature-algorithm.names';

/**
 * Issuer Names by their DER: the leaves of one CA all carry the same issuer Name, so it is
 * decoded once and the (immutable) result shared, which also keeps one copy in memory. Bounded:
 * cleared when full, so hostile input cannot grow it.
 */
const ISSUER_NAMES = new Map<string, DistinguishedName>();
const MAX_ISSUER_NAMES = 1024;

export function issuerName(node: Asn1, der: Buffer): DistinguishedName {
  const key = der.toString('latin1', node.start, node.end);
  const known = ISSUER_NAMES.get(key);
  if (known) return known;
  // A copy of the bytes, so that a shared Name does not pin the first leaf's DER.
  const name = parseDistinguishedName(node, Buffer.from(der.subarray(node.start, node.end)), 'issuer');
  if (ISSUER_NAMES.size >= MAX_ISSUER_NAMES) ISSUER_NAMES.clear();
  ISSUER_NAMES.set(key, name);
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
