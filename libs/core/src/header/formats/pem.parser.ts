import { decodePemBlocks } from '../decoding/pem-block.decoder';
import { headerMalformed } from '../header.errors';
import { certificateValue } from '../header-value.normalizer';
import type { RawHeaderReader } from '../raw-header.reader';
import { certAndChainNames, type ParserSettings } from './certificate-header.parser';
import { LeafAndChainParser, type RawHeader } from './leaf-and-chain.parser';

/**
 * PEM whose line breaks became spaces (Apache `%{SSL_CLIENT_CERT}s`, HAProxy PEM recipes, Azure
 * Application Gateway) or tab continuations (nginx legacy `$ssl_client_cert`; Node's HTTP parser
 * refuses obs-folded headers unless started with the insecure parser, so prefer
 * `$ssl_client_escaped_cert` and the url-pem format).
 * Chain: more PEM blocks in the same header, a chain header, and/or Apache-style numbered headers
 * `<chainPrefix>0`, `<chainPrefix>1`, ... read until the first absent or "(null)" one.
 *
 * @example X-SSL-Client-Cert: -----BEGIN CERTIFICATE----- MIIB... AwIBAgI... -----END CERTIFICATE-----
 */
export class PemParser extends LeafAndChainParser {
  readonly format = 'pem' as const;
  override readonly headerNames: readonly string[];
  protected readonly decode = decodePemBlocks;

  constructor(settings: ParserSettings) {
    super(settings);
    const { chainPrefix } = settings.names;
    // Numbered headers are listed one by one so spoof logging and `_` variant checks see them.
    const numbered = chainPrefix ? Array.from({ length: settings.limits.maxCertificates }, (_, n) => `${chainPrefix}${n}`) : [];
    this.headerNames = [...certAndChainNames(settings.names), ...numbered];
  }

  protected override chainHeaders(reader: RawHeaderReader): RawHeader[] {
    const prefix = this.settings.names.chainPrefix;
    return [...super.chainHeaders(reader), ...this.numberedChain(reader).map((raw, n): RawHeader => [`${prefix}${n}`, raw])];
  }

  /** Raw values of `<prefix>0..n`, stopping at the first gap; refuses more headers than the cap. */
  private numberedChain(reader: RawHeaderReader): Array<string | undefined> {
    const prefix = this.settings.names.chainPrefix;
    if (!prefix) return [];
    const values: Array<string | undefined> = [];
    for (let n = 0; ; n++) {
      const value = reader.single(`${prefix}${n}`);
      if (value === undefined || certificateValue(value) === null) return values;
      if (n >= this.settings.limits.maxCertificates) {
        throw headerMalformed(`More than ${this.settings.limits.maxCertificates} numbered chain headers ${prefix}N`);
      }
      values.push(value);
    }
  }
}
