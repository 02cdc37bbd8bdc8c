import { compileHeaderProfile, type HeaderProfileOptions } from './header-profile.compiler';
import { extractFromHeaders, type ExtractedCertificate } from './header-profile.extractor';
import { RawHeaderReader } from './raw-header.reader';

/**
 * Reads a certificate from `[name, value]` pairs with one profile, WITHOUT any source check
 * (no CIDRs, shared secret or HMAC). For the CLI `client-cert-auth inspect --preset NAME
 * --header 'Name: value'`, which must run exactly the code the server runs.
 *
 * @example extractWithProfile({ preset: 'nginx' }, [['X-SSL-Client-Cert', escapedPem], ['X-SSL-Client-Verify', 'SUCCESS']])
 * @throws Error for a bad profile; ClientCertError CERT_MISSING, HEADER_MALFORMED, PROXY_VERDICT_FAILED
 */
export function extractWithProfile(profile: HeaderProfileOptions, headers: ReadonlyArray<readonly [string, string]>): ExtractedCertificate {
  return extractFromHeaders(compileHeaderProfile(profile), RawHeaderReader.fromPairs(headers));
}
