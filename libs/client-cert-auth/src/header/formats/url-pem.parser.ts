import type { ForwardedCertificate } from '../forwarded-certificate';
import { decodePemBlocks } from '../decoding/pem-block.decoder';
import { decodePercentEscapes } from '../decoding/percent.decoder';
import type { RawHeaderReader } from '../raw-header.reader';
import { certAndChainNames, readLeafAndChain, type CertificateHeaderParser, type ParserSettings, type RawHeader } from './certificate-header.parser';

const decodeEscapedPem = (value: string, max: number, header: string) =>
  decodePemBlocks(decodePercentEscapes(value, header), max, header);

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
    this.headerNames = certAndChainNames(settings.names);
  }

  parse(reader: RawHeaderReader): ForwardedCertificate | null {
    const { names, limits } = this.settings;
    const chain: RawHeader[] = names.chain ? [[names.chain, reader.single(names.chain)]] : [];
    return readLeafAndChain([names.cert, reader.single(names.cert)], chain, limits, decodeEscapedPem);
  }
}
