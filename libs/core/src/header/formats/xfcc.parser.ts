import type { ForwardedCertificate } from '../forwarded-certificate';
import { decodePemBlocks } from '../decoding/pem-block.decoder';
import { decodePercentEscapes } from '../decoding/percent.decoder';
import { headerMalformed } from '../header.errors';
import { assertWithinBytes } from '../header.limits';
import { certificateValue } from '../header-value.normalizer';
import type { RawHeaderReader } from '../raw-header.reader';
import type { CertificateHeaderParser, ParserSettings } from './certificate-header.parser';
import { scanXfcc, type XfccElement } from './xfcc-element.scanner';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * Envoy / Istio `x-forwarded-client-cert`. Only the element written by the trusted hop is used,
 * counted from the END (`xfccElementFromEnd`, default 1 = last): with Envoy's `APPEND_FORWARD`
 * the first elements can come from the client itself.
 * `Cert` is the URL-encoded PEM leaf; `Chain` the URL-encoded PEM chain INCLUDING the leaf;
 * `Hash` (hex SHA-256 of the leaf DER) becomes a claim checked against the parsed certificate.
 *
 * @example x-forwarded-client-cert: By=spiffe://cluster.local/ns/a/sa/api;Hash=3f1c...;Cert="-----BEGIN%20CERTIFICATE-----%0AMIIB...";Subject="CN=alice"
 */
export class XfccParser implements CertificateHeaderParser {
  readonly format = 'xfcc' as const;
  readonly headerNames: readonly string[];

  constructor(private readonly settings: ParserSettings) {
    this.headerNames = [settings.names.cert];
  }

  parse(reader: RawHeaderReader): ForwardedCertificate | null {
    const { names, limits, xfccElementFromEnd } = this.settings;
    const raw = reader.single(names.cert);
    assertWithinBytes([raw], limits);
    const value = certificateValue(raw, false);
    if (value === null) return null;
    // An element is one hop; more hops than the certificate cap is already abnormal.
    const elements = scanXfcc(value, Math.max(limits.maxCertificates, xfccElementFromEnd));
    const index = elements.length - xfccElementFromEnd;
    if (index < 0) {
      throw headerMalformed(
        `x-forwarded-client-cert has ${elements.length} element(s) but the profile expects ${xfccElementFromEnd} trusted hop(s)`,
        { elements: elements.length, xfccElementFromEnd },
      );
    }
    return this.fromElement(elements[index]);
  }

  private fromElement(element: XfccElement): ForwardedCertificate | null {
    const { limits } = this.settings;
    const certText = element.get('cert');
    const chainText = element.get('chain');
    const hash = element.get('hash');
    if (hash !== undefined && !HEX_SHA256.test(hash)) throw headerMalformed('x-forwarded-client-cert Hash is not a hex SHA-256');
    const claims = hash !== undefined ? { sha256: hash.toLowerCase() } : undefined;
    const cert = certText ? decodePemBlocks(decodePercentEscapes(certText, 'XFCC Cert'), 1, 'XFCC Cert') : undefined;
    const chain = chainText
      ? decodePemBlocks(decodePercentEscapes(chainText, 'XFCC Chain'), limits.maxCertificates, 'XFCC Chain')
      : undefined;
    if (!cert && !chain) {
      // Envoy only sends Cert/Chain when `set_current_client_cert_details` asks for them.
      return null;
    }
    const leaf = cert ? cert[0] : chain![0];
    if (cert && chain && !chain[0].equals(leaf)) {
      throw headerMalformed('x-forwarded-client-cert Chain does not start with the Cert leaf');
    }
    return { leaf, chain: chain ? chain.slice(1) : [], ...(claims ? { claims } : {}) };
  }
}
