import type { ForwardedCertificate } from '../forwarded-certificate';
import type { HeaderFormat } from '../header-format';
import { assertWithinBytes, type HeaderLimitValues } from '../header.limits';
import { certificateValue } from '../header-value.normalizer';
import type { RawHeaderReader } from '../raw-header.reader';

/** Header names a parser reads, lower-case, resolved from the preset and the operator's renames. */
export interface CertificateHeaderNames {
  /** The leaf (or whole-chain) header, e.g. `client-cert`, `x-forwarded-client-cert`. */
  readonly cert: string;
  /** A chain header (rfc9440, gcp, base64-der, url-pem, pem). */
  readonly chain?: string;
  /** Numbered chain headers `<prefix>0`, `<prefix>1`, ... (Apache `SSL_CLIENT_CERT_CHAIN_n`), pem only. */
  readonly chainPrefix?: string;
  /** GCP `client_cert_present` (`true` / `false`). */
  readonly present?: string;
}

/** Everything a parser needs, fixed at bootstrap. */
export interface ParserSettings {
  readonly names: CertificateHeaderNames;
  readonly limits: HeaderLimitValues;
  /** XFCC: which element counts, counted from the end (1 = the last one). */
  readonly xfccElementFromEnd: number;
}

/**
 * One header format. Built once per profile at bootstrap; `parse` is pure per request.
 * Returns `null` when no certificate was forwarded (absent header or a sentinel): the caller
 * answers CERT_MISSING. Throws ClientCertError HEADER_MALFORMED for anything else it cannot read.
 */
export interface CertificateHeaderParser {
  readonly format: HeaderFormat;
  /** Every certificate header this parser reads (lower-case); numbered chain headers `<prefix>0..max-1` one by one. */
  readonly headerNames: readonly string[];
  parse(reader: RawHeaderReader): ForwardedCertificate | null;
}

/** The certificate header and, where the format has one, the chain header: what a parser reads. */
export function certAndChainNames({ cert, chain }: CertificateHeaderNames): readonly string[] {
  return chain ? [cert, chain] : [cert];
}

/** Splits a flat certificate list into leaf and chain. */
export function leafAndChain(certificates: Buffer[]): ForwardedCertificate {
  return { leaf: certificates[0], chain: certificates.slice(1) };
}

/** Decodes one header value into certificates (leaf first), at most `max` of them. */
export type CertificateListDecoder = (value: string, max: number, header: string) => Buffer[];

/** A header's name and its raw value (undefined when absent). */
export type RawHeader = readonly [name: string, raw: string | undefined];

/**
 * The shape every "leaf header + optional chain headers" format shares: size caps before any
 * decoding, a sentinel or absent leaf header means no certificate (null), the certificate cap
 * shared across all headers.
 */
export function readLeafAndChain(
  cert: RawHeader,
  chain: readonly RawHeader[],
  limits: HeaderLimitValues,
  decode: CertificateListDecoder,
): ForwardedCertificate | null {
  assertWithinBytes([cert[1], ...chain.map(([, raw]) => raw)], limits);
  const value = certificateValue(cert[1]);
  if (value === null) return null;
  const certificates = decode(value, limits.maxCertificates, cert[0]);
  for (const [header, raw] of chain) {
    const chainValue = certificateValue(raw);
    if (chainValue === null) continue;
    certificates.push(...decode(chainValue, Math.max(limits.maxCertificates - certificates.length, 0), header));
  }
  return leafAndChain(certificates);
}
