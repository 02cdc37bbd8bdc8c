/**
 * @client-cert-auth/dev-pki — certificate factory for tests, benchmarks and the sample backend's dev PKI.
 *
 * Key policy: a KeySpec `key` gets a fresh key for EC/Ed25519 (sub-millisecond) and, for the slow RSA
 * kinds, a cached key per kind and chain depth (root, intermediate and leaf never share one, two
 * leaves at the same depth do — and so share an SPKI pin). Pass `freshKey: true` whenever a test needs a
 * key nobody else has (a rogue CA, a "different key, same name" case). Serials are always random.
 */
export { issueCertificate } from './certificate.issuer';
export { generateKeyPair } from './key-pair';
export { toPem } from './pem';
export { createDevPki, writeDevPki } from './dev-pki';
export type { DevPki, DevPkiClient, DevPkiServer } from './dev-pki';
export type { CertificateSpec, GeneralSubtrees, IssuedCertificate, KeyPair, KeySpec, SignatureHash, SubjectAltNames } from './certificate.types';
export type { ExtensionName } from './oids';
