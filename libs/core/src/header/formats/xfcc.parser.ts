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
 * Envoy / Istio `x-forwarded-client-cert`. The header must hold exactly one element per trusted
 * Envoy hop (`xfccElementFromEnd`, default 1), and the first one, written by the hop that
 * terminated the client's TLS, is used: an element more can only come from the client (an edge
 * in `APPEND_FORWARD` mode) or from a SAN that faked a `,` (Envoy writes URI/DNS unquoted).
 * `Cert` is the URL-encoded PEM leaf; `Chain` the URL-encoded PEM chain INCLUDING the leaf;
 * `Hash` (hex SHA-256 of the leaf DER) and the `URI` / `DNS` lists become claims checked against
 * the parsed certificate.
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
    // One element per trusted hop, no more (the scanner stops at the first extra one), no less.
    const elements = scanXfcc(value, xfccElementFromEnd);
    if (elements.length !== xfccElementFromEnd) {
      throw headerMalformed(`x-forwarded-client-cert has ${elements.length} element(s) but the profile expects ${xfccElementFromEnd} trusted hop(s)`, {
        elements: elements.length,
        xfccElementFromEnd,
      });
    }
    return this.fromElement(elements[0]);
  }

  private fromElement(element: XfccElement): ForwardedCertificate | null {
    const { limits } = this.settings;
    // The scanner refused a second Cert, Chain or Hash: these hold one value each.
    const certText = element.get('cert')?.[0];
    const chainText = element.get('chain')?.[0];
    const hash = element.get('hash')?.[0];
    if (hash !== undefined && !HEX_SHA256.test(hash)) throw headerMalformed('x-forwarded-client-cert Hash is not a hex SHA-256');
    const claims = sanClaims(element, hash !== undefined ? { sha256: hash.toLowerCase() } : {});
    const cert = certText ? decodePemBlocks(decodePercentEscapes(certText, 'XFCC Cert'), 1, 'XFCC Cert') : undefined;
    const chain = chainText ? decodePemBlocks(decodePercentEscapes(chainText, 'XFCC Chain'), limits.maxCertificates, 'XFCC Chain') : undefined;
    if (!cert && !chain) {
      // Envoy only sends Cert/Chain when `set_current_client_cert_details` asks for them.
      return null;
    }
    const leaf = cert ? cert[0] : chain![0];
    if (cert && chain && !chain[0].equals(leaf)) {
      throw headerMalformed('x-forwarded-client-cert Chain does not start with the Cert leaf');
    }
    return { leaf, chain: chain ? chain.slice(1) : [], ...(Object.keys(claims).length > 0 ? { claims } : {}) };
  }
}

/**
 * The element's `URI` / `DNS` lists, as claims the certificate's own SANs must equal. Envoy
 * writes a lone empty `URI=` for a certificate without URI SANs, and no `DNS` key without DNS SANs.
 */
function sanClaims(element: XfccElement, claims: NonNullable<ForwardedCertificate['claims']>): NonNullable<ForwardedCertificate['claims']> {
  const uri = element.get('uri');
  const dns = element.get('dns');
  return {
    ...claims,
    ...(uri !== undefined ? { uri: uri.length === 1 && uri[0] === '' ? [] : uri } : {}),
    ...(dns !== undefined ? { dns } : {}),
  };
}
