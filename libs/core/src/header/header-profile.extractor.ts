import { createHash } from 'node:crypto';
import type { ForwardedCertificate } from './forwarded-certificate';
import type { HeaderFormat } from './header-format';
import { certificateMissing, headerMalformed } from './header.errors';
import { certificateValue } from './header-value.normalizer';
import { normalizeSerialClaim, normalizeSha256Claim } from './claim-value.normalizer';
import type { CompiledHeaderProfile } from './header-profile.compiler';
import type { RawHeaderReader } from './raw-header.reader';
import { assertVerdicts } from './verdict.check';

/** A certificate read from a trusted proxy's headers (or a TLS connection), before decoding and validation. */
export interface ExtractedCertificate {
  /** The profile (proxy) that delivered it. */
  profile: string;
  /** The header format, or `'tls'`: read from the connection by a `source: 'tls'` profile. */
  format: HeaderFormat | 'tls';
  certificate: ForwardedCertificate;
  /** Header spellings that were seen but never read (`_` variants of configured names), for the log. */
  ignoredHeaders?: string[];
}

function claimValue(reader: RawHeaderReader, header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return certificateValue(reader.single(header)) ?? undefined;
}

/** Adds the fingerprint / serial claim headers to the parser's own claims; two disagreeing claims are refused. */
function withClaimHeaders(profile: CompiledHeaderProfile, reader: RawHeaderReader, certificate: ForwardedCertificate): ForwardedCertificate {
  const fingerprint = claimValue(reader, profile.fingerprintHeader);
  const serial = claimValue(reader, profile.serialHeader);
  if (fingerprint === undefined && serial === undefined) return certificate;
  const sha256 = fingerprint !== undefined ? normalizeSha256Claim(fingerprint, profile.fingerprintHeader!) : undefined;
  if (sha256 !== undefined && certificate.claims?.sha256 !== undefined && certificate.claims.sha256 !== sha256) {
    throw headerMalformed('Two SHA-256 fingerprints sent beside the certificate disagree', { header: profile.fingerprintHeader });
  }
  const serialNumber = serial !== undefined ? normalizeSerialClaim(serial, profile.serialHeader!) : undefined;
  return {
    ...certificate,
    claims: {
      ...certificate.claims,
      ...(sha256 !== undefined ? { sha256 } : {}),
      ...(serialNumber !== undefined ? { serialNumber } : {}),
    },
  };
}

/**
 * Step 2 for one compiled profile: parse the certificate headers (caps first), add claim
 * headers, then require the verdict headers. Source trust is the caller's job.
 *
 * @throws ClientCertError CERT_MISSING, HEADER_MALFORMED, PROXY_VERDICT_FAILED
 */
export function extractFromHeaders(profile: CompiledHeaderProfile, reader: RawHeaderReader): ExtractedCertificate {
  const extracted = extractCertificateHeaders(profile, reader);
  const ignored = reader.underscoreVariants(profile.watchedNames);
  return ignored.length > 0 ? { ...extracted, ignoredHeaders: ignored } : extracted;
}

/**
 * `extractFromHeaders` without `ignoredHeaders` on a success: for a caller that lists the
 * underscore variants of a wider set of names itself (`TrustedProxies`: the profile's secret and
 * HMAC headers too), so that a request's headers are not scanned for them twice.
 * @throws ClientCertError CERT_MISSING (naming the ignored variants), HEADER_MALFORMED, PROXY_VERDICT_FAILED
 */
export function extractCertificateHeaders(profile: CompiledHeaderProfile, reader: RawHeaderReader): ExtractedCertificate {
  const parsed = profile.parser.parse(reader);
  if (parsed === null) {
    const ignored = reader.underscoreVariants(profile.watchedNames);
    throw certificateMissing(`No client certificate in ${profile.parser.headerNames.join(' / ')} from proxy "${profile.name}"`, {
      profile: profile.name,
      headers: profile.parser.headerNames,
      ...(ignored.length > 0 ? { ignoredHeaders: ignored } : {}),
    });
  }
  const certificate = withClaimHeaders(profile, reader, parsed);
  // The fingerprint claim needs no parsing, so it is checked here already (assertClaimsMatch repeats it).
  const sha256 = certificate.claims?.sha256;
  if (sha256 !== undefined && createHash('sha256').update(certificate.leaf).digest('hex') !== sha256) {
    throw headerMalformed('The SHA-256 fingerprint sent beside the certificate does not match it', { profile: profile.name, claim: 'sha256' });
  }
  assertVerdicts(profile.verdicts, reader);
  return { profile: profile.name, format: profile.format, certificate };
}
