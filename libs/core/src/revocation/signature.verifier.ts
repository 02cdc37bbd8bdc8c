import { createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import { readPssParams } from './rsa-pss.params';

/**
 * Verifies a CRL / OCSP / certificate signature with node:crypto (synchronous, no WebCrypto
 * promise per check). Returns false on anything it cannot verify: fails closed.
 * SHA-1 and MD5 signatures are refused: a CRL or OCSP response is as forgeable as its hash.
 */
const HASHES: Record<string, { hash: string | null; key: readonly string[] }> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256', key: ['rsa'] },
  '1.2.840.113549.1.1.12': { hash: 'sha384', key: ['rsa'] },
  '1.2.840.113549.1.1.13': { hash: 'sha512', key: ['rsa'] },
  '1.2.840.10045.4.3.2': { hash: 'sha256', key: ['ec'] },
  '1.2.840.10045.4.3.3': { hash: 'sha384', key: ['ec'] },
  '1.2.840.10045.4.3.4': { hash: 'sha512', key: ['ec'] },
  '1.3.101.112': { hash: null, key: ['ed25519'] },
  '1.3.101.113': { hash: null, key: ['ed448'] },
};
const RSA_PSS = '1.2.840.113549.1.1.10';

/** An AlgorithmIdentifier as the schema library decodes it. */
export interface SignatureAlgorithm {
  readonly algorithm: string;
  readonly parameters?: ArrayBuffer | null;
}

/** Imports an SPKI DER as a node:crypto key; undefined when node cannot. */
export function importSpki(spkiDer: Uint8Array): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** @returns true only when `signature` over `data` verifies with `key` under `algorithm`. */
export function verifySignature(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array, key: KeyObject | undefined): boolean {
  if (!key) return false;
  try {
    const keyType = key.asymmetricKeyType ?? '';
    if (algorithm.algorithm === RSA_PSS) return verifyPss(algorithm, data, signature, key);
    const known = HASHES[algorithm.algorithm];
    if (!known || !known.key.includes(keyType)) return false;
    const dsaEncoding = keyType === 'ec' ? 'der' : undefined;
    return verify(known.hash, data, dsaEncoding ? { key, dsaEncoding } : key, signature);
  } catch {
    return false;
  }
}

function verifyPss(algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return false;
  const params = readPssParams(algorithm.parameters);
  if (!params) return false;
  return verify(params.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
}
