import { type KeyObject, type VerifyKeyObjectInput, type VerifyPublicKeyInput, constants, verify } from 'node:crypto';
import type { ParsedCertificate } from './parsed-certificate';
import { CONTEXT, T, oidOf, parseDer, sequence, smallInteger } from './asn1.reader';
import { SIGNATURE_ALGORITHMS } from './signature-algorithm.names';

const HASH_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const MGF1 = '1.2.840.113549.1.1.8';

/** RSASSA-PSS-params (RFC 4055 §3.1), with the RFC's SHA-1 defaults. */
export function decodePssParameters(der: Buffer | undefined): { hash: string; saltLength: number } | undefined {
  if (!der) return undefined;
  try {
    let hash = 'sha1';
    let mgfHash = 'sha1';
    let saltLength = 20;
    for (const field of sequence(parseDer(der, 'RSASSA-PSS-params'), 'RSASSA-PSS-params')) {
      if (field.tagClass !== CONTEXT) return undefined;
      const [inner] = field.value as ReturnType<typeof sequence>;
      if (field.type === 0) hash = HASH_OIDS[oidOf(sequence(inner, 'hashAlgorithm')[0], 'hashAlgorithm')];
      else if (field.type === 1) {
        const [mgfOid, mgfParams] = sequence(inner, 'maskGenAlgorithm');
        if (oidOf(mgfOid, 'maskGenAlgorithm') !== MGF1) return undefined;
        mgfHash = HASH_OIDS[oidOf(sequence(mgfParams, 'MGF1 hash')[0], 'MGF1 hash')];
      } else if (field.type === 2) saltLength = smallInteger(inner, 'saltLength');
      else if (field.type === 3 && smallInteger(inner, 'trailerField') !== 1) return undefined;
    }
    // node:crypto uses the signature hash for MGF1 too, so a different MGF1 hash cannot verify correctly.
    if (!hash || hash !== mgfHash) return undefined;
    return { hash, saltLength };
  } catch {
    return undefined;
  }
}

/** The hash a certificate's signature uses (for the algorithm policy); undefined when unknown. */
export function signatureHash(cert: ParsedCertificate): string | undefined {
  const algorithm = SIGNATURE_ALGORITHMS[cert.signatureAlgorithm.oid];
  if (algorithm?.family === 'rsa-pss') return decodePssParameters(cert.signatureAlgorithm.parameters)?.hash;
  if (algorithm?.family === 'eddsa') return 'eddsa';
  return algorithm?.hash;
}

function isNullOrAbsent(params: Buffer | undefined): boolean {
  return !params || (params.length === 2 && params[0] === T.NULL && params[1] === 0);
}

/** One node:crypto verification, ready to run on the main thread or on the thread pool. */
export interface SignatureCheck {
  readonly algorithm: string | null;
  readonly data: Buffer;
  readonly key: VerifyKeyObjectInput | VerifyPublicKeyInput | KeyObject;
  readonly signature: Buffer;
}

/**
 * The verification of `child`'s signature with `issuer`'s public key (RSA PKCS#1 v1.5,
 * RSA-PSS, ECDSA with a DER signature, Ed25519/Ed448); undefined when it cannot verify at all
 * (a mismatch between the signature algorithm and the issuer's key type, an unknown algorithm).
 * Both verifiers below run exactly this, so a thread-pool answer equals the synchronous one.
 */
export function signatureCheck(child: ParsedCertificate, issuer: ParsedCertificate): SignatureCheck | undefined {
  const algorithm = SIGNATURE_ALGORITHMS[child.signatureAlgorithm.oid];
  const key = issuer.publicKey.key;
  if (!algorithm || !key) return undefined;
  const keyType = issuer.publicKey.algorithm;
  const params = child.signatureAlgorithm.parameters;
  const data = child.tbsDer;
  const signature = child.signature;
  switch (algorithm.family) {
    case 'rsa':
      if (keyType !== 'rsa' || !isNullOrAbsent(params)) return undefined;
      return { algorithm: algorithm.hash!, data, key, signature };
    case 'rsa-pss': {
      const pss = decodePssParameters(params);
      if (!pss || (keyType !== 'rsa' && keyType !== 'rsa-pss')) return undefined;
      return { algorithm: pss.hash, data, key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature };
    }
    case 'ecdsa':
      if (keyType !== 'ec' || params) return undefined;
      return { algorithm: algorithm.hash!, data, key: { key, dsaEncoding: 'der' }, signature };
    case 'eddsa':
      if (params || (keyType !== 'ed25519' && keyType !== 'ed448')) return undefined;
      if ((keyType === 'ed25519') !== (algorithm.name === 'Ed25519')) return undefined;
      return { algorithm: null, data, key, signature };
    default:
      return undefined; // DSA and anything else: not accepted
  }
}

/**
 * Verifies `child`'s signature with `issuer`'s public key. Anything {@link signatureCheck}
 * refuses, or any error from node:crypto, counts as "does not verify".
 */
export function verifyCertificateSignature(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  try {
    const check = signatureCheck(child, issuer);
    return check !== undefined && verify(check.algorithm, check.data, check.key, check.signature);
  } catch {
    return false;
  }
}

/**
 * The same verification on the libuv thread pool (node:crypto's callback form): the main
 * thread only prepares and dispatches it. Resolves `false` where the synchronous form answers
 * `false` for a refused combination, and `undefined` when node:crypto errors: the caller then
 * leaves that signature to the synchronous path, whose answer counts.
 */
export function verifyCertificateSignatureOnPool(child: ParsedCertificate, issuer: ParsedCertificate): Promise<boolean | undefined> {
  let check: SignatureCheck | undefined;
  try {
    check = signatureCheck(child, issuer);
  } catch {
    return Promise.resolve(undefined);
  }
  if (!check) return Promise.resolve(false);
  const { algorithm, data, key, signature } = check;
  return new Promise((resolve) => {
    try {
      verify(algorithm, data, key, signature, (error, valid) => resolve(error ? undefined : valid));
    } catch {
      resolve(undefined);
    }
  });
}
