import { decodeBase64Strict } from '../decoding/base64.decoder';
import { assertSingleDer, splitConcatenatedDer } from '../decoding/der-envelope';
import { headerMalformed } from '../header.errors';
import { assertCertificateCount } from '../header.limits';
import { LeafAndChainParser } from './leaf-and-chain.parser';

/**
 * Decodes a `,`-separated list whose items are base64 of one OR MORE concatenated DER
 * certificates: Traefik joins certificates with `,`; HAProxy's `ssl_c_chain_der` is one blob of
 * concatenated DERs, split here by the DER length fields.
 */
export function decodeBase64DerList(value: string, max: number, what: string): Buffer[] {
  const items = value.split(',');
  assertCertificateCount(items.length, max);
  const certificates: Buffer[] = [];
  for (const item of items) {
    const text = item.trim();
    if (text === '') throw headerMalformed(`${what} has an empty list item`);
    const remaining = max - certificates.length;
    certificates.push(...splitConcatenatedDer(decodeBase64Strict(text, what), remaining, what));
  }
  return certificates;
}

/**
 * The value of a certificate header that holds ONE certificate: one base64 DER, no list. Node
 * joins repeated lines with `, ` only in `req.headers`, so `<cert>, <cert>` in one line is a hop
 * that merged a client's copy with its own (or appended to it): reading its first item would
 * take the client's copy.
 */
export function decodeSingleBase64Der(value: string, header: string): Buffer {
  if (value.includes(',')) {
    throw headerMalformed(
      `${header} holds a list (","), but this profile's proxy sends one certificate in it: a hop may have merged a client's copy with its own`,
    );
  }
  return assertSingleDer(decodeBase64Strict(value, header), header);
}

/**
 * Plain base64 DER: Azure App Service `X-ARR-ClientCert`, Caddy
 * `{http.request.tls.client.certificate_der_base64}`, HAProxy `%[ssl_c_der,base64]` (with an
 * optional `%[ssl_c_chain_der,base64]` chain header): one certificate in the certificate header.
 * Traefik `X-Forwarded-Tls-Client-Cert` (preset `traefik`): a `,` list, leaf first.
 *
 * @example X-ARR-ClientCert: MIIBqDCCAU6gAwIBAgIBBzAKBggqhkjOPQQDAjA6...
 */
export class Base64DerParser extends LeafAndChainParser {
  readonly format = 'base64-der' as const;
  protected readonly decode = decodeBase64DerList;

  protected override decodeCertHeader(value: string, max: number, header: string): Buffer[] {
    return this.settings.certHeaderHoldsChain ? decodeBase64DerList(value, max, header) : [decodeSingleBase64Der(value, header)];
  }
}
