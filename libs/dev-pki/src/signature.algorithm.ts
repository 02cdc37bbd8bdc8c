import { constants, getHashes, sign, type KeyObject } from 'node:crypto';
import { derNull, explicit, objectIdentifier, sequence, smallInteger } from './der';
import { ECDSA_SIGNATURE_OIDS, OID, RSA_SIGNATURE_OIDS } from './oids';
import type { SignatureHash } from './certificate.types';

/** How an issuer key signs: the AlgorithmIdentifier to embed (twice) and the signing function. */
export interface SignatureAlgorithm {
  identifier: Buffer;
  sign(data: Buffer): Buffer;
}

const CURVE_HASH: Record<string, SignatureHash> = { prime256v1: 'sha256', secp384r1: 'sha384', secp521r1: 'sha512' };

/** RSASSA-PSS-params for SHA-256 / MGF1-SHA-256 / salt 32 (RFC 4055; trailerField default omitted). */
function pssIdentifier(): Buffer {
  const sha256 = sequence(objectIdentifier(OID.sha256), derNull());
  return sequence(
    objectIdentifier(OID.rsassaPss),
    sequence(explicit(0, sha256), explicit(1, sequence(objectIdentifier(OID.mgf1), sha256)), explicit(2, smallInteger(32))),
  );
}

function assertHashAvailable(hash: string): void {
  // OpenSSL 3 may drop MD5/SHA-1 in FIPS or legacy-less builds; say so instead of an opaque crypto error.
  if (!getHashes().includes(hash)) {
    throw new Error(`dev-pki: hash '${hash}' is not available in this Node/OpenSSL build; pick sha256/384/512`);
  }
}

/**
 * Picks the signature algorithm from the issuer's private key: PKCS#1 v1.5 for RSA, PSS for RSA-PSS
 * keys, ECDSA (DER signature, as X.509 wants — node's default dsaEncoding) for EC, pure Ed25519.
 */
export function signatureAlgorithmFor(key: KeyObject, requestedHash?: SignatureHash): SignatureAlgorithm {
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const hash = requestedHash ?? 'sha256';
      assertHashAvailable(hash);
      return {
        identifier: sequence(objectIdentifier(RSA_SIGNATURE_OIDS[hash]), derNull()),
        sign: (data) => sign(hash, data, key),
      };
    }
    case 'rsa-pss':
      return {
        identifier: pssIdentifier(),
        sign: (data) => sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
      };
    case 'ec': {
      const hash = requestedHash ?? CURVE_HASH[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'sha256';
      const oid = ECDSA_SIGNATURE_OIDS[hash];
      if (!oid) throw new Error(`dev-pki: ECDSA with '${hash}' is not supported; pick sha1/256/384/512`);
      return { identifier: sequence(objectIdentifier(oid)), sign: (data) => sign(hash, data, key) };
    }
    case 'ed25519':
      return { identifier: sequence(objectIdentifier(OID.ed25519)), sign: (data) => sign(null, data, key) };
    default:
      throw new Error(`dev-pki: cannot sign with a '${key.asymmetricKeyType}' key`);
  }
}
