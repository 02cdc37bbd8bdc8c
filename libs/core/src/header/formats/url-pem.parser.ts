import { decodePemBlocks } from '../decoding/pem-block.decoder';
import { decodePercentEscapes } from '../decoding/percent.decoder';
import { LeafAndChainParser } from './leaf-and-chain.parser';

const decodeEscapedPem = (value: string, max: number, header: string) => decodePemBlocks(decodePercentEscapes(value, header), max, header);

/**
 * Percent-encoded PEM: nginx `$ssl_client_escaped_cert` (leaf), AWS ALB `X-Amzn-Mtls-Clientcert`
 * (leaf then chain) and `-Leaf`, CloudFront, Kong. Only `%XX` is decoded: ALB leaves `+`, `/`
 * and sometimes `=` unencoded, and form decoding would turn `+` into a space.
 * The first PEM block is the leaf; the rest (and an optional chain header) is the chain.
 *
 * @example X-SSL-Client-Cert: -----BEGIN%20CERTIFICATE-----%0AMIIB...+...%3D%0A-----END%20CERTIFICATE-----%0A
 */
export class UrlPemParser extends LeafAndChainParser {
  readonly format = 'url-pem' as const;
  protected readonly decode = decodeEscapedPem;
}
