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

/** Exponent bits above which an RSA key is refused: one verification with a 3,070-bit exponent costs milliseconds. */
export const MAX_RSA_EXPONENT_BITS = 32;
/** Modulus bits above which an RSA key is refused whatever the options say (OpenSSL's own ceiling). */
export const MAX_RSA_MODULUS_BITS = 16_384;
/** The only curves a key may be on. */
export const ALLOWED_CURVES: ReadonlySet<string> = new Set(['P-256', 'P-384', 'P-521']);

function significantBits(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes[i] === 0 ? 0 : (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]));
}

/** @param keyBits the SPKI BIT STRING (already checked by the caller); its octets after the unused-bits one hold RSAPublicKey */
function rsaNumbers(keyBits: Asn1): { modulusBits: number; exponentBits: number; exponentOdd: boolean } {
  const [modulus, exponent, extra] = sequence(parseContents(keyBits, 'RSA public key', 1), 'RSA public key');
  if (!exponent || extra) malformed('RSA public key: expected modulus and exponent');
  const n = bytesOf(expect(modulus, UNIVERSAL, T.INTEGER, 'RSA modulus'), 'RSA modulus');
  const e = bytesOf(expect(exponent, UNIVERSAL, T.INTEGER, 'RSA exponent'), 'RSA exponent');
  if (n[0] & 0x80) malformed('RSA modulus is negative');
  if (e[0] & 0x80) malformed('RSA exponent is negative');
  return { modulusBits: significantBits(n), exponentBits: significantBits(e), exponentOdd: (e[e.length - 1] & 1) === 1 };
}

/**
 * Why a key may never be used, whatever the options: the part of the key policy that holds for
 * every configuration, decided here, when the key is parsed, so that no code path can verify
 * with such a key. The option-dependent bounds (minimum and maximum RSA size) are checked by
 * key-policy.check.ts before a key is used.
 */
function fixedFault(
  algorithm: PublicKeyInfo['algorithm'],
  bits: number | undefined,
  curve: string | undefined,
  rsa?: ReturnType<typeof rsaNumbers>,
): string | undefined {
  if (rsa) {
    if (rsa.exponentBits > MAX_RSA_EXPONENT_BITS)
      return `has an RSA public exponent of ${rsa.exponentBits} bits; at most ${MAX_RSA_EXPONENT_BITS} bits are accepted`;
    if (!rsa.exponentOdd || rsa.exponentBits < 2) return 'has an RSA public exponent that is even or below 3';
    if (rsa.modulusBits > MAX_RSA_MODULUS_BITS) return `has a ${rsa.modulusBits}-bit RSA key; at most ${MAX_RSA_MODULUS_BITS} bits are accepted`;
    return undefined;
  }
  if (algorithm === 'ec')
    return curve && ALLOWED_CURVES.has(curve)
      ? undefined
      : `has an EC key on ${curve ?? 'an explicit or unknown curve'}; only P-256, P-384 and P-521 are accepted`;
  if (algorithm === 'ed25519' || algorithm === 'ed448') return undefined;
  return 'has an unsupported public key algorithm';
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
    readonly exponentBits: number | undefined,
    readonly fault: string | undefined,
  ) {}

  get sha256(): string {
    return (this.#sha256 ??= hash('sha256', this.der, 'hex'));
  }

  /** Absent when node cannot import the key (a malformed point) and when the key has a `fault`: such a key never verifies anything. */
  get key(): KeyObject | undefined {
    if (this.#key === null) {
      if (this.fault !== undefined) return (this.#key = undefined);
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
 * Decodes SubjectPublicKeyInfo far enough for the key policy (algorithm, RSA modulus and
 * exponent, curve) without touching OpenSSL, and records a `fault` for a key outside the fixed
 * part of that policy (see `fixedFault`): such a key is never imported, so it cannot be used to
 * verify anything, however a path reaches it. The node:crypto KeyObject and the SPKI hash are made on first
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
  let rsa: ReturnType<typeof rsaNumbers> | undefined;
  if (algorithm === 'rsa' || algorithm === 'rsa-pss') {
    rsa = rsaNumbers(keyBits);
    bits = rsa.modulusBits;
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
  return new SubjectPublicKey(der, algorithm, bits, curve, rsa?.exponentBits, fixedFault(algorithm, bits, curve, rsa));
}
