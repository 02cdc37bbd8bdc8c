import type { ForwardedCertificate } from '../forwarded-certificate';
import type { HeaderFormat } from '../header-format';
import { assertWithinBytes } from '../header.limits';
import { certificateValue } from '../header-value.normalizer';
import type { RawHeaderReader } from '../raw-header.reader';
import { certAndChainNames, type CertificateHeaderParser, type ParserSettings } from './certificate-header.parser';

/** Decodes one header value into certificates (leaf first), at most `max` of them. */
export type CertificateListDecoder = (value: string, max: number, header: string) => Buffer[];

/** A header's name and its raw value (undefined when absent). */
export type RawHeader = readonly [name: string, raw: string | undefined];

/**
 * The formats that send the leaf (optionally followed by more certificates) in one header and
 * further chain certificates in others, differing only in how a value is decoded: size caps
 * before any decoding, an absent or sentinel leaf header means no certificate (null), one
 * certificate cap across all headers. Subclasses name their format and decoder.
 */
export abstract class LeafAndChainParser implements CertificateHeaderParser {
  abstract readonly format: HeaderFormat;
  readonly headerNames: readonly string[];
  protected abstract readonly decode: CertificateListDecoder;

  constructor(protected readonly settings: ParserSettings) {
    this.headerNames = certAndChainNames(settings.names);
  }

  parse(reader: RawHeaderReader): ForwardedCertificate | null {
    const { names, limits } = this.settings;
    const raw = reader.single(names.cert);
    const chain = this.chainHeaders(reader);
    assertWithinBytes([raw, ...chain.map(([, value]) => value)], limits);
    const value = certificateValue(raw);
    if (value === null) return null;
    const certificates = this.decodeCertHeader(value, limits.maxCertificates, names.cert);
    for (const [header, chainRaw] of chain) {
      const chainValue = certificateValue(chainRaw);
      if (chainValue === null) continue;
      certificates.push(...this.decode(chainValue, Math.max(limits.maxCertificates - certificates.length, 0), header));
    }
    return { leaf: certificates[0], chain: certificates.slice(1) };
  }

  /** Decodes the certificate header's value, leaf first; a format whose header holds one certificate narrows this. */
  protected decodeCertHeader(value: string, max: number, header: string): Buffer[] {
    return this.decode(value, max, header);
  }

  /** The chain headers this request carries, in order. */
  protected chainHeaders(reader: RawHeaderReader): RawHeader[] {
    const { chain } = this.settings.names;
    return chain ? [[chain, reader.single(chain)]] : [];
  }
}
