import { timingSafeEqual } from 'node:crypto';
import { ClientCertError } from '../errors/client-cert.error';

/** base64url (RFC 4648 §5) of 32 bytes, without padding (RFC 7515 §2): exactly 43 characters. */
const SHA256_BASE64URL = /^[A-Za-z0-9_-]{43}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * RFC 8705 §3.1: the token's `cnf["x5t#S256"]` must be the SHA-256 thumbprint of the DER of the
 * certificate the client presented. The token carries it base64url-encoded, the principal
 * hex-encoded: both are decoded to the 32 bytes and compared in constant time.
 *
 * @param claims the already verified token claims (a JWT payload or introspection response)
 * @param fingerprintSha256 the presented certificate's SHA-256 fingerprint in hex (`ClientCertPrincipal.fingerprintSha256`)
 * @throws ClientCertError TOKEN_NOT_BOUND when there are no claims, no `x5t#S256` confirmation,
 *   a malformed one, or one for another certificate
 * @example assertTokenBoundToCertificate(request.user, principal.fingerprintSha256)
 */
export function assertTokenBoundToCertificate(claims: unknown, fingerprintSha256: string): void {
  if (claims === null || typeof claims !== 'object') {
    throw new ClientCertError('TOKEN_NOT_BOUND', 'no verified access token claims were found', { problem: 'no-claims' });
  }
  const cnf = (claims as { cnf?: unknown }).cnf;
  const thumbprint = cnf !== null && typeof cnf === 'object' ? (cnf as Record<string, unknown>)['x5t#S256'] : undefined;
  if (thumbprint === undefined) {
    throw new ClientCertError('TOKEN_NOT_BOUND', 'the access token is not certificate-bound (no cnf x5t#S256 claim)', { problem: 'unbound' });
  }
  if (typeof thumbprint !== 'string' || !SHA256_BASE64URL.test(thumbprint)) {
    throw new ClientCertError('TOKEN_NOT_BOUND', 'the token cnf x5t#S256 is not a base64url SHA-256 thumbprint', { problem: 'malformed' });
  }
  if (!SHA256_HEX.test(fingerprintSha256)) {
    throw new ClientCertError('TOKEN_NOT_BOUND', 'the certificate fingerprint is not a hex SHA-256 digest', { problem: 'fingerprint' });
  }
  const bound = Buffer.from(thumbprint, 'base64url');
  // The 43rd character carries 4 bits: a non-canonical one decodes to the same bytes, refuse it.
  if (bound.toString('base64url') !== thumbprint) {
    throw new ClientCertError('TOKEN_NOT_BOUND', 'the token cnf x5t#S256 is not canonical base64url', { problem: 'malformed' });
  }
  const presented = Buffer.from(fingerprintSha256, 'hex');
  if (!timingSafeEqual(bound, presented)) {
    throw new ClientCertError('TOKEN_NOT_BOUND', 'the access token is bound to another certificate', {
      problem: 'mismatch',
      tokenThumbprint: thumbprint,
    });
  }
}
