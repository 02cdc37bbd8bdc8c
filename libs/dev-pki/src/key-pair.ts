import { generateKeyPairSync, type RSAPSSKeyPairKeyObjectOptions } from 'node:crypto';
import type { KeyPair, KeySpec } from './certificate.types';

const cache = new Map<string, KeyPair>();

/** Generates a new key pair of the given kind. */
function generate(kind: KeySpec): KeyPair {
  const rsa = /^rsa-(\d+)$/.exec(kind);
  if (rsa) return generateKeyPairSync('rsa', { modulusLength: Number(rsa[1]) });
  switch (kind) {
    case 'rsa-pss-2048':
      // Restricted RSA-PSS key: its SPKI carries the same parameters the signature uses.
      // @types/node declares saltLength as string; node wants a number.
      return generateKeyPairSync('rsa-pss', {
        modulusLength: 2048,
        hashAlgorithm: 'sha256',
        mgf1HashAlgorithm: 'sha256',
        saltLength: 32,
      } as unknown as RSAPSSKeyPairKeyObjectOptions);
    case 'p-256':
    case 'p-384':
    case 'p-521':
      return generateKeyPairSync('ec', { namedCurve: kind.toUpperCase() });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
    default:
      throw new TypeError(`dev-pki: unknown key kind '${String(kind)}'`);
  }
}

/** Whether generating this kind is slow enough to be worth caching by default. */
export const isExpensiveKind = (kind: KeySpec): boolean => kind.startsWith('rsa');

/**
 * A key pair of the given kind. Cached in-process (one per kind and `slot`) unless `fresh` is set,
 * because RSA generation costs 0.1–several seconds. Cached keys are shared: certificates issued with
 * them share an SPKI pin — ask for `fresh` when a test needs a distinct key (e.g. a rogue CA).
 * @example generateKeyPair('rsa-2048') // same object on every call
 */
export function generateKeyPair(kind: KeySpec, opts: { fresh?: boolean; slot?: number } = {}): KeyPair {
  if (opts.fresh) return generate(kind);
  const id = `${kind}#${opts.slot ?? 0}`;
  let pair = cache.get(id);
  if (!pair) {
    pair = generate(kind);
    cache.set(id, pair);
  }
  return pair;
}
