import type { ForwardedCertificate } from '../forwarded-certificate';
import type { HeaderFormat } from '../header-format';
import type { HeaderLimitValues } from '../header.limits';
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
  /** XFCC: the number of trusted hops, which is the number of elements the header must hold. */
  readonly xfccElementFromEnd: number;
  /** base64-der: the certificate header holds a `,` list (leaf, then chain; Traefik). Else one certificate. */
  readonly certHeaderHoldsChain?: boolean;
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
