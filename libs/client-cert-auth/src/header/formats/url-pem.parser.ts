import type { ForwardedCertificate } from '../forwarded-certificate';
import { decodePemBlocks } from '../decoding/pem-block.decoder';
import { decodePercentEscapes } from '../decoding/percent.decoder';
import { assertWithinBytes } from '../header.limits';
import { certificateValue } from '../header-value.normalizer';
import type { RawHeaderReader } from '../raw-header.reader';
import { leafAndChain, type CertificateHeaderParser, type ParserSettings } from './certificate-header.parser';

/**
 * Percent-encoded PEM: nginx `$ssl_client_escaped_cert` (leaf), AWS ALB `X-Amzn-Mtls-Clientcert`
 * (leaf then chain) and `-Leaf`, CloudFront, Kong. Only `%XX` is decoded: ALB leaves `+`, `/`
 * and sometimes `=` unencoded, and form decoding would turn `+` into a space.
 * The first PEM block is the leaf; the rest (and an optional chain header) is the chain.
 *
 * @example X-SSL-Client-Cert: -----BEGIN%20CERTIFICATE-----%0AMIIB...+...%3D%0A-----END%20CERTIFICATE-----%0A
 */
export class UrlPemParser implements CertificateHeaderParser {
  readonly format = 'url-pem' as const;
  readonly headerNames: readonly string[];

  constructor(private readonly settings: ParserSettings) {
    const { cert, chain } = settings.names;
    this.headerNames = chain ? [cert, chain] : [cert];
  }

  parse(reader: RawHeaderReader): ForwardedCertificate | null {
    const { names, limits } = this.settings;
    const raw = reader.single(names.cert);
    const rawChain = names.chain ? reader.single(names.chain) : undefined;
    assertWithinBytes([raw, rawChain], limits);
    const value = certificateValue(raw);
    if (value === null) return null;
    const certificates = decodePemBlocks(decodePercentEscapes(value, names.cert), limits.maxCertificates, names.cert);
    const chainValue = certificateValue(rawChain);
    if (chainValue !== null) {
      const room = limits.maxCertificates - certificates.length;
      certificates.push(...decodePemBlocks(decodePercentEscapes(chainValue, names.chain!), Math.max(room, 0), names.chain!));
    }
    return leafAndChain(certificates);
  }
}
