import type { ParsedCertificate } from '../certificate/parsed-certificate';
import type { ForwardedCertificate } from './forwarded-certificate';
import { headerMalformed } from './header.errors';
import { normalizeSerialClaim } from './claim-value.normalizer';

/**
 * Checks the redundant values a proxy sent beside the certificate (XFCC `Hash`, GCP fingerprint,
 * ALB serial) against the parsed leaf. A mismatch means the headers were tampered with or mixed
 * up, so the request is refused even though the certificate itself may be fine.
 * The lead calls it after `parseCertificate(certificate.leaf)`.
 *
 * @throws ClientCertError HEADER_MALFORMED with `{ claim, expected, received }` (fingerprints and serials only).
 */
export function assertClaimsMatch(certificate: ForwardedCertificate, leaf: ParsedCertificate): void {
  const claims = certificate.claims;
  if (!claims) return;
  if (claims.sha256 !== undefined && claims.sha256.toLowerCase() !== leaf.fingerprintSha256.toLowerCase()) {
    throw headerMalformed('The SHA-256 fingerprint sent beside the certificate does not match it', {
      claim: 'sha256',
      expected: leaf.fingerprintSha256,
      received: claims.sha256,
    });
  }
  if (claims.serialNumber !== undefined) {
    const expected = normalizeSerialClaim(leaf.serialNumber, 'certificate serial');
    const received = normalizeSerialClaim(claims.serialNumber, 'serial claim');
    if (expected !== received) {
      throw headerMalformed('The serial number sent beside the certificate does not match it', {
        claim: 'serialNumber',
        expected,
        received,
      });
    }
  }
}
