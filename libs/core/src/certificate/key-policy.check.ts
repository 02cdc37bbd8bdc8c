import type { PublicKeyInfo } from './parsed-certificate';

/** The configurable bounds of the key policy; the fixed rest is decided at parse time (`PublicKeyInfo.fault`). */
export interface KeyPolicy {
  /** Smallest RSA modulus accepted, in bits. */
  readonly minRsaBits: number;
  /** Largest RSA modulus accepted, in bits. */
  readonly maxRsaBits: number;
}

/**
 * Why `key` is outside the key policy, as the end of a sentence that starts with the
 * certificate's name; undefined when it is inside. Cheap (no OpenSSL): the path builder calls it
 * on every candidate issuer before verifying anything with its key.
 */
export function keyPolicyFault(key: PublicKeyInfo, policy: KeyPolicy): string | undefined {
  if (key.fault !== undefined) return key.fault;
  if (key.algorithm === 'rsa' || key.algorithm === 'rsa-pss') {
    const bits = key.bits ?? 0;
    if (bits < policy.minRsaBits) return `has a ${bits}-bit RSA key; at least ${policy.minRsaBits} bits are required`;
    if (bits > policy.maxRsaBits) return `has a ${bits}-bit RSA key; at most ${policy.maxRsaBits} bits are accepted`;
    if (bits % 8 !== 0) return `has an RSA key of ${bits} bits, not a multiple of 8`;
  }
  return undefined;
}

/** What importing a public key into OpenSSL costs (µs), paid once per forwarded issuer and request. */
export const KEY_IMPORT_COST = 200;

/**
 * What one signature verification with `key` costs, in microseconds of one core, rounded up
 * from node:crypto (OpenSSL 3) on the project's 2-core reference machine: RSA grows with the
 * square of the modulus (2048 bits ~32 µs, 8192 bits ~310 µs) and with the exponent's length
 * (at most 32 bits after the key policy); ECDSA by curve (P-256 ~90 µs, P-384 ~900 µs, P-521
 * ~2.1 ms); EdDSA ~110-290 µs. Only ever compared against a budget in the same unit.
 */
export function verificationCost(key: PublicKeyInfo): number {
  switch (key.algorithm) {
    case 'rsa':
    case 'rsa-pss': {
      const modulus = (key.bits ?? 16_384) / 2048;
      const exponent = Math.max(1, (key.exponentBits ?? 32) / 17);
      return Math.ceil(40 * modulus * modulus * exponent);
    }
    case 'ec':
      return key.curve === 'P-256' ? 100 : key.curve === 'P-384' ? 1_000 : 2_200;
    case 'ed25519':
    case 'ed448':
      return 300;
    default:
      return 2_500;
  }
}
