import type { ParsedCertificate } from '../certificate/parsed-certificate';
import type { ForwardedCertificate } from './forwarded-certificate';
import { headerMalformed } from './header.errors';
import { normalizeSerialClaim } from './claim-value.normalizer';

/**
 * Checks the redundant values a proxy sent beside the certificate (XFCC `Hash`, `URI`, `DNS`, GCP
 * fingerprint, ALB serial) against the parsed leaf. A mismatch means the headers were tampered with or mixed
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
  assertSameNames('uri', claims.uri, leaf);
  assertSameNames('dns', claims.dns, leaf);
}

/**
 * A SAN list sent beside the certificate must be the certificate's list, in order: a SAN
 * holding `;URI=` or `;DNS=` (Envoy writes them unquoted) shows up here as a list that differs.
 * Counts only in the details: the values are the client's own text.
 */
function assertSameNames(claim: 'uri' | 'dns', received: readonly string[] | undefined, leaf: ParsedCertificate): void {
  if (received === undefined) return;
  const expected = leaf.subjectAltNames[claim];
  if (received.length === expected.length && received.every((name, i) => name === expected[i])) return;
  throw headerMalformed(`The ${claim.toUpperCase()} names sent beside the certificate are not the certificate's own`, {
    claim,
    expected: expected.length,
    received: received.length,
  });
}
