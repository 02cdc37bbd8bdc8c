import { createPublicKey, hash, type KeyObject } from 'node:crypto';
import type { PublicKeyInfo } from './parsed-certificate';
import { type Asn1, UNIVERSAL, T, bitStringUnused, bytesOf, expect, malformed, oidOf, parseContents, sequence } from './asn1.reader';

const KEY_ALGORITHMS: Readonly<Record<string, PublicKeyInfo['algorithm']>> = {
  '1.2.840.113549.1.1.1': 'rsa',
  '1.2.840.113549.1.1.10': 'rsa-pss',
  '1.2.840.10045.2.1': 'ec',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
};

/** Named curves by OID; P-192 is recognised only so that the policy can name it when refusing it. */
const CURVES: Readonly<Record<string, { name: string; bits: number }>> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
};

/** @param keyBits the SPKI BIT STRING (already checked by the caller); its octets after the unused-bits one hold RSAPublicKey */
function rsaModulusBits(keyBits: Asn1): number {
  const [modulus, exponent, extra] = sequence(parseContents(keyBits, 'RSA public key', 1), 'RSA public key');
  if (!exponent || extra) malformed('RSA public key: expected modulus and exponent');
  const n = bytesOf(expect(modulus, UNIVERSAL, T.INTEGER, 'RSA modulus'), 'RSA modulus');
  bytesOf(expect(exponent, UNIVERSAL, T.INTEGER, 'RSA exponent'), 'RSA exponent');
  let i = 0;
  while (i < n.length - 1 && n[i] === 0) i++;
  if (n[i] & 0x80 && i === 0) malformed('RSA modulus is negative');
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]));
}

/**
 * A decoded SubjectPublicKeyInfo. A class, not a literal with getters (V8 builds those on a
 * slow path); the SPKI hash and the node:crypto KeyObject are made on first read and kept in
 * `#` fields, out of spreads and equality checks.
 */
class SubjectPublicKey implements PublicKeyInfo {
  #sha256: string | undefined;
  #key: KeyObject | undefined | null = null;

  constructor(
    readonly der: Buffer,
    readonly algorithm: PublicKeyInfo['algorithm'],
    readonly bits: number | undefined,
    readonly curve: string | undefined,
  ) {}

  get sha256(): string {
    return (this.#sha256 ??= hash('sha256', this.der, 'hex'));
  }

  /** Absent when node cannot import the key (an unsupported curve, a malformed point). */
  get key(): KeyObject | undefined {
    if (this.#key === null) {
      try {
        this.#key = createPublicKey({ key: this.der, format: 'der', type: 'spki' });
      } catch {
        this.#key = undefined;
      }
    }
    return this.#key;
  }
}

/**
 * Decodes SubjectPublicKeyInfo far enough for the key policy (algorithm, RSA bits, curve)
 * without touching OpenSSL. The node:crypto KeyObject and the SPKI hash are made on first
 * use: a leaf's own key is never needed to validate it, and importing it would cost as much
 * as a third of the signature check that dominates a validation.
 */
export function parsePublicKey(node: Asn1, der: Buffer): PublicKeyInfo {
  const [algorithmId, keyBits, extra] = sequence(node, 'SubjectPublicKeyInfo');
  if (extra) malformed('SubjectPublicKeyInfo: trailing element');
  const [oidNode, params] = sequence(algorithmId, 'SubjectPublicKeyInfo algorithm');
  const oid = oidOf(oidNode, 'SubjectPublicKeyInfo algorithm');
  bitStringUnused(keyBits, 'SubjectPublicKeyInfo key');
  const algorithm = KEY_ALGORITHMS[oid] ?? 'unknown';
  let bits: number | undefined;
  let curve: string | undefined;
  if (algorithm === 'rsa' || algorithm === 'rsa-pss') {
    bits = rsaModulusBits(keyBits);
  } else if (algorithm === 'ec') {
    // An explicit (specifiedCurve) encoding leaves curve undefined: the policy refuses it.
    if (params && params.tagClass === UNIVERSAL && params.type === T.OID) {
      const named = CURVES[oidOf(params, 'EC namedCurve')];
      curve = named?.name;
      bits = named?.bits;
    }
  } else if (algorithm === 'ed25519') {
    bits = 256;
  } else if (algorithm === 'ed448') {
    bits = 456;
  }
  return new SubjectPublicKey(der, algorithm, bits, curve);
}
